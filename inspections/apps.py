from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "バリアフリー点検"

    def ready(self):
        # The rules, the home page's overdue findings, the council's inspection report and the
        # proposal page's link back to its finding: registered on import.
        from . import attention, backlinks, comparison, report_kinds, rules  # noqa: F401
