from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "計画"

    def ready(self):
        from . import attention, attention_progress  # noqa: F401  (home-page providers)
