"""Article text: Markdown rendered and sanitised for readers, and the normalised forms search
uses (NFKC, katakana folded to hiragana, lower case) with their character bigrams.

Rendering is two steps, each by a maintained library: markdown-it-py (CommonMark, raw HTML
off, so `<script>` typed in a body is shown as text) and nh3 (an allowlist of tags, attributes
and URL schemes; no images at all, since an image in a body would be fetched from wherever its
address points: pictures go in as attachments, which the portal serves itself).
"""

import html
import re
import unicodedata

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
# No style attributes: the portal's Content-Security-Policy refuses inline styles anyway.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("table").enable("strikethrough")


def _image_as_text(renderer, tokens, idx, options, env):
    """An image is never fetched: its description is shown as text instead."""
    alt = "".join(child.content for child in tokens[idx].children or [])
    return html.escape(f"［画像：{alt}］" if alt else "［画像］")


_markdown.add_render_rule("image", _image_as_text)


def _shift_headings(tokens):
    """A body's `# heading` becomes an h2 (the page's h1 is the article title) and so on."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + 1, 6)
            token.tag = f"h{level}"
    return tokens


def render_markdown(source):
    """The body as safe HTML: what readers, the preview and the PDF all show."""
    tokens = _shift_headings(_markdown.parse(source or ""))
    raw = _markdown.renderer.render(tokens, _markdown.options, {})
    return sanitise(raw)


def sanitise(raw_html):
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_TAG = re.compile(r"<[^>]+>")


def plain_text(safe_html):
    """The words of rendered HTML, for search and snippets (blocks separated by a new line)."""
    text = re.sub(r"</(p|h\d|li|tr|pre|blockquote)>", "\n", safe_html)
    return html.unescape(_TAG.sub("", text)).strip()


# ---------------------------------------------------------------------------------------------
# Normalisation for search

_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6
_VOICED_MARKS = {"\u3099", "\u309a"}


def _fold_char(ch):
    out = []
    for c in unicodedata.normalize("NFKC", ch).lower():
        code = ord(c)
        if _KATAKANA_START <= code <= _KATAKANA_END:
            c = chr(code - 0x60)
        out.append(c)
    return "".join(out)


def normalise_with_map(text):
    """(normalised text, index of the source character each normalised character came from).

    Each character is NFKC-normalised, lower-cased and katakana folded to hiragana; a
    half-width voiced mark (ﾞ ﾟ) joins the kana before it, as NFKC of the whole text would.
    Whitespace runs become one space."""
    out, where = [], []
    for index, ch in enumerate(text or ""):
        folded = _fold_char(ch)
        for c in folded:
            if c in _VOICED_MARKS and out:
                joined = unicodedata.normalize("NFC", out[-1] + c)
                if len(joined) == 1:
                    out[-1] = _fold_char(joined)
                    continue
            if c.isspace():
                if out and out[-1] == " ":
                    continue
                c = " "
            out.append(c)
            where.append(index)
    return "".join(out), where


def normalise(text):
    return normalise_with_map(text)[0]


def query_terms(query):
    """The normalised words of a search box's text (spaces of either width separate them)."""
    return [term for term in normalise(query).split(" ") if term][:5]


def bigrams(normalised):
    """The text's tokens, as PostgreSQL's `bulletins_bigrams` (migration 0002) makes them:
    each character with the one after it, or alone before a space or at the end. Every
    occurrence of a one-character query is then the start of a token, and every two
    consecutive characters of a longer query are a token."""
    tokens = set()
    for i, ch in enumerate(normalised):
        if ch == " ":
            continue
        tokens.add(normalised[i : i + 2].rstrip(" "))
    return tokens


def _lexeme(token):
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_literal(term):
    """A normalised term as a tsquery over the bigram tokens: a prefix match for one
    character, every bigram of the term (`&`) for more. The index finds the rows holding all
    of them; the LIKE on the normalised text that follows keeps only those where they stand
    together in order, so results are exact."""
    if len(term) == 1:
        return f"{_lexeme(term)}:*"
    pairs = dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1))
    return " & ".join(_lexeme(pair) for pair in pairs)


def snippet(text, terms, *, width=60):
    """A piece of `text` around the first hit of any term, HTML-escaped, with every hit in the
    piece wrapped in <mark>. Returns (html, found)."""
    normalised, where = normalise_with_map(text)
    first = None
    for term in terms:
        at = normalised.find(term)
        if at >= 0 and (first is None or at < first):
            first = at
    if first is None:
        short = text[: width * 2]
        return html.escape(short) + ("…" if len(text) > len(short) else ""), False
    start_n = max(0, first - width // 2)
    end_n = min(len(normalised), start_n + width * 2)
    # Hits in normalised coordinates, then mapped back to the source text.
    marks = []
    for term in terms:
        at = normalised.find(term, start_n)
        while 0 <= at < end_n:
            marks.append((at, at + len(term)))
            at = normalised.find(term, at + len(term))
    marks.sort()
    merged = []
    for begin, end in marks:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))

    def source(index):
        return where[index] if index < len(where) else len(text)

    src_start, src_end = source(start_n), source(end_n) if end_n < len(where) else len(text)
    parts, cursor = [], src_start
    for begin, end in merged:
        b, e = source(begin), source(end) if end < len(where) else len(text)
        parts.append(html.escape(text[cursor:b]))
        parts.append(f"<mark>{html.escape(text[b:e])}</mark>")
        cursor = e
    parts.append(html.escape(text[cursor:src_end]))
    prefix = "…" if src_start > 0 else ""
    suffix = "…" if src_end < len(text) else ""
    return prefix + "".join(parts).replace("\n", " ") + suffix, True
