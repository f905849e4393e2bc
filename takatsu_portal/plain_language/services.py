"""Workflows of the glossary: create, change (refused when someone else changed the term since
the editor loaded it), delete, and import a whole file (all rows or none)."""

from django.db import transaction
from django.db.models import F

from .models import Term

# The fields an editor changes, in the order of the form and of the CSV/xlsx columns.
FIELDS = [
    "term",
    "reading",
    "category",
    "alternatives",
    "explanation",
    "example",
    "variants",
    "auto_replace",
    "is_active",
]


class ConflictError(Exception):
    """The term changed after the editor loaded it: saving would overwrite that change."""

    def __init__(self, current, expected_version):
        self.current = current
        self.expected_version = expected_version
        super().__init__(f"term {current.pk} is at version {current.version}")


def term_create(*, data, by):
    term = Term(**{name: data[name] for name in FIELDS if name in data}, updated_by=by)
    term._history_user = by
    term._change_reason = "作成"
    term.save()
    return term


def term_update(*, term, data, by, expected_version):
    """Write `data` over `term` if its row is still at `expected_version`; the version check
    and bump are one UPDATE, so two editors' saves that race cannot both pass."""
    with transaction.atomic():
        bumped = Term.objects.filter(pk=term.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not bumped:
            raise ConflictError(Term.objects.get(pk=term.pk), expected_version)
        for name in FIELDS:
            if name in data:
                setattr(term, name, data[name])
        term.version = expected_version + 1
        term.updated_by = by
        term._history_user = by
        term._change_reason = "変更"
        term.save()
    return term


def term_delete(*, term, by):
    term._history_user = by
    term._change_reason = "削除"
    term.delete()
