"""Tables for Japanese Excel: the one place that writes CSV and .xlsx exports and reads
uploaded CSV and .xlsx files for imports.

CSV: UTF-8 with a BOM (Excel needs it to read UTF-8) or CP932 (Shift-JIS) on request, CRLF;
a cell Excel would take for a formula gets a leading '; CP932 refuses the whole file, naming
every row it cannot write, rather than replacing characters silently. .xlsx: bold frozen
header, column widths, numbers as numbers, text always stored as text.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

EXCEL_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
                # Name the columns of the cells that cannot be written, not only the row.
                columns = [
                    str(name)
                    for name, cell in zip(header, row, strict=False)
                    if any(not encodes(ch, "cp932") for ch in cell)
                ]
                where = f"{label}（列：{'、'.join(columns)}）" if columns else label
                problems.append((where, "".join(bad)))
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


# ---------------------------------------------------------------------------------------------
# Reading an uploaded file: rows of strings, or the whole file refused with a reason

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
# Reading stops after this many rows per allowed data row, whatever they hold: formatted but
# empty rows of a sheet count too.
SHEET_ROWS_PER_ROW = 20
MAX_COLUMNS = 40


class ImportRefused(Exception):
    """The file as a whole cannot be read (type, size, encoding, columns, row count)."""


def check_file(data, filename, *, max_bytes=MAX_BYTES, max_rows=MAX_ROWS):
    """The cheap checks of an uploaded table, made before it is stored: size, emptiness, and a
    type taken from the name and confirmed by the first bytes. Refused with a message for the
    person; returns "csv" or "xlsx"."""
    if len(data) > max_bytes:
        raise ImportRefused(
            f"ファイルが大きすぎます（{len(data) / 1024 / 1024:.1f}MB）。"
            f"{max_bytes // 1024 // 1024}MBまで、{max_rows}行までのファイルを選んでください。"
        )
    if not data:
        raise ImportRefused("ファイルが空です。")
    name = (filename or "").lower()
    is_zip = data.startswith(b"PK\x03\x04")
    if name.endswith(".xlsx"):
        if not is_zip:
            raise ImportRefused(
                "拡張子は .xlsx ですが、Excel（.xlsx）形式のファイルではありません。"
            )
        return "xlsx"
    if name.endswith(".csv"):
        if is_zip or b"\x00" in data[:4096]:
            raise ImportRefused(
                "拡張子は .csv ですが、CSV形式（文字のファイル）ではありません。"
                "Excelで「CSV UTF-8（コンマ区切り）」として保存したファイルを選んでください。"
            )
        return "csv"
    if name.endswith((".xls", ".xlsm", ".ods", ".numbers")):
        raise ImportRefused(
            "この形式のファイルは取り込めません。Excelで「Excel ブック（.xlsx）」"
            "又は「CSV UTF-8（コンマ区切り）（.csv）」として保存し直してください。"
        )
    raise ImportRefused("CSV（.csv）又はExcel（.xlsx）のファイルを選んでください。")


def read_table(data, filename, *, max_bytes=MAX_BYTES, max_rows=MAX_ROWS):
    """The rows of a .csv or .xlsx file as lists of strings. The type is taken from the name and
    confirmed by the content; anything else is refused with a message for the person. An
    importer with larger files (survey answers) passes its own limits."""
    kind = check_file(data, filename, max_bytes=max_bytes, max_rows=max_rows)
    if kind == "xlsx":
        return _read_xlsx(data, max_rows)
    return _read_csv(data, max_rows)


def named_rows(table, columns, *, required=(), one_of=(), note=""):
    """The rows of `table` (read_table's) below its header, as (row number, {column: text})
    for each of `columns` (a column the file lacks reads ""); empty rows are skipped. Refused
    (ImportRefused, a Japanese message) without rows, or when the header lacks a `required`
    column or every column of `one_of`; `note` follows the list of columns in that message."""
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise ImportRefused("ファイルに行がありません。")
    header = [cell.strip() for cell in table[0]]
    missing = [name for name in required if name not in header]
    if one_of and not any(name in header for name in one_of):
        missing.insert(0, "」又は「".join(one_of))
    if missing:
        raise ImportRefused(
            f"1行目（見出し）に「{'」「'.join(missing)}」の列がありません。"
            f"列は「{'」「'.join(columns)}」です{note}。"
        )
    index = {name: header.index(name) for name in columns if name in header}
    rows = [
        (
            number,
            {
                name: cells[index[name]].strip() if index.get(name, len(cells)) < len(cells) else ""
                for name in columns
            },
        )
        for number, cells in enumerate(table[1:], start=2)
    ]
    if not rows:
        raise ImportRefused("見出しの下に行がありません。")
    return rows


def decode_csv(data):
    """UTF-8 with or without a BOM, or CP932 (what Japanese Excel writes as
    「CSV（コンマ区切り）」)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportRefused(
                "UTF-8として読めない文字があります。ファイルの保存形式を確認してください。"
            ) from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            "文字コードを判別できません。UTF-8又はShift-JIS（CP932）のCSVファイルを選んでください。"
        ) from error


def _read_csv(data, max_rows=MAX_ROWS):
    text = decode_csv(data)
    try:
        rows = list(_limited(csv.reader(io.StringIO(text, newline="")), max_rows))
    except csv.Error as error:
        raise ImportRefused(f"CSVファイルとして読めません（{error}）。") from error
    return rows


def _limited(rows, max_rows=MAX_ROWS):
    """Stop with a refusal once the file holds more than `max_rows` data rows."""
    filled = 0
    for count, row in enumerate(rows):
        if count >= SHEET_ROWS_PER_ROW * max_rows:  # formatted but empty rows count too
            raise ImportRefused(f"行数が多すぎます。{max_rows}行までのファイルを選んでください。")
        if any(cell.strip() for cell in row):
            filled += 1
            if filled > max_rows + 1:  # the header row, then the data rows
                raise ImportRefused(
                    f"行数が多すぎます（{max_rows}行を超えています）。{max_rows}行ずつに分けて取り込んでください。"
                )
        yield row


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_xlsx(data, max_rows=MAX_ROWS):
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportRefused(
            "Excel（.xlsx）ファイルとして読めません。ファイルが壊れていないか確認してください。"
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        return list(_limited(([_cell_text(v) for v in row] for row in rows), max_rows))
    finally:
        workbook.close()


# ---------------------------------------------------------------------------------------------
# The preview of an import: every row checked, nothing written unless every row is good


class ImportPreview:
    """What the preview of every import shares: `rows`, each with `errors` (a list of
    reasons). The import may go ahead only when there are rows and none of them has an error.
    Each importer's preview is a dataclass that inherits this and declares `rows`."""

    rows: list

    @property
    def bad_rows(self):
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self):
        return bool(self.rows) and not self.bad_rows
