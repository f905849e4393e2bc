"""The audit of resident-facing texts: each text the user may read (sources.py) with its
findings and readability, worst first, filterable by section, and a count by section.

A text's result is kept in the cache under its wording, profile and the glossary's state, so
that an unchanged text is checked once, whoever opens the page; editing a term checks every
text again at the next visit.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

from .checker import KIND_LABELS, check
from .glossary import current_index
from .sources import texts_for

CACHE_SECONDS = 24 * 3600
WHOLE_OFFICE = "区役所全体"


@dataclass
class AuditRow:
    item: object  # AuditText
    findings: int
    counts: dict  # kind → count
    score: float | None
    level: str
    examples: list  # up to three findings' words

    @property
    def density(self):
        """Findings per 100 characters (a text shorter than 100 counts as 100)."""
        return self.findings * 100 / max(len(self.item.text), 100)

    @property
    def count_labels(self):
        return [(KIND_LABELS[kind], count) for kind, count in self.counts.items()]


@dataclass
class SectionCount:
    section_id: int | None
    name: str
    texts: int = 0
    with_findings: int = 0
    findings: int = 0
    score_total: float = 0.0
    scored: int = 0

    @property
    def average_score(self):
        return self.score_total / self.scored if self.scored else None

    @property
    def share_with_findings(self):
        return round(100 * self.with_findings / self.texts) if self.texts else 0


def _key(item, index):
    digest = hashlib.sha256(f"{item.profile}\0{item.text}".encode()).hexdigest()
    return f"plain_language:audit:{index.stamp}:{digest}"


def _summarize(item, index):
    result = check(item.text, item.profile, index=index)
    return {
        "findings": len(result.findings),
        "counts": result.counts,
        "score": result.readability.score if result.readability else None,
        "level": result.readability.label if result.readability else "",
        "examples": [f.text[:20] for f in result.findings if f.kind == "term"][:3],
    }


def summaries(items, index):
    """Each item's result: read from the cache in one round trip, the missing ones checked
    now and written back in one."""
    keys = [_key(item, index) for item in items]
    found = cache.get_many(keys)
    missing = {}
    for item, key in zip(items, keys, strict=True):
        if key not in found:
            found[key] = missing[key] = _summarize(item, index)
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return [found[key] for key in keys]


def audit_rows(user):
    """The rows of the audit for `user`, worst first (most findings per 100 characters, then
    the lowest readability)."""
    index = current_index()
    items = texts_for(user)
    rows = []
    for item, summary in zip(items, summaries(items, index), strict=True):
        rows.append(
            AuditRow(
                item=item,
                findings=summary["findings"],
                counts=summary["counts"],
                score=summary["score"],
                level=summary["level"],
                examples=summary["examples"],
            )
        )
    rows.sort(key=lambda r: (-r.density, r.score if r.score is not None else 99, r.item.key))
    return rows


def section_counts(rows):
    """Per section (the whole office last): texts, texts with findings, findings, average
    readability."""
    counts = {}
    for row in rows:
        item = row.item
        entry = counts.get(item.section_id)
        if entry is None:
            entry = counts[item.section_id] = SectionCount(
                item.section_id, item.section_name or WHOLE_OFFICE
            )
        entry.texts += 1
        entry.findings += row.findings
        entry.with_findings += 1 if row.findings else 0
        if row.score is not None:
            entry.score_total += row.score
            entry.scored += 1
    return sorted(counts.values(), key=lambda c: (c.section_id is None, -c.findings, c.name))


def audit_warm():
    """Check every office's resident texts ahead of the first visit (Celery: nightly, and after
    the glossary changes): the texts of an office are those its subcommittee members read, and
    results are cached per text, so every reader of the office then finds them ready. Returns
    the number of texts checked or found."""
    from django.contrib.auth import get_user_model

    from takatsu_portal.accounts.roles import Role

    readers = {}
    members = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SUBCOMMITTEE.group_name)
        .select_related("section__department")
        .order_by("id")
    )
    for user in members:
        office_id = user.section.department.office_id if user.section_id else None
        if office_id is not None:
            readers.setdefault(office_id, user)
    return sum(len(audit_rows(user)) for user in readers.values())


def sections_in(rows):
    """(id, name) of the sections the user's texts belong to, for the filter."""
    seen = {}
    for row in rows:
        if row.item.section_id is not None:
            seen[row.item.section_id] = row.item.section_name
    return sorted(seen.items(), key=lambda pair: pair[1])
