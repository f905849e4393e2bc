from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "区民の声・アンケート"

    def ready(self):
        from . import attention, voice_services  # noqa: F401  (home page; the voices' rules)
