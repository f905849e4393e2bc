"""The glossary as the checker uses it: an index of the active terms, built once per process
and rebuilt when a term is added, changed or removed.

Whether it changed is one small query per check (the number of active terms and the latest
change), so that every gunicorn process and Celery worker sees an edit at once without a
shared cache.
"""

import re
import threading
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from .tokenizer import tokenize

_lock = threading.Lock()
_built = {"stamp": None, "index": None}


@dataclass(frozen=True)
class Entry:
    """A term as the checker sees it (no model instance: the index outlives requests)."""

    id: int
    term: str
    category: str
    category_label: str
    alternatives: tuple
    explanation: str
    replacement: str
    spellings: tuple


@dataclass(frozen=True)
class Index:
    entries: dict  # id → Entry
    by_first_norm: dict  # first token's normalized form → [(norms, entry id)], longest first
    surface_pattern: re.Pattern | None  # any spelling of two characters or more
    entry_of_spelling: dict  # spelling → entry id
    stamp: str = ""  # the glossary's state it was built from (for caches of results)

    def __len__(self):
        return len(self.entries)


def build_index(terms, stamp=""):
    """An Index of `terms` (Term instances or anything with the same attributes)."""
    from .models import Category

    labels = dict(Category.choices)
    entries, by_first, by_spelling = {}, {}, {}
    for term in terms:
        entry = Entry(
            id=term.pk,
            term=term.term,
            category=term.category,
            category_label=labels.get(term.category, term.category),
            alternatives=tuple(term.alternative_list),
            explanation=term.explanation,
            replacement=term.replacement if term.auto_replace else "",
            spellings=tuple(term.spellings),
        )
        entries[entry.id] = entry
        for spelling in entry.spellings:
            norms = tuple(token.norm for token in tokenize(spelling))
            if norms:
                by_first.setdefault(norms[0], []).append((norms, entry.id))
            if len(spelling) >= 2:
                by_spelling.setdefault(spelling, entry.id)
    for candidates in by_first.values():
        candidates.sort(key=lambda item: -len(item[0]))
    pattern = None
    if by_spelling:
        ordered = sorted(by_spelling, key=lambda s: (-len(s), s))
        pattern = re.compile("|".join(re.escape(s) for s in ordered))
    return Index(entries, by_first, pattern, by_spelling, stamp)


def current_index():
    """The index of the active terms, rebuilt only when the glossary changed."""
    from .models import Term

    stamp = Term.objects.aggregate(
        active=Count("id", filter=Q(is_active=True)), total=Count("id"), latest=Max("updated_at")
    )
    stamp = (stamp["active"], stamp["total"], stamp["latest"])
    with _lock:
        if _built["stamp"] != stamp:
            text = f"{stamp[0]}-{stamp[1]}-{stamp[2].timestamp() if stamp[2] else 0}"
            _built["index"] = build_index(Term.objects.active().order_by("id"), text)
            _built["stamp"] = stamp
        return _built["index"]
