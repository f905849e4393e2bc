from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default = True
    name = "takatsu_portal.reports"
    label = "reports"
    verbose_name = "報告書"

    def ready(self):
        # The render task registers itself with the Celery app on import; services look it up
        # by name (they do not import tasks.py), so it must be registered in every process,
        # not only where something happened to import tasks.py first.
        from . import tasks  # noqa: F401
