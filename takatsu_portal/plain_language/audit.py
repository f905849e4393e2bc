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


def _summary(item, index):
    digest = hashlib.sha256(f"{item.profile}\0{item.text}".encode()).hexdigest()
    key = f"plain_language:audit:{index.stamp}:{digest}"
    summary = cache.get(key)
    if summary is None:
        result = check(item.text, item.profile, index=index)
        summary = {
            "findings": len(result.findings),
            "counts": result.counts,
            "score": result.readability.score if result.readability else None,
            "level": result.readability.label if result.readability else "",
            "examples": [f.text[:20] for f in result.findings if f.kind == "term"][:3],
        }
        cache.set(key, summary, CACHE_SECONDS)
    return summary


def audit_rows(user, *, section=None):
    """The rows of the audit for `user`, worst first (most findings per 100 characters, then
    the lowest readability). `section` is a section id, "none" for texts of the whole office,
    or None for every text."""
    index = current_index()
    rows = []
    for item in texts_for(user):
        if section == "none" and item.section_id is not None:
            continue
        if section not in (None, "none") and item.section_id != section:
            continue
        summary = _summary(item, index)
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


def sections_in(rows):
    """(id, name) of the sections the user's texts belong to, for the filter."""
    seen = {}
    for row in rows:
        if row.item.section_id is not None:
            seen[row.item.section_id] = row.item.section_name
    return sorted(seen.items(), key=lambda pair: pair[1])
