"""The Japanese tokenizer: SudachiPy with its core dictionary (sudachidict_core), installed from
the package index with the dictionary inside; nothing is downloaded at run time.

The dictionary is loaded once per process, at the first use (about 0.05 s), and each thread
gets its own tokenizer of it. Offsets are character offsets into the text given.
"""

import functools
import threading
from dataclasses import dataclass

# Sudachi refuses inputs longer than about 49,000 bytes; texts are cut into pieces well
# below that, at line ends or sentence ends.
MAX_PIECE_CHARS = 4000
_local = threading.local()


@dataclass(frozen=True, slots=True)
class Token:
    surface: str
    start: int
    end: int
    norm: str  # normalized dictionary form: 講じた, 講ずる → 講じる
    pos: str  # part of speech, first level (名詞, 動詞, 助詞...)
    pos2: str  # second level (普通名詞, 非自立可能...)
    reading: str  # katakana
    form: str  # conjugation form of a verb or adjective (連用形-一般...), "*" for others


@functools.cache
def dictionary():
    from sudachipy import Dictionary

    return Dictionary(dict="core")


def _tokenizer():
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        from sudachipy import SplitMode

        tokenizer = _local.tokenizer = dictionary().tokenizer(mode=SplitMode.C)
    return tokenizer


def pieces(text):
    """(offset, piece) covering `text`, each at most MAX_PIECE_CHARS long, cut after a line
    end or a 。 where possible."""
    start, length = 0, len(text)
    while start < length:
        end = min(start + MAX_PIECE_CHARS, length)
        if end < length:
            cut = max(text.rfind("\n", start, end), text.rfind("。", start, end))
            if cut > start:
                end = cut + 1
        yield start, text[start:end]
        start = end


def tokenize(text):
    """The tokens of `text` with their character offsets (whitespace is not a token)."""
    tokens = []
    tokenizer = _tokenizer()
    for offset, piece in pieces(text):
        for m in tokenizer.tokenize(piece):
            surface = m.surface()
            if not surface.strip():
                continue
            pos = m.part_of_speech()
            tokens.append(
                Token(
                    surface,
                    offset + m.begin(),
                    offset + m.end(),
                    m.normalized_form(),
                    pos[0],
                    pos[1],
                    m.reading_form(),
                    pos[5],
                )
            )
    return tokens
