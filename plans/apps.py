from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "計画"

    def ready(self):
        # The home page's providers, and the plans' report kinds: registered on import.
        from . import attention, attention_progress, report_kinds  # noqa: F401
