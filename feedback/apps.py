from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "区民の声・アンケート"

    def ready(self):
        # The home page's attention items, the voices' rules, the satisfaction report kind, the
        # indicator source of plan projects, the import of answers.
        from .analysis import indicators, report  # noqa: F401
        from .plain_language import register_sources
        from .responses import imports  # noqa: F401  (survey answers as import jobs)
        from .voices import attention, services  # noqa: F401

        register_sources()
