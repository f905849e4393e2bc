"""The glossary in CSV (UTF-8 with BOM, for Excel) and .xlsx, with the floor's tabular I/O.

Import reads the same columns: a row whose 用語 is already in the glossary updates that term,
a new 用語 adds one. Every row is checked first; one bad row imports nothing, and every bad
row is reported with its line number and reason.
"""

from dataclasses import dataclass, field

from django.db import transaction

from takatsu_portal.core.tabular import (
    ImportRefused,
    csv_bytes,
    read_table,
    workbook_bytes,
    write_sheet,
)

from .forms import TermForm
from .models import Category, Term
from .services import FIELDS, ConflictError, term_create, term_update

HEADER = [
    "用語",
    "読み",
    "分類",
    "言い換え",
    "説明",
    "例文",
    "別の書き方",
    "置き換えボタン",
    "点検に使う",
]
CATEGORY_BY_LABEL = {label: key for key, label in Category.choices}
TRUE_WORDS = {"はい", "TRUE", "true", "1", "○", "する"}
FALSE_WORDS = {"いいえ", "FALSE", "false", "0", "×", "しない"}

__all__ = ["HEADER", "ImportInvalid", "ImportRefused", "export_csv", "export_xlsx", "import_file"]


class ImportInvalid(Exception):
    """Some rows are wrong: nothing was imported. `problems` is [(line, term, reason)]."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"{len(problems)} bad row(s)")


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    terms: list = field(default_factory=list)


def _yes(value):
    return "はい" if value else "いいえ"


def term_values(term):
    return [
        term.term,
        term.reading,
        term.get_category_display(),
        term.alternatives,
        term.explanation,
        term.example,
        term.variants,
        _yes(term.auto_replace),
        _yes(term.is_active),
    ]


def export_csv(terms, *, encoding="utf-8"):
    return csv_bytes(HEADER, ((t.term, term_values(t)) for t in terms), encoding=encoding)


def export_xlsx(terms):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "言い換え辞書"
    write_sheet(
        sheet,
        HEADER,
        (term_values(t) for t in terms),
        widths={0: 22, 1: 22, 2: 16, 3: 30, 4: 50, 5: 50, 6: 20},
        wrapped=(3, 4, 5, 6),
    )
    return workbook_bytes(workbook)


def _flag(text, label, errors):
    """はい/いいえ (TRUE/FALSE, 1/0, ○/×); an empty cell is はい."""
    text = text.strip()
    if text in TRUE_WORDS or not text:
        return True
    if text in FALSE_WORDS:
        return False
    errors.append(f"{label}は「はい」か「いいえ」で書いてください（「{text}」）。")
    return False


def _row_data(values, errors):
    values = [v.replace("\r\n", "\n").replace("\r", "\n") for v in values] + [""] * len(HEADER)
    category_text = values[2].strip()
    category = CATEGORY_BY_LABEL.get(category_text) or (
        category_text if category_text in Category.values else None
    )
    if category is None:
        errors.append(
            f"分類「{category_text}」がありません（{'・'.join(CATEGORY_BY_LABEL)}のどれか）。"
        )
    return {
        "term": values[0].strip(),
        "reading": values[1].strip(),
        "category": category or "",
        "alternatives": values[3],
        "explanation": values[4].strip(),
        "example": values[5].strip(),
        "variants": values[6],
        "auto_replace": _flag(values[7], "置き換えボタン", errors),
        "is_active": _flag(values[8], "点検に使う", errors),
    }


def _check_header(row):
    names = [cell.strip().lstrip("\ufeff") for cell in row[: len(HEADER)]]
    if names != HEADER:
        raise ImportRefused(
            "1行目の列名が違います。書き出したファイルと同じ列（"
            + "、".join(HEADER)
            + "）にしてください。"
        )


def import_file(data, filename, *, by):
    """Import a CSV or .xlsx file of terms, all rows or none."""
    table = read_table(data, filename)
    if not table:
        raise ImportRefused("ファイルが空です。")
    _check_header(table[0])
    existing = {term.term: term for term in Term.objects.all()}
    problems, good, seen = [], [], {}
    for line, values in enumerate(table[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        errors = []
        data_row = _row_data(values, errors)
        name = data_row["term"]
        instance = existing.get(name)
        # The form writes the row onto the instance as it validates: keep what was stored.
        stored = {f: getattr(instance, f) for f in FIELDS} if instance else None
        form = TermForm(
            {**data_row, "version": instance.version if instance else ""},
            instance=instance,
        )
        if not form.is_valid():
            for field_name, messages in form.errors.items():
                if field_name == "category" and any("分類" in e for e in errors):
                    continue
                label = form.fields[field_name].label if field_name in form.fields else ""
                errors.extend(f"{label}：{m}" if label else m for m in messages)
        if name and name in seen:
            errors.append(f"用語「{name}」が{seen[name]}行目にもあります。")
        seen.setdefault(name, line)
        if errors:
            problems.append((line, name, " ".join(errors)))
        else:
            good.append((instance, stored, form.cleaned_data))
    if problems:
        raise ImportInvalid(problems)
    if not good:
        raise ImportRefused("取り込む行がありません。")
    outcome = Outcome()
    try:
        with transaction.atomic():
            _write(good, outcome, by)
    except ConflictError as error:
        raise ImportRefused(
            f"取り込み中に「{error.current.term}」が他の人に変更されました。"
            "何も取り込んでいません。もう一度取り込んでください。"
        ) from error
    return outcome


def _write(good, outcome, by):
    for instance, stored, cleaned in good:
        values = {name: cleaned[name] for name in FIELDS}
        if instance is None:
            outcome.terms.append(term_create(data=values, by=by))
            outcome.created += 1
        elif stored == values:
            outcome.unchanged += 1
        else:
            term_update(term=instance, data=values, by=by, expected_version=instance.version)
            outcome.updated += 1
