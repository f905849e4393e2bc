from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default = True
    name = "takatsu_portal.reports"
    label = "reports"
    verbose_name = "報告書"

    def ready(self):
        from . import kinds  # noqa: F401  (registers the report kinds)
