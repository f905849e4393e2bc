"""Change history of any model that has `history = HistoricalRecords()`.

`history_entries(obj)` turns django-simple-history's rows into what a person reads: when, who,
what kind of change, and each changed field with its old and new value. App pages include
`includes/_history.html` with `entries`, or link to `history_view` for the full list.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.paginator import Paginator
from django.db.models import DateField, DateTimeField
from django.utils.dateparse import parse_date, parse_datetime

from .fiscal import local_date, local_datetime

CHANGE_LABELS = {"+": "作成", "~": "変更", "-": "削除"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: object
    user: object
    kind: str
    reason: str
    changes: list = field(default_factory=list)


def _display(model, field_name, value):
    if value is None or value == "":
        return "（なし）"
    try:
        model_field = model._meta.get_field(field_name)
    except Exception:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.many_to_many:
        # simple_history's m2m diff: a list of the through rows, as dicts.
        key = model_field.m2m_reverse_field_name()
        ids = [row[key] for row in value]
        if not ids:
            return "（なし）"
        # Rows the history entry of a record the reader may see refers to (as `obj.field`
        # would read them: the base manager, core/scoping.py).
        related = model_field.related_model._base_manager.filter(pk__in=ids)
        return "、".join(str(obj) for obj in related)
    if model_field.is_relation and model_field.related_model is not None:
        related = model_field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}（削除済み）"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, datetime):
        return local_datetime(value)
    if isinstance(value, date):
        return local_date(value)
    if isinstance(value, str) and isinstance(model_field, DateTimeField | DateField):
        # simple_history may hand over the value as the text it was stored as.
        parsed = parse_datetime(value) or parse_date(value)
        if parsed is not None:
            return _display(model, field_name, parsed)
    return str(value)


def _label(model, field_name):
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name


def entries_from(records, model):
    """Build HistoryEntry objects from history rows ordered newest first; each row is compared
    with the one before it in time (the next one in the list)."""
    records = list(records)
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                changes.append(
                    FieldChange(
                        label=_label(model, change.field),
                        old=_display(model, change.field, change.old),
                        new=_display(model, change.field, change.new),
                    )
                )
        if previous is not None and record.history_type == "~" and not changes:
            continue  # a save that changed nothing a person reads (e.g. a many-to-many reset)
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=record.history_user,
                kind=CHANGE_LABELS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def history_entries(obj, *, limit=None):
    """The change history of one object, newest first (`limit` rows at most)."""
    records = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    if limit is not None:
        records = records[: limit + 1]
        return entries_from(records, type(obj))[:limit]
    return entries_from(records, type(obj))


def history_page(obj, page_number, *, per_page=20):
    """One page of an object's history for a full history page."""
    records = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    page = Paginator(records, per_page).get_page(page_number)
    # Fetch one row past the page so the page's oldest entry can show its changes too.
    start = page.start_index() - 1 if page.paginator.count else 0
    rows = list(records[start : start + per_page + 1])
    page.entries = entries_from(rows, type(obj))[:per_page]
    return page


def render_history(request, obj, *, breadcrumbs, template="core/history.html", **extra):
    """The full history page of one object the caller has already loaded through its access
    helper (which checked the permission): paginated entries, newest first.

    An app that shows more on the page (the plan's decisions) passes a `template` of its own
    that extends core/history.html and fills its `before_history` block, with the data in
    `extra`: the floor's template includes no app's template."""
    from django.shortcuts import render

    context = {"object": obj, "history": history_page(obj, request.GET.get("page"))}
    return render(request, template, {**context, "breadcrumbs": breadcrumbs, **extra})
