"""Readability of a Japanese text: the jReadability formula of Lee & Hasebe.

    Lee, Jae-ho and Yoichiro Hasebe. "Readability measurement of Japanese texts based
    on levelled corpora." (jReadability, https://jreadability.net/)

    score = mean words per sentence × −0.056 + 漢語 % × −0.126 + 和語 % × −0.042
            + verbs % × −0.145 + particles % × −0.044 + 11.724

A higher score is an easier text; the authors read it on six levels, from 上級後半 (0.5–1.5) to
初級前半 (5.5–6.5). The formula was fitted on UniDic words, whose dictionary records each
word's origin (語種: 和語, 漢語, 外来語...). The SudachiPy dictionary the checker uses has no
such field, so the origin is estimated from the word's script (`word_origin`): kanji-only words
of two characters or more are 漢語, words with kana (okurigana, particles, endings) are 和語,
katakana words are loanwords; a verb made of kanji + する/ずる/じる is of mixed origin. This is
close to UniDic's labels on administrative Japanese but not identical, so the score is an
estimate on the authors' scale, not their exact figure.
"""

import re
from dataclasses import dataclass

KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff々〆ヶ"
_KANJI_ONLY = re.compile(f"^[{KANJI}]+$")
_HAS_HIRAGANA = re.compile("[\u3041-\u309f]")
_KATAKANA_ONLY = re.compile("^[\u30a0-\u30ffー・]+$")
# The endings of on-readings (音読み) of one kanji: 区 ク, 課 カ, 市 シ, 券 ケン, 等 トウ.
_ON_READING = re.compile("^[ァ-ヴ]{1,2}$|^[ァ-ヴ][ウインツクキチ]$")
SENTENCE_END = frozenset("。？！?!．")

# (lowest score, level, plain description); a score below 0.5 is read as the hardest level.
LEVELS = [
    (5.5, "初級前半", "とてもやさしい"),
    (4.5, "初級後半", "やさしい"),
    (3.5, "中級前半", "ふつう"),
    (2.5, "中級後半", "やや難しい"),
    (1.5, "上級前半", "難しい"),
    (float("-inf"), "上級後半", "とても難しい"),
]


@dataclass(frozen=True)
class Readability:
    score: float
    level: str
    description: str
    words: int
    sentences: int

    @property
    def label(self):
        return f"{self.level}（{self.description}）"

    def as_dict(self):
        return {
            "score": round(self.score, 2),
            "level": self.level,
            "description": self.description,
            "words": self.words,
            "sentences": self.sentences,
        }


def level_of(score):
    for lowest, level, description in LEVELS:
        if score >= lowest:
            return level, description
    raise AssertionError("unreachable")


def word_origin(token):
    """'漢', '和', '混' or '' (loanword, symbol, number) for a token, estimated from its script."""
    surface = token.surface
    if token.pos in ("補助記号", "空白", "記号"):
        return ""
    if _KANJI_ONLY.match(surface):
        if len(surface) >= 2:
            return "漢"
        return "漢" if _ON_READING.match(token.reading or "") else "和"
    if _KATAKANA_ONLY.match(surface):
        return ""
    if _HAS_HIRAGANA.search(surface):
        if token.pos == "動詞" and re.search(f"[{KANJI}]{{1,}}", surface):
            norm = token.norm
            if norm.endswith(("する", "ずる", "じる")) and _KANJI_ONLY.match(norm[:-2] or "x"):
                return "混"
        return "和"
    return ""


def readability(tokens):
    """The jReadability estimate of a tokenized text, or None for a text without words."""
    if not tokens:
        return None
    sentences, current = 0, 0
    kango = wago = verbs = particles = 0
    for token in tokens:
        current += 1
        if token.surface in SENTENCE_END:
            sentences += 1
            current = 0
        origin = word_origin(token)
        if origin == "漢":
            kango += 1
        elif origin == "和":
            wago += 1
        if token.pos == "動詞" and token.pos2 != "非自立可能":
            verbs += 1
        elif token.pos == "助詞":
            particles += 1
    if current:
        sentences += 1
    total = len(tokens)
    score = (
        (total / sentences) * -0.056
        + (100.0 * kango / total) * -0.126
        + (100.0 * wago / total) * -0.042
        + (100.0 * verbs / total) * -0.145
        + (100.0 * particles / total) * -0.044
        + 11.724
    )
    level, description = level_of(score)
    return Readability(score, level, description, total, sentences)
