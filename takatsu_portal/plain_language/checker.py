"""The plain-language checker: a text in, findings with character positions out.

What it finds (each a Finding with `start`/`end` character offsets into the text given):
- `term`: a glossary term, matched on the tokens' normalized dictionary forms (講じた and
  講ずる are the entry 講じる) and on its plain spelling (phrases the tokenizer splits
  otherwise); where the text is the term as written, a one-click replacement is offered;
- `long_sentence`: a sentence longer than the profile's limit (公用文作成の考え方, 2022: watch
  sentences past 50–60 characters);
- `kanji_run`: more kanji in a row than the limit;
- `commas`: more 読点 in one sentence than the limit;
- `double_negative`: ～ないわけではない and its kin;
- `nominalization`: a verb made into a noun (～の実施を行う).

It never changes the text, and nothing in the portal refuses a save because of a finding.
A profile holds the thresholds: `standard` and `easy` (やさしい日本語, stricter), read from the
PLAIN_LANGUAGE_* settings at each call so that a test or an install can change them.
"""

import re
from dataclasses import asdict, dataclass, field

from django.conf import settings

from .glossary import current_index
from .readability import KANJI, readability
from .tokenizer import tokenize

PROFILES = {"standard": "標準", "easy": "やさしい日本語"}
KIND_LABELS = {
    "term": "言い換えたい言葉",
    "long_sentence": "長い文",
    "kanji_run": "漢字の連続",
    "commas": "読点が多い文",
    "double_negative": "二重否定",
    "nominalization": "名詞化した動作",
}
SENTENCE_END = "。！？!?．"
COMMAS = "、，"

DOUBLE_NEGATIVES = re.compile(
    "|".join(
        [
            r"(?:な|無)いわけ(?:では|でも|には)(?:ない|ありません|いかない|いきません)",
            r"(?:な|無)いこと(?:は|も)(?:ない|ありません)",
            r"(?:な|無)く(?:は|も)(?:ない|ありません)",
            r"(?:な|無)いとは(?:言え|いえ|限ら|かぎら)(?:ない|ません)",
            r"(?:な|無)いもの(?:では|でも)(?:ない|ありません)",
            r"(?:な|無)いでも(?:ない|ありません)",
            r"ざるを(?:得|え)(?:ない|ません)",
            r"不[一-龥]{1,3}(?:では|でも)(?:ない|ありません)",
        ]
    )
)
# ～の実施を行う, ～の検討を図る: a noun of action, の, another noun of action, を, a light verb.
NOMINAL_NOUNS = "実施|実行|執行|推進|検討|確認|調整|作成|提出|周知|徹底|改善|見直し|構築|把握|促進"
NOMINALIZATION = re.compile(
    rf"([{KANJI}ァ-ヴー]{{2,}})の({NOMINAL_NOUNS})を"
    r"(行う|行います|行い|行っ|実施する|実施します|実施し|図る|図ります|図り|する|します|し)"
)
SIMPLE_ACTIONS = {"実施", "実行", "執行"}


@dataclass(frozen=True)
class Profile:
    key: str
    max_sentence_chars: int
    max_kanji_run: int
    max_commas: int

    @property
    def label(self):
        return PROFILES[self.key]


def profile(key="standard"):
    """The thresholds of a profile, from the settings."""
    if key not in PROFILES:
        key = "standard"
    prefix = "PLAIN_LANGUAGE_EASY_" if key == "easy" else "PLAIN_LANGUAGE_"
    return Profile(
        key,
        getattr(settings, prefix + "MAX_SENTENCE_CHARS"),
        getattr(settings, prefix + "MAX_KANJI_RUN"),
        getattr(settings, prefix + "MAX_COMMAS"),
    )


@dataclass
class Finding:
    kind: str
    start: int
    end: int
    text: str
    message: str
    suggestions: list = field(default_factory=list)
    replacement: str | None = None  # what a one-click replacement writes over start..end
    term_id: int | None = None
    category: str = ""
    explanation: str = ""

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    def as_dict(self):
        data = asdict(self)
        data["kind_label"] = self.kind_label
        return data


@dataclass
class CheckResult:
    text: str
    profile: Profile
    findings: list
    readability: object  # Readability or None

    @property
    def counts(self):
        counts = {}
        for finding in self.findings:
            counts[finding.kind] = counts.get(finding.kind, 0) + 1
        return counts

    def as_dict(self):
        return {
            "profile": self.profile.key,
            "thresholds": {
                "max_sentence_chars": self.profile.max_sentence_chars,
                "max_kanji_run": self.profile.max_kanji_run,
                "max_commas": self.profile.max_commas,
            },
            "length": len(self.text),
            "readability": self.readability.as_dict() if self.readability else None,
            "counts": self.counts,
            "findings": [finding.as_dict() for finding in self.findings],
        }


def sentences(text):
    """(start, end) of each sentence: cut after 。！？ and at line ends, spaces trimmed."""
    spans, start = [], 0
    for index, char in enumerate(text):
        if char in SENTENCE_END or char == "\n":
            spans.append((start, index + 1 if char != "\n" else index))
            start = index + 1
    spans.append((start, len(text)))
    trimmed = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if end > begin:
            trimmed.append((begin, end))
    return trimmed


# Forms of the verbs a replacement can end in, by the conjugation form of the verb it replaces
# (Sudachi's 活用形). Only the forms that cannot go wrong: 連用形 (before た, て, ます) and
# 仮定形 (before ば); other inflections get the suggestions for the writer to conjugate.
SURU_FORMS = {"連用形": "し", "仮定形": "すれ"}
ICHIDAN_FORMS = {"連用形": "", "仮定形": "れ"}
ICHIDAN_BEFORE_RU = set("いきしちにひみりぎじびぴえけせてねへめれげぜべぺ")


def conjugate(word, form):
    """`word` (a replacement in its dictionary form) in the conjugation `form` of the verb it
    replaces, or None where that is not certain: する-verbs (対応する → 対応し) and 一段 verbs
    written with kana before る (考える → 考え); other verbs are left to the writer."""
    base = form.split("-")[0]
    if word.endswith("する") and base in SURU_FORMS:
        return word[:-2] + SURU_FORMS[base]
    ichidan = len(word) >= 2 and word.endswith("る") and word[-2] in ICHIDAN_BEFORE_RU
    if ichidan and base in ICHIDAN_FORMS:
        return word[:-1] + ICHIDAN_FORMS[base]
    return None


def _term_matches(text, tokens, index):
    """(start, end, entry id, last token or None) of every place a term matches: on tokens
    (with the match's last token) or on spelling (None)."""
    found = []
    norms = [token.norm for token in tokens]
    for i, token in enumerate(tokens):
        for key, entry_id in index.by_first_norm.get(token.norm, ()):
            if tuple(norms[i : i + len(key)]) == key:
                last = tokens[i + len(key) - 1]
                found.append((token.start, last.end, entry_id, last))
                break
    if index.surface_pattern is not None:
        for match in index.surface_pattern.finditer(text):
            entry_id = index.entry_of_spelling[match.group()]
            found.append((match.start(), match.end(), entry_id, None))
    # Longest first where two start together; then keep those that overlap nothing kept.
    found.sort(key=lambda m: (m[0], -(m[1] - m[0]), m[3] is None))
    kept, reach = [], -1
    for match in found:
        if match[0] >= reach:
            kept.append(match)
            reach = match[1]
    return kept


def _replacement(entry, matched, last):
    """The one-click replacement of a match: the first alternative where the text is written
    as the term; conjugated where only the last verb is inflected (講じた → 対応した)."""
    if not entry.replacement:
        return None
    if matched in entry.spellings:
        return entry.replacement
    if last is not None and last.pos == "動詞" and matched.endswith(last.surface):
        return conjugate(entry.replacement, last.form)
    return None


def _term_findings(text, tokens, index):
    findings = []
    for start, end, entry_id, last in _term_matches(text, tokens, index):
        entry = index.entries[entry_id]
        matched = text[start:end]
        replacement = _replacement(entry, matched, last)
        listed = "、".join(f"「{a}」" for a in entry.alternatives[:3])
        findings.append(
            Finding(
                kind="term",
                start=start,
                end=end,
                text=matched,
                message=f"「{matched}」は{entry.category_label}です。{listed}などに言い換えましょう。",
                suggestions=list(entry.alternatives),
                replacement=replacement,
                term_id=entry.id,
                category=entry.category_label,
                explanation=entry.explanation,
            )
        )
    return findings


def _sentence_findings(text, rules):
    findings = []
    for start, end in sentences(text):
        sentence = text[start:end]
        length = len("".join(sentence.split()))
        if length > rules.max_sentence_chars:
            findings.append(
                Finding(
                    kind="long_sentence",
                    start=start,
                    end=end,
                    text=sentence,
                    message=f"この文は{length}文字です。{rules.max_sentence_chars}文字以内を"
                    "目安に、文を分けましょう。",
                )
            )
        commas = sum(sentence.count(c) for c in COMMAS)
        if commas > rules.max_commas:
            findings.append(
                Finding(
                    kind="commas",
                    start=start,
                    end=end,
                    text=sentence,
                    message=f"1つの文に読点（、）が{commas}個あります。{rules.max_commas}個以内を"
                    "目安に、文を分けましょう。",
                )
            )
    return findings


def _pattern_findings(text, rules):
    findings = []
    kanji_run = re.compile(f"[{KANJI}]{{{rules.max_kanji_run + 1},}}")
    for match in kanji_run.finditer(text):
        findings.append(
            Finding(
                kind="kanji_run",
                start=match.start(),
                end=match.end(),
                text=match.group(),
                message=f"漢字が{len(match.group())}字続いています。{rules.max_kanji_run}字以内を"
                "目安に、ひらがなを入れるか言い換えましょう。",
            )
        )
    for match in DOUBLE_NEGATIVES.finditer(text):
        findings.append(
            Finding(
                kind="double_negative",
                start=match.start(),
                end=match.end(),
                text=match.group(),
                message="二重否定は意味を取りにくくします。肯定の形で書きましょう"
                "（例：「できないわけではない」→「できる場合があります」）。",
            )
        )
    for match in NOMINALIZATION.finditer(text):
        noun, action, verb = match.groups()
        plain = f"{noun}する" if action in SIMPLE_ACTIONS else f"{noun}を{action}する"
        findings.append(
            Finding(
                kind="nominalization",
                start=match.start(),
                end=match.end(),
                text=match.group(),
                message=f"動作を名詞にした回りくどい表現です。「{plain}」のように書きましょう。",
                suggestions=[plain],
                replacement=plain if verb in ("行う", "実施する", "図る", "する") else None,
            )
        )
    return findings


WORDING = ("term", "double_negative", "nominalization")


def _without_overlaps(findings):
    """Of wording findings that overlap, the longest (a term where two are as long): a double
    negative that is also a glossary term is one finding, not two. Sentence findings stay."""
    wording = sorted(
        (f for f in findings if f.kind in WORDING),
        key=lambda f: (-(f.end - f.start), f.kind != "term", f.start),
    )
    kept = []
    for finding in wording:
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return kept + [f for f in findings if f.kind not in WORDING]


def check(text, profile_key="standard", *, index=None):
    """Check `text` with the thresholds of `profile_key`; `index` is the glossary's (the
    current one when not given: one query)."""
    rules = profile(profile_key)
    text = text or ""
    if index is None:
        index = current_index()
    tokens = tokenize(text)
    findings = _without_overlaps(
        [
            *_term_findings(text, tokens, index),
            *_sentence_findings(text, rules),
            *_pattern_findings(text, rules),
        ]
    )
    findings.sort(key=lambda f: (f.start, -(f.end - f.start), f.kind))
    return CheckResult(text, rules, findings, readability(tokens))
