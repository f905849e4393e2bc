"""The registry of resident-facing texts for the audit (区民向け文書の点検).

The floor knows no domain app: each app that shows residents a text registers a Source in its
AppConfig.ready(), as the home page's attention providers do (core.attention). A source is a
function of the user that returns the AuditTexts that user may read, in a fixed, small number
of queries; the audit checks them and never asks an app anything else.
"""

from collections.abc import Callable
from dataclasses import dataclass

# The languages the checker reads, with the profile of their thresholds.
PROFILE_OF_LANGUAGE = {"ja": "standard", "ja-easy": "easy"}
LANGUAGE_LABELS = {"ja": "日本語", "ja-easy": "やさしい日本語"}


@dataclass(frozen=True)
class AuditText:
    key: str  # unique over every source: "survey:12:title:ja"
    kind: str  # what sort of text, for the reader: アンケート, 区民の声への回答...
    title: str  # which text: 「窓口満足度調査」の題名
    text: str
    url: str = ""
    section_id: int | None = None  # None: the whole office (区役所全体)
    section_name: str = ""
    language: str = "ja"  # "ja" or "ja-easy"

    @property
    def profile(self):
        return PROFILE_OF_LANGUAGE.get(self.language, "standard")

    @property
    def language_label(self):
        return LANGUAGE_LABELS.get(self.language, self.language)


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    texts: Callable  # texts(user) -> iterable of AuditText
    order: int = 100


_sources: dict[str, Source] = {}


def register(source):
    _sources[source.key] = source
    return source


def sources():
    return sorted(_sources.values(), key=lambda s: (s.order, s.key))


def texts_for(user):
    """Every resident-facing text `user` may read, source by source; blank texts are left out."""
    texts = []
    for source in sources():
        texts.extend(t for t in source.texts(user) if t.text and t.text.strip())
    return texts
