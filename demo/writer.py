"""How the demo writes rows: found by their natural keys, created when missing, saved only
when a demo field differs (every save adds a history row, and a second run must write none),
never deleted. `upsert` writes a plain row; `put` writes a row with the history it would have
had if people had made it through the portal (`Step`s: who did what, when, why)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection, models
from django.utils import timezone

from takatsu_portal.accounts.models import User
from takatsu_portal.core.versioning import Versioned

CHANGE_REASON = "デモデータ投入（seed_demo）"


@dataclass
class Tally:
    """What one run did to the rows of one kind."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    def __str__(self):
        return f"{self.label}: {self.total}（新規 {self.created}、更新 {self.updated}）"


def upsert(model, *, lookup, values, tally, on_create=None):
    """The row found by `lookup`, created with `values` (and `on_create`) when missing.

    An existing row gets `values` back, but is saved only when one of them differs, and then
    only those fields: each save writes a history row, and a second run must write none.
    `on_create` fields (the demo password) are never put back on an existing row.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(on_create or {}))
        obj._change_reason = CHANGE_REASON
        obj.save()
        tally.created += 1
        return obj
    changed = []
    for name, value in values.items():
        current = getattr(obj, model._meta.get_field(name).attname)
        if current != (value.pk if isinstance(value, models.Model) else value):
            setattr(obj, name, value)
            changed.append(name)
    if changed:
        obj._change_reason = CHANGE_REASON
        obj.save(update_fields=changed)
        tally.updated += 1
    else:
        tally.unchanged += 1
    return obj


@dataclass(frozen=True)
class Step:
    """One step in the life of a new row: who did it, when, why, and the fields that differed
    then from their final demo values."""

    at: datetime
    by: User | None
    reason: str = ""
    then: dict = field(default_factory=dict)


def _differs(obj, name, value):
    current = getattr(obj, type(obj)._meta.get_field(name).attname)
    return current != (value.pk if isinstance(value, models.Model) else value)


def put(model, *, lookup, values, tally, steps, m2m=None, stamps=None):
    """The row found by `lookup`, like `seed_demo.upsert`, with the history of a new row.

    A missing row is saved once per step (a history row each, with the step's person, date and
    reason, and the next version of a versioned row); its many-to-many fields are set after the
    first. `stamps` are auto_now_add dates, put on the new row and its history afterwards.
    An existing row gets `values` and `m2m` back, saved only when they differ (as a new
    version, so that an editor who opened it before cannot overwrite it silently).
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup)
        for number, step in enumerate(steps, start=1):
            for name, value in {**values, **step.then}.items():
                setattr(obj, name, value)
            if isinstance(obj, Versioned):
                obj.version = number
            obj._history_user = step.by
            obj._history_date = step.at
            obj._change_reason = step.reason or None
            obj.save()
            if number == 1:
                for name, related in (m2m or {}).items():
                    getattr(obj, name).set(related)
        if stamps:
            model._default_manager.filter(pk=obj.pk).update(**stamps)
            if hasattr(model, "history"):
                obj.history.update(**stamps)
            for name, value in stamps.items():
                setattr(obj, name, value)
        tally.created += 1
        return obj
    changed = [name for name, value in values.items() if _differs(obj, name, value)]
    for name in changed:
        setattr(obj, name, values[name])
    obj._change_reason = CHANGE_REASON
    if changed:
        if isinstance(obj, Versioned):
            obj.version += 1
            changed.append("version")
        obj.save(update_fields=changed)
    for name, related in (m2m or {}).items():
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != {item.pk for item in related}:
            manager.set(related)
            changed.append(name)
    if changed:
        tally.updated += 1
    else:
        tally.unchanged += 1
    return obj


# ---------------------------------------------------------------------------------------------
# The calendar


def workday(day):
    """The day itself, or the Friday before when it falls on a weekend."""
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def on(fy, month, day):
    """(month, day) of fiscal year `fy` (January–March belong to its second calendar year),
    moved to a working day."""
    return workday(date(fy.year if month >= 4 else fy.year + 1, month, day))


def at(day, hour=10, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def analyze():
    """Refresh PostgreSQL's planner statistics after the demo's bulk load.

    The demo writes thousands of rows in one transaction; autovacuum analyses a table only
    after it commits (and never, for a test that rolls the transaction back), so until then
    the planner plans the reports' and pages' queries as if the tables were empty and may
    pick nested loops over thousands of rows. ANALYZE inside the transaction sees its rows.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
