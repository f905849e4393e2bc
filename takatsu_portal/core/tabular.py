"""Tables for Japanese Excel: the one place that writes CSV and .xlsx exports.

CSV: UTF-8 with a BOM (Excel needs it to read UTF-8) or CP932 (Shift-JIS) on request, CRLF;
a cell Excel would take for a formula gets a leading '; CP932 refuses the whole file, naming
every row it cannot write, rather than replacing characters silently. .xlsx: bold frozen
header, column widths, numbers as numbers, text always stored as text.
"""

import csv
import io
from datetime import date
from decimal import Decimal

# Excel starts a formula with these; a cell that starts with one is written with a ' before it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t")

# Characters whose usual Unicode form has no CP932 code, but a look-alike that has one (the
# JIS X 0208 / CP932 mapping differences). Everything else unencodable makes the export fail.
CP932_LOOKALIKES = str.maketrans(
    {
        "\u301c": "\uff5e",  # 〜 WAVE DASH → ～
        "\u2016": "\u2225",  # ‖ → ∥
        "\u2212": "\uff0d",  # − MINUS SIGN → －
        "\u00a2": "\uffe0",  # ¢
        "\u00a3": "\uffe1",  # £
        "\u00ac": "\uffe2",  # ¬
        "\u2014": "\u2015",  # — EM DASH → ―
    }
)

ENCODINGS = ("utf-8", "cp932")


class UnencodableError(Exception):
    """Some rows hold characters the requested encoding cannot write."""

    def __init__(self, encoding, problems):
        self.encoding = encoding
        self.problems = problems  # [(row label, "𠮷…"), ...]
        super().__init__(f"{encoding} cannot encode {len(problems)} row(s)")


def cell_text(value):
    """A value as CSV text: nothing for None, plain decimals, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def escape_cell(value):
    """A CSV cell as text; text that Excel would take for a formula gets a leading '."""
    text = cell_text(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def unescape_cell(text):
    """The inverse of escape_cell, so that an exported file imports unchanged."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def encodes(char, encoding):
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def csv_bytes(header, rows, *, encoding="utf-8"):
    """CSV bytes of `rows`, an iterable of (label, values); the label names a row CP932
    cannot write in the UnencodableError."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unsupported encoding {encoding!r}")
    cp932 = encoding == "cp932"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    problems = []
    for label, values in rows:
        row = [escape_cell(value) for value in values]
        if cp932:
            row = [cell.translate(CP932_LOOKALIKES) for cell in row]
            bad = sorted({ch for cell in row for ch in cell if not encodes(ch, "cp932")})
            if bad:
                problems.append((label, "".join(bad)))
                continue
        writer.writerow(row)
    if problems:
        raise UnencodableError("cp932", problems)
    return buffer.getvalue().encode("cp932" if cp932 else "utf-8-sig")


def write_sheet(sheet, header, rows, *, widths=None, formats=None, wrapped=()):
    """Fill an openpyxl sheet: bold frozen header, then `rows` (lists of values). `widths` and
    `formats` map a column index to its width (14 when missing) and number format; `wrapped`
    holds the indexes of columns whose text wraps."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    formats, widths = formats or {}, widths or {}
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for number, values in enumerate(rows, start=2):
        for index, value in enumerate(values):
            cell = sheet.cell(row=number, column=index + 1)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # never a formula, even when the text begins with =
            else:
                cell.value = value
                if isinstance(value, date):
                    cell.number_format = "yyyy/mm/dd"
            if index in formats:
                cell.number_format = formats[index]
            if index in wrapped:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index in range(len(header)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = widths.get(index, 14)


def workbook_bytes(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
