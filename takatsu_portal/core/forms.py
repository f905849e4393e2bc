"""Form pieces every app shares: the date widget (the browser's own date picker, ISO values),
the label of the "no filter" choice, and the sections of an office in the organisation's order."""

from django import forms

from takatsu_portal.accounts.models import Section

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ALL = "すべて"


def office_sections(office):
    """The sections of `office` (every section when None), department by department."""
    qs = Section.objects.select_related("department")
    if office is not None:
        qs = qs.for_office(office)
    return qs.order_by("department__sort_order", "sort_order", "id")
