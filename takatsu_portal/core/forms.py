"""Form pieces every app shares: the date widget (the browser's own date picker, ISO values),
the label of the "no filter" choice, and the sections of an office in the organisation's order."""

from django import forms

from takatsu_portal.accounts.models import Section

# The floor's one date widget (#10.11): a text field, one Tab stop, that takes the dates
# people type (settings.DATE_INPUT_FORMATS: 2026-07-01, 2026/7/1, 2026年7月1日). The browser's
# date control takes three or four Tab stops and reads its parts in the browser's language.
DATE_WIDGET = forms.DateInput(
    attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "例：2026-07-01"},
    format="%Y-%m-%d",
)
ALL = "すべて"


def office_sections(office):
    """The sections of `office` (every section when None), department by department."""
    qs = Section.objects.select_related("department")
    if office is not None:
        qs = qs.for_office(office)
    return qs.order_by("department__sort_order", "sort_order", "id")
