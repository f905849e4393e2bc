from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "研修"

    def ready(self):
        # Rules, the home page's attention items, the report kinds (certificate, sign-in sheet,
        # the council's report) and the indicator sources of plan projects.
        from . import attention, comparison, indicators, report_kinds, rules  # noqa: F401
