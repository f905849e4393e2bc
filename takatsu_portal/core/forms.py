"""Form pieces every app shares: the date widget, the searchable checkbox list of long
multiple choices, the label of the "no filter" choice, the sections of an office in the
organisation's order and the choice of one of them, and one more row of a formset."""

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator

from takatsu_portal.accounts.models import Section
from takatsu_portal.accounts.permissions import within_office

# The floor's one date widget (#10.11): a text field, one Tab stop, that takes the dates
# people type (settings.DATE_INPUT_FORMATS: 2026-07-01, 2026/7/1, 2026年7月1日). The browser's
# date control takes three or four Tab stops and reads its parts in the browser's language.
DATE_WIDGET = forms.DateInput(
    attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "例：2026-07-01"},
    format="%Y-%m-%d",
)
ALL = "すべて"


# The organisation's order: office by office, department by department.
SECTION_ORDER = ("department__office__sort_order", "department__sort_order", "sort_order", "id")


def office_sections(office):
    """The sections of `office` (none when None), department by department."""
    if office is None:
        return Section.objects.none()
    return Section.objects.for_office(office).select_related("department").order_by(*SECTION_ORDER)


def sections_for(user):
    """The sections `user` may choose from, by the one scope rule (accounts/scope.py): those
    of their office; every office's for the city, whose staff have none; none otherwise."""
    return within_office(user, Section.objects.select_related("department")).order_by(
        *SECTION_ORDER
    )


class SectionChoiceField(forms.ModelChoiceField):
    """A choice of one section, shown with its department (「総務部 総務課」): two offices'
    departments may have sections of the same name. Give it office_sections(...) as queryset."""

    def label_from_instance(self, obj):
        return f"{obj.department.name} {obj.name}"


def add_formset_row(data, prefix):
    """The submitted data again with one more empty row of the formset `prefix`, for the
    「行を追加」 buttons that work without JavaScript: the page re-renders what was typed."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    total = data.get(key, "0")
    data[key] = str(int(total) + 1) if total.isdigit() else total
    return data


class SearchableCheckboxes(forms.CheckboxSelectMultiple):
    """The floor's one widget for a long multiple choice (#10.11: 対応する事業, a group's
    members, the proposals of an agenda item, the people to nominate): checkboxes, which the
    keyboard and a phone handle, instead of a multi-select that needs Ctrl-click, with a search
    box that narrows them as one types. static/js/portal.js adds the box above the list,
    labelled `search_label`, with a count of the choices shown; without script it is a plain
    checkbox list. Checked choices stay visible whatever is typed."""

    def __init__(self, attrs=None, choices=(), *, search_label="絞り込む"):
        super().__init__({**(attrs or {}), "data-choice-search": search_label}, choices)


class _ShortlistIterator(ModelChoiceIterator):
    """The field's shortlist when it has one, read when the choices are listed (the widget
    takes its iterator when the queryset is set, before shortlist() is called)."""

    @property
    def queryset(self):
        field = self.field
        return field.queryset if field.shortlist is None else field.shortlist

    @queryset.setter
    def queryset(self, value):
        pass


class SearchableMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField shown as SearchableCheckboxes. `shortlist()` may narrow what
    the list shows (this year's projects) while validation still takes every choice of the
    queryset (another year's project, on request)."""

    widget = SearchableCheckboxes
    iterator = _ShortlistIterator
    shortlist = None

    def __init__(self, queryset, *, search_label="絞り込む", **kwargs):
        kwargs.setdefault("widget", SearchableCheckboxes(search_label=search_label))
        super().__init__(queryset, **kwargs)


def shortlist(form, name, condition):
    """Show in the SearchableMultipleChoiceField `name` of `form` only the choices that match
    `condition` (a Q), and the ones chosen: its initial value, or what was submitted when the
    form is bound, so that a choice never disappears from a form re-rendered with errors.
    Validation still takes every choice of the field's queryset."""
    field = form.fields[name]
    if form.is_bound:
        getlist = getattr(form.data, "getlist", None)
        submitted = getlist(form.add_prefix(name)) if getlist else form.data.get(name, [])
        chosen = [value for value in submitted if str(value).isdigit()]
    else:
        initial = form.initial.get(name, field.initial) or []
        chosen = [getattr(value, "pk", value) for value in initial]
    field.shortlist = field.queryset.filter(condition | Q(pk__in=chosen))
