from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default = True
    name = "takatsu_portal.reports"
    label = "reports"
    verbose_name = "報告書"
