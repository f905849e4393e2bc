from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default = True
    name = "takatsu_portal.reports"
    label = "reports"
    verbose_name = "報告書"

    def ready(self):
        # The render task is sent by name (services.enqueue); registering it in every process
        # that sends it, the web process included, means importing its module here.
        from . import tasks  # noqa: F401
