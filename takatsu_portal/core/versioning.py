"""Optimistic locking for rows that two people may edit at once.

A versioned row carries `version`; every save goes through `save_versioned`, which checks and
bumps the version in one UPDATE, so a save based on an older version is refused with
`ConflictError` (the page then shows the other person's change and keeps the editor's input).
Forms of versioned rows carry the version the editor loaded (`VersionedFormMixin`).
"""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import F

from . import attention


class Versioned(models.Model):
    """A row that two people may edit at once. `version` grows by one at every save made
    through `save_versioned`, which refuses a save based on an older version."""

    version = models.PositiveIntegerField("版", default=1, editable=False)

    class Meta:
        abstract = True


class ConflictError(Exception):
    """Someone else saved the record after the editor loaded it: the save is refused."""

    def __init__(self, obj, expected_version):
        # The row the caller already holds, read again (not a query of the office's rows).
        self.current = type(obj)._base_manager.get(pk=obj.pk)
        self.expected_version = expected_version
        super().__init__(
            f"{obj._meta.verbose_name}「{self.current}」は、あなたが開いた後に他の人が更新しました"
            f"（開いた版 {expected_version}、現在の版 {self.current.version}）。"
        )

    def other_changes(self):
        """The history entries made since the version the editor started from."""
        from takatsu_portal.core.history import entries_from

        records = (
            self.current.history.filter(version__gt=self.expected_version)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        rows = list(records)
        older = (
            self.current.history.filter(version__lte=self.expected_version)
            .order_by("-history_date", "-history_id")
            .first()
        )
        if older is not None:
            rows.append(older)
        return entries_from(rows, type(self.current))[: len(rows) - (older is not None)]


def office_of_change(obj, by):
    """The office whose cached pages a save of `obj` by `by` can change, or None (every
    office's). A row of an office-scoped model (its QuerySet has `for_office`) belongs to one
    office: its own `office` when it has the field, else the office of the person saving it
    (the scope rule keeps a person with an office to their office's rows). A row of another
    model (the glossary), or saved by nobody or by someone without an office: every office."""
    if not hasattr(type(obj)._default_manager, "for_office"):
        return None
    try:
        type(obj)._meta.get_field("office")
    except FieldDoesNotExist:
        pass
    else:
        return obj.office_id
    if by is None or getattr(by, "section_id", None) is None:
        return None
    return by.section.department.office_id


def save_versioned(obj, *, by, expected_version=None, reason=""):
    """Save `obj`, refusing with ConflictError when its row moved past `expected_version`
    since the editor loaded it. The version check and bump are one UPDATE, so two saves that
    race each other cannot both pass."""
    # What the home page's attention list counts is mostly versioned rows (plans, projects,
    # progress reports, proposals, voices, ...): their services save through here.
    attention.changed(office=office_of_change(obj, by))
    model = type(obj)
    obj._history_user = by
    # The reason belongs to this save only: a later save of the same object gives its own.
    obj._change_reason = reason or None
    if obj.pk is None:
        obj.version = 1
        obj.save()
        return obj
    expected = obj.version if expected_version is None else int(expected_version)
    with transaction.atomic():
        # The row the caller already holds, as Django's own save does (core/scoping.py).
        bumped = model._base_manager.filter(pk=obj.pk, version=expected).update(
            version=F("version") + 1
        )
        if not bumped:
            raise ConflictError(obj, expected)
        obj.version = expected + 1
        obj.save()
    return obj


class VersionedFormMixin:
    """Adds a hidden `version` field holding the version the editor started from."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.fields["version"].initial = instance.version
        else:
            self.fields["version"].required = False

    def adopt_current_version(self, version):
        """After a conflict: the form keeps the editor's values but now carries the current
        version, so saving again is a deliberate choice made after seeing the other change."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        self.data = data
