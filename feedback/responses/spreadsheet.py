"""Survey answers to and from spreadsheets.

Export: the analysis tables and the responses of a survey (one row per response, one column
per question) as CSV for Japanese Excel (UTF-8 with BOM, or CP932 failing loudly) and .xlsx,
with the cell rules of takatsu_portal/core/tabular.py and plans/imports.py's reader
(imported, not copied).

Import: a file exported by an external form service (回答日 + one column per question, by the
question's text or as Q1, Q2 … in the survey's order) is read with core.tabular.read_table,
each row is turned into the `answers` of responses/services.py's response_submit and checked
by response_clean, the rules of every submission (so the preview applies exactly the rules a
real submit applies) without writing anything; the confirmed import, run by the worker
(responses/imports.py), checks again and stores every row in one transaction with bulk
inserts. Submission keys come from the file's digest and the row number, so importing the
same file twice adds nothing.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from takatsu_portal.core import tabular
from takatsu_portal.core.tabular import (
    ImportRefused,
    csv_bytes,
    unescape_cell,
    workbook_bytes,
    write_sheet,
)

from ..models import LANGUAGE_NAMES_JA, LANGUAGES, SATISFACTION_LABELS, Answer, Question, Response

# ---------------------------------------------------------------------------------------------
# Tables to CSV and .xlsx


@dataclass
class Table:
    """A sheet of an export: typed cells (numbers stay numbers in .xlsx, None is empty).
    `formats` maps a column index to an Excel number format; the first `label_columns` cells
    name a row in error messages."""

    title: str
    header: list
    rows: list = field(default_factory=list)
    formats: dict = field(default_factory=dict)
    widths: dict = field(default_factory=dict)
    label_columns: int = 2
    label_prefix: str = ""

    def label(self, row):
        cells = [str(cell) for cell in row[: self.label_columns] if cell not in (None, "")]
        return self.label_prefix + " ".join(cells)


def tables_csv(tables, *, encoding="utf-8"):
    """One CSV of the rows of `tables` under the first table's header (the tables of one export
    share their columns), by core.tabular's rules; CP932 names every row it cannot write."""
    rows = ((table.label(values), values) for table in tables for values in table.rows)
    return csv_bytes(tables[0].header, rows, encoding=encoding)


def tables_xlsx(tables):
    """An .xlsx workbook with a sheet per table (core.tabular's rules)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for table in tables:
        title = re.sub(r"[\[\]:*?/\\]", "", table.title)[:31] or "Sheet"
        while title in used:
            title = title[:28] + f"_{len(used)}"
        used.add(title)
        sheet = workbook.create_sheet(title)
        write_sheet(sheet, table.header, table.rows, widths=table.widths, formats=table.formats)
    return workbook_bytes(workbook)


# ---------------------------------------------------------------------------------------------
# The office analysis as tables

OFFICE_HEADER = [
    "集計",
    "区分",
    "課",
    "回答件数",
    "平均満足度（1〜5）",
    "満足・やや満足（件）",
    "満足・やや満足の割合（%）",
]
OFFICE_FORMATS = {3: "#,##0", 4: "0.00", 5: "#,##0", 6: "0.0"}
OFFICE_WIDTHS = {0: 22, 1: 26, 2: 16, 3: 10, 4: 18, 5: 18, 6: 22}


def _satisfaction_cells(satisfaction):
    return [
        satisfaction.count,
        satisfaction.mean_value,
        satisfaction.satisfied,
        satisfaction.percent,
    ]


def office_tables(results):
    """The tables of the office analysis page (analysis.OfficeSatisfaction), with one set of
    columns: the fiscal years compared, by window, by section, by month (this year and last)."""

    def table(title, rows):
        return Table(
            title=title,
            header=OFFICE_HEADER,
            rows=rows,
            formats=OFFICE_FORMATS,
            widths=OFFICE_WIDTHS,
        )

    fy = results.fiscal_year
    comparison = [
        ["年度比較", row.label, "", *_satisfaction_cells(row.satisfaction)]
        for row in results.comparison.rows()
    ]
    windows = [
        [f"窓口別（{fy.era_label}）", row.label, row.detail, *_satisfaction_cells(row.satisfaction)]
        for row in results.windows
    ]
    sections = [
        [f"課別（{fy.era_label}）", row.label, "", *_satisfaction_cells(row.satisfaction)]
        for row in results.sections
    ]
    months = [
        [f"月別（{fy.era_label}）", row.label, "", *_satisfaction_cells(row.this_year)]
        for row in results.months
    ]
    previous = fy.previous()
    last_months = [
        [
            f"月別（{previous.era_label}）",
            f"{row.month.year - 1}年{row.month.month}月",
            "",
            *_satisfaction_cells(row.last_year),
        ]
        for row in results.months
    ]
    return [
        table("年度比較", comparison),
        table("窓口別", windows),
        table("課別", sections),
        table("月別", months + last_months),
    ]


# ---------------------------------------------------------------------------------------------
# The responses of a survey as a table

MULTIPLE_SEPARATOR = ";"
RESPONSE_COLUMNS = ["回答ID", "回答日", "回答方法", "言語", "窓口"]


def question_header(number, question):
    """ "Q1 本日の窓口の対応に満足しましたか。": readable, and imported back as question 1."""
    return f"Q{number} {question.text}"


def responses_table(survey, *, include_text):
    """Every response of `survey` as a row, one column per question in order (free-text
    questions only with `include_text`). Three queries: questions, responses, answers."""
    questions = list(survey.questions.order_by("order", "id"))
    columns = [
        (number, q)
        for number, q in enumerate(questions, start=1)
        if include_text or q.kind != Question.Kind.TEXT
    ]
    header = [*RESPONSE_COLUMNS, *(question_header(n, q) for n, q in columns)]
    channel_labels = dict(Response.Channel.choices)
    language_labels = LANGUAGE_NAMES_JA
    kinds = {q.pk: q.kind for q in questions}

    answers = {}
    rows = (
        Answer.objects.to_questions([q for _, q in columns])
        .filter(response__survey=survey)
        .values_list("response_id", "question_id", "choice__text", "number", "text")
        .order_by("response_id", "question_id", "choice__order", "choice_id", "id")
    )
    for response_id, question_id, choice_text, number, text in rows.iterator(chunk_size=5000):
        cell = answers.setdefault(response_id, {})
        kind = kinds[question_id]
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            cell.setdefault(question_id, []).append(choice_text or "")
        elif kind == Question.Kind.SATISFACTION:
            cell[question_id] = int(number) if number is not None else None
        elif kind == Question.Kind.NUMBER:
            cell[question_id] = number.normalize() if number is not None else None
        else:  # free text, and a window question's answer (the window's name)
            cell[question_id] = text

    table_rows = []
    responses = survey.responses.values_list(
        "pk", "submitted_on", "channel", "language", "window__name"
    ).order_by("submitted_on", "pk")
    for pk, submitted_on, channel, language, window_name in responses.iterator(chunk_size=5000):
        cells = answers.get(pk, {})
        row = [
            pk,
            submitted_on,
            channel_labels.get(channel, channel),
            language_labels.get(language, language),
            window_name or "",
        ]
        for _, question in columns:
            value = cells.get(question.pk)
            if isinstance(value, list):
                value = MULTIPLE_SEPARATOR.join(value)
            row.append(value)
        table_rows.append(row)
    widths = {0: 8, 1: 12, 2: 18, 3: 12, 4: 20}
    widths.update({len(RESPONSE_COLUMNS) + i: 24 for i in range(len(columns))})
    return Table(
        title="回答一覧",
        header=header,
        rows=table_rows,
        formats={0: "0"},
        widths=widths,
        label_columns=1,
        label_prefix="回答ID ",
    )


# ---------------------------------------------------------------------------------------------
# Import of answers from an external form service

DATE_HEADERS = ("回答日", "タイムスタンプ", "Timestamp", "回答日時")
LANGUAGE_HEADER = "言語"
WINDOW_HEADER = "窓口"
QUESTION_NUMBER = re.compile(r"^[Qq]([0-9]+)(?:$|[\s.:：、．)）])")
DATE_PATTERN = re.compile(r"^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?(?:[ T].*)?$")
CHOICE_SEPARATORS = re.compile(r"[;；、]")
SATISFACTION_WORDS = {label: point for point, label in enumerate(SATISFACTION_LABELS["ja"], 1)}
SATISFACTION_WORDS.update({"普通": 3, "どちらともいえない": 3})
SATISFACTION_HELP = "1〜5の数字、又は「" + "・".join(reversed(SATISFACTION_LABELS["ja"])) + "」"


def normal(text):
    return unicodedata.normalize("NFKC", text or "").strip()


def submission_key(digest, row_number):
    """The key of a file's row: the same file imported again gives the same keys, so
    response_submit returns the responses stored the first time instead of adding new ones."""
    return hashlib.sha256(f"import:{digest}:{row_number}".encode()).hexdigest()


@dataclass
class Columns:
    """Where the answer date, the language, the window and each question are in the file."""

    date: int
    language: int | None = None
    window: int | None = None
    questions: dict = field(default_factory=dict)  # Question → column index
    ignored: list = field(default_factory=list)
    missing_optional: list = field(default_factory=list)


def map_columns(header_row, questions):
    """Map the header row to the survey's questions (by text, or Q1, Q2 … in order), or refuse
    the file with every problem of the header named."""
    by_number = dict(enumerate(questions, start=1))
    by_text = {}
    for question in questions:
        by_text.setdefault(normal(question.text), []).append(question)
    found = {}
    places = {}
    problems = []
    ignored = []
    for position, cell in enumerate(header_row):
        name = normal(cell).lstrip("\ufeff")
        if not name:
            continue
        target = None
        match = QUESTION_NUMBER.match(name)
        if name in DATE_HEADERS:
            target = "date"
        elif name == LANGUAGE_HEADER:
            target = "language"
        elif name in by_text:
            if len(by_text[name]) > 1:
                problems.append(
                    f"「{name}」という質問が複数あるため特定できません（Q番号で指定してください）"
                )
                continue
            target = by_text[name][0]
        elif match:
            number = int(match.group(1))
            if number not in by_number:
                problems.append(f"「{name}」：このアンケートの質問はQ1〜Q{len(questions)}です")
                continue
            target = by_number[number]
        elif name == WINDOW_HEADER:
            target = "window"
        else:
            ignored.append(name)
            continue
        if target in found:
            what = target if isinstance(target, str) else f"Q{_number_of(target, questions)}"
            label = {"date": "回答日", "language": "言語", "window": "窓口"}.get(what, what)
            problems.append(f"{label}の列が二つあります（{places[target]}と「{name}」）")
            continue
        found[target] = position
        places[target] = f"「{name}」"
    if "date" not in found:
        problems.append("回答日の列（見出し「回答日」）がありません")
    missing_required = [
        f"Q{number}「{q.text}」" for number, q in by_number.items() if q.required and q not in found
    ]
    if missing_required:
        problems.append("回答必須の質問の列がありません：" + "、".join(missing_required))
    if problems:
        raise ImportRefused("1行目の見出しを確認してください。" + "／".join(problems) + "。")
    return Columns(
        date=found["date"],
        language=found.get("language"),
        window=found.get("window"),
        questions={q: found[q] for q in questions if q in found},
        ignored=ignored,
        missing_optional=[
            f"Q{number}「{q.text}」" for number, q in by_number.items() if q not in found
        ],
    )


def _number_of(question, questions):
    return next(i for i, q in enumerate(questions, start=1) if q.pk == question.pk)


def parse_date(text):
    value = normal(text)
    match = DATE_PATTERN.match(value)
    if not match:
        raise ValueError(f"回答日「{text}」は日付として読めません（例：2026-06-01、2026/6/1）")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(f"回答日「{text}」という日はありません") from None


def parse_language(text):
    value = normal(text)
    if not value:
        return "ja"
    for code, label in LANGUAGES:
        # The Japanese name (what exports write), the code, or the language's own name.
        if value in (code, label, LANGUAGE_NAMES_JA[code]):
            return code
    labels = "、".join(LANGUAGE_NAMES_JA[code] for code, _ in LANGUAGES)
    raise ValueError(f"言語「{text}」はありません（{labels}、又は空欄で日本語）")


class _Choices:
    """A question's choices (or the survey's windows) by their normalised text."""

    def __init__(self, items, text=str):
        self.by_text = {}
        for item in items:
            self.by_text.setdefault(normal(text(item)), item)
        self.listing = "、".join(text(item) for item in items)

    def get(self, text):
        return self.by_text.get(normal(text))


def parse_answer(question, text, *, choices, windows):
    """The value response_submit expects for one cell, or ValueError with the reason."""
    kind = question.kind
    value = unescape_cell(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    if kind == Question.Kind.SATISFACTION:
        plain = normal(value)
        if plain in SATISFACTION_WORDS:
            return SATISFACTION_WORDS[plain]
        if plain.isdigit() and 1 <= int(plain) <= 5:
            return int(plain)
        raise ValueError(f"満足度「{value}」は読めません（{SATISFACTION_HELP}）")
    if kind == Question.Kind.SINGLE:
        choice = choices.get(value)
        if choice is None:
            raise ValueError(f"選択肢にない回答「{value}」です（選択肢：{choices.listing}）")
        return choice.pk
    if kind == Question.Kind.MULTIPLE:
        picked, unknown = [], []
        for part in CHOICE_SEPARATORS.split(value):
            if not part.strip():
                continue
            choice = choices.get(part)
            if choice is None:
                unknown.append(part.strip())
            elif choice.pk not in picked:
                picked.append(choice.pk)
        if unknown:
            raise ValueError(
                f"選択肢にない回答「{'」「'.join(unknown)}」です（選択肢：{choices.listing}。"
                "複数の回答は「;」又は「、」で区切ります）"
            )
        return picked
    if kind == Question.Kind.NUMBER:
        plain = normal(value).replace(",", "")
        try:
            number = Decimal(plain)
        except InvalidOperation:
            raise ValueError(f"数値「{value}」は読めません") from None
        if not number.is_finite():
            raise ValueError(f"数値「{value}」は読めません")
        return number
    if kind == Question.Kind.WINDOW:
        window = windows.get(value)
        if window is None:
            raise ValueError(
                f"窓口「{value}」はこのアンケートの窓口にありません（{windows.listing}）"
            )
        return window.pk
    return value


@dataclass
class ImportRow:
    number: int  # the row in the spreadsheet; the header is row 1
    submitted_on: date | None = None
    language: str = "ja"
    window: int | None = None
    answers: dict = field(default_factory=dict)
    cells: list = field(default_factory=list)  # the row's values as shown in the preview
    errors: list = field(default_factory=list)
    failed: set = field(default_factory=set)  # error keys of response_submit already explained
    key: str = ""
    imported_before: bool = False

    def refuse(self, key, reason):
        self.failed.add(key)
        self.errors.append(reason)


@dataclass
class ImportPreview(tabular.ImportPreview):
    survey: object
    columns: Columns
    rows: list
    headers: list  # the columns shown in the preview

    @property
    def new_rows(self):
        return [row for row in self.rows if not row.imported_before]

    @property
    def imported_before(self):
        return sum(1 for row in self.rows if row.imported_before)


def parse(table, *, survey, questions, windows, digest):
    """The rows of `table` (from read_table) as ImportRows with their parsing errors; nothing
    is checked against the database here except which rows a former import stored."""
    if not table:
        raise ImportRefused("ファイルにデータがありません。")
    columns = map_columns(table[0], questions)
    choices = {q.pk: _Choices(list(q.choices.all()), text=lambda c: c.text) for q in questions}
    window_choices = _Choices(windows, text=lambda w: w.name)
    # Looked up once, not once a cell (a file may hold 60,000 cells).
    placed = [
        (question, question.id, position, choices[question.id])
        for question, position in columns.questions.items()
    ]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(position, cells=cells):
            return cells[position] if position is not None and position < len(cells) else ""

        row = ImportRow(number=number, key=submission_key(digest, number))
        row.cells = [cell(columns.date)] + [cell(p) for p in columns.questions.values()]
        try:
            row.submitted_on = parse_date(cell(columns.date))
        except ValueError as error:
            row.refuse("submitted_on", str(error))
        try:
            row.language = parse_language(cell(columns.language))
        except ValueError as error:
            row.refuse("language", str(error))
        if columns.window is not None and cell(columns.window).strip():
            window = window_choices.get(cell(columns.window))
            if window is None:
                row.refuse(
                    "window",
                    f"窓口「{cell(columns.window).strip()}」はこのアンケートの窓口にありません",
                )
            else:
                row.window = window.pk
        for question, question_id, position, question_choices in placed:
            text = cell(position)
            if not text or not normal(text):
                continue
            try:
                row.answers[question_id] = parse_answer(
                    question, text, choices=question_choices, windows=window_choices
                )
            except ValueError as error:
                row.refuse(f"q{question.pk}", f"Q{_number_of(question, questions)}：{error}")
        rows.append(row)
    if not rows:
        raise ImportRefused("見出しの行の下に、取り込む回答の行がありません。")
    imported = set(
        survey.responses.filter(submission_key__in=[row.key for row in rows]).values_list(
            "submission_key", flat=True
        )
    )
    for row in rows:
        row.imported_before = row.key in imported
    headers = ["回答日"] + [f"Q{_number_of(q, questions)}" for q in columns.questions]
    return ImportPreview(survey=survey, columns=columns, rows=rows, headers=headers)


def _messages(error, questions, explained):
    """response_submit's errors as reasons, without those the parsing already gave."""
    numbers = {f"q{q.pk}": (n, q) for n, q in enumerate(questions, start=1)}
    labels = {"submitted_on": "回答日", "language": "言語", "window": "窓口"}
    reasons = []
    for key, messages in error.message_dict.items():
        if key in explained:
            continue
        if key in numbers:
            prefix = f"Q{numbers[key][0]}："
        elif key in labels:
            prefix = f"{labels[key]}："
        else:
            prefix = ""
        reasons.extend(prefix + message for message in messages)
    return reasons


def check_rows(preview, *, questions, context, progress=None):
    """Check every new row through responses/services.py's response_clean (the rules of
    every submission), writing nothing: each row carries the reasons response_clean gave.
    Returns the good rows as CleanResponses, for responses_bulk_create. Rows a former
    import stored are left alone. `progress(count)` is told the rows checked so far."""
    from .services import CleanResponse, response_clean

    clean = []
    for count, row in enumerate(preview.rows, start=1):
        if not row.imported_before:
            if not row.answers and not row.errors:
                row.errors.append("回答が一つもありません")
            try:
                window, answers = response_clean(
                    survey=preview.survey,
                    answers=row.answers,
                    channel=Response.Channel.IMPORT,
                    language=row.language,
                    submitted_on=row.submitted_on,
                    window=row.window,
                    context=context,
                )
            except ValidationError as error:
                row.errors.extend(_messages(error, questions, row.failed))
            else:
                if not row.errors:
                    clean.append(
                        CleanResponse(
                            submitted_on=row.submitted_on,
                            language=row.language,
                            submission_key=row.key,
                            window=window,
                            answers=answers,
                        )
                    )
        if progress is not None:
            progress(count)
    return clean
