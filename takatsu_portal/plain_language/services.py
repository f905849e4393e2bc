"""Workflows of the glossary: create, change (refused when someone else changed the term since
the editor loaded it: the floor's versioning), delete."""

from takatsu_portal.core.versioning import ConflictError, save_versioned

from .models import Term
from .tasks import warm_audit_on_commit

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

__all__ = ["FIELDS", "ConflictError", "term_create", "term_delete", "term_update"]


def term_create(*, data, by):
    term = Term(**{name: data[name] for name in FIELDS if name in data}, updated_by=by)
    save_versioned(term, by=by, reason="作成")
    warm_audit_on_commit()
    return term


def term_update(*, term, data, by, expected_version):
    """Write `data` over `term` unless its row moved past `expected_version` (ConflictError)."""
    for name in FIELDS:
        if name in data:
            setattr(term, name, data[name])
    term.updated_by = by
    save_versioned(term, by=by, expected_version=expected_version, reason="変更")
    warm_audit_on_commit()
    return term


def term_delete(*, term, by):
    term._history_user = by
    term._change_reason = "削除"
    term.delete()
    warm_audit_on_commit()
