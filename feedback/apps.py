from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "区民の声・アンケート"

    def ready(self):
        # The home page's attention items, the voices' rules, the satisfaction report kind, the
        # indicator source of plan projects.
        from . import attention, indicators, report_kinds, voice_services  # noqa: F401
        from .plain_language import register_sources

        register_sources()
