"""Staff transfers (人事異動) from one table (CSV or .xlsx), all or nothing: the admin's import
page (StaffTransferAdmin) and `manage.py staff_transfers_import FILE` call the same check and
write. The transfers are then applied on their date by the beat task, as those entered one by
one in the admin (accounts/transfers.py).

One row per transfer: the person (職員番号 or ユーザー名), the new office (異動先の区役所, its
name or code), the new section (異動先の課, its name in that office, or 「部／課」 when two
departments have a section of that name), the date (異動日) and an optional note (備考). Every
row is checked before anything is written; a file with one bad row writes nothing and every bad
row is reported with its row number (the header is row 1, as Excel numbers it) and reasons.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction

from takatsu_portal.core.tabular import ImportPreview, ImportRefused, named_rows, read_table

from .models import Office, Section, StaffTransfer, User

STAFF_NUMBER = "職員番号"
USERNAME = "ユーザー名"
OFFICE = "異動先の区役所"
SECTION = "異動先の課"
DATE = "異動日"
NOTE = "備考"
COLUMNS = (STAFF_NUMBER, USERNAME, OFFICE, SECTION, DATE, NOTE)
REQUIRED_COLUMNS = (OFFICE, SECTION, DATE)
REASON = "人事異動のファイルから登録"
# A city's yearly list can be long: up to this many rows in one file (the floor's reader's
# byte limit stays).
MAX_ROWS = 5000
SECTION_SEPARATORS = ("／", "/")
CHANGED = (
    "確認の後に、同じ人・同じ異動日の異動が登録されました。何も登録していません。"
    "ファイルをもう一度確認してください。"
)


@dataclass
class TransferRow:
    number: int  # the row's number in the file (the header is 1)
    staff_number: str = ""
    username: str = ""
    office: str = ""
    section: str = ""
    day_text: str = ""
    note: str = ""
    user: User | None = None
    to_section: Section | None = None
    effective_on: date | None = None
    errors: list = field(default_factory=list)

    @property
    def person(self):
        return self.staff_number or self.username


@dataclass
class TransferPreview(ImportPreview):
    rows: list

    def error_lines(self):
        return [f"{row.number}行目：{'／'.join(row.errors)}" for row in self.bad_rows]


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_day(text):
    """2027-04-01, 2027/4/1, 2027年4月1日 (what Excel and people write); None when not a date."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def staff_transfers_check(*, data, filename) -> TransferPreview:
    """Read and check every row of the file against the database; nothing is written. Raises
    ImportRefused when the file as a whole cannot be used."""
    named = named_rows(
        read_table(data, filename, max_rows=MAX_ROWS),
        COLUMNS,
        required=REQUIRED_COLUMNS,
        one_of=(STAFF_NUMBER, USERNAME),
        note="（職員番号とユーザー名はどちらか一つで足ります）",
    )
    rows = [
        TransferRow(
            number=number,
            staff_number=cell[STAFF_NUMBER],
            username=cell[USERNAME],
            office=cell[OFFICE],
            section=cell[SECTION],
            day_text=cell[DATE],
            note=cell[NOTE],
        )
        for number, cell in named
    ]
    _check_rows(rows)
    return TransferPreview(rows=rows)


def _people(rows):
    """The people the rows name, by staff number and by user name, with their present section
    (the preview shows it): two queries."""
    numbers = {row.staff_number for row in rows if row.staff_number}
    names = {row.username for row in rows if row.username}
    people = User.objects.select_related("section")
    by_number = {u.staff_number: u for u in people.filter(staff_number__in=numbers)}
    by_name = {u.username: u for u in people.filter(username__in=names)}
    return by_number, by_name


def _sections():
    """Every section with its department and office, by office (one query): a transfer file
    names any office of the city."""
    by_office = {}
    for section in Section.objects.select_related("department__office"):
        by_office.setdefault(section.department.office_id, []).append(section)
    return by_office


def _find_section(row, office, by_office):
    """The section `row` names in `office`: by name, or by 「部／課」."""
    text = row.section
    department = None
    for separator in SECTION_SEPARATORS:
        if separator in text:
            department, text = (part.strip() for part in text.split(separator, 1))
            break
    candidates = [
        s
        for s in by_office.get(office.pk, [])
        if s.name == text and (department is None or s.department.name == department)
    ]
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        row.errors.append(
            f"{office.name}には課「{text}」が複数あります（"
            f"{'・'.join(s.department.name for s in candidates)}）。"
            "「部／課」の形で指定してください"
        )
        return None
    elsewhere = [
        s.department.office.name
        for sections in by_office.values()
        for s in sections
        if s.name == text and s.department.office_id != office.pk
    ]
    if elsewhere:
        row.errors.append(
            f"課「{row.section}」は{office.name}の課ではありません"
            f"（{'・'.join(dict.fromkeys(elsewhere))}の課です）"
        )
    else:
        row.errors.append(f"課「{row.section}」はありません")
    return None


def _check_rows(rows):
    by_number, by_name = _people(rows)
    offices = list(Office.objects.all())
    office_by_text = {**{o.code: o for o in offices}, **{o.name: o for o in offices}}
    by_office = _sections()
    for row in rows:
        # The person.
        if not row.staff_number and not row.username:
            row.errors.append("職員番号とユーザー名が空欄です（どちらかを入れてください）")
        else:
            user = None
            if row.staff_number:
                user = by_number.get(row.staff_number)
                if user is None:
                    row.errors.append(f"職員番号「{row.staff_number}」の職員はいません")
            if row.username:
                named = by_name.get(row.username)
                if named is None:
                    row.errors.append(f"ユーザー名「{row.username}」の職員はいません")
                elif user is not None and named.pk != user.pk:
                    row.errors.append(
                        f"職員番号「{row.staff_number}」とユーザー名「{row.username}」が"
                        "別の職員を指しています"
                    )
                    user = None
                elif not row.staff_number:
                    user = named
            if user is not None and not user.is_active:
                row.errors.append(f"{user.full_name or user.username}さんのアカウントは無効です")
            row.user = user
        # The office and section.
        office = None
        if not row.office:
            row.errors.append("異動先の区役所が空欄です")
        else:
            office = office_by_text.get(row.office)
            if office is None:
                row.errors.append(f"区役所「{row.office}」はありません")
        if not row.section:
            row.errors.append("異動先の課が空欄です")
        elif office is not None:
            row.to_section = _find_section(row, office, by_office)
        # The date.
        if not row.day_text:
            row.errors.append("異動日が空欄です")
        else:
            row.effective_on = parse_day(row.day_text)
            if row.effective_on is None:
                row.errors.append(
                    f"異動日「{row.day_text}」は日付として読めません（例：2027-04-01）"
                )
        if len(row.note) > 200:
            row.errors.append("備考は200文字までです")
    _check_against_each_other_and_the_database(rows)


def _check_against_each_other_and_the_database(rows):
    """A person twice in the file, and a transfer already registered for the person and date
    (one query)."""
    seen = {}
    for row in rows:
        if row.user is None:
            continue
        first = seen.setdefault(row.user.pk, row)
        if first is not row:
            row.errors.append(
                f"{row.user.full_name or row.user.username}さん（{row.person}）が"
                f"{first.number}行目にもあります（一つのファイルに一人一行です）"
            )
    wanted = [row for row in rows if row.user is not None and row.effective_on is not None]
    existing = {
        (t.user_id, t.effective_on): t
        for t in StaffTransfer.objects.filter(
            user__in={row.user.pk for row in wanted},
            effective_on__in={row.effective_on for row in wanted},
        )
    }
    for row in wanted:
        transfer = existing.get((row.user.pk, row.effective_on))
        if transfer is None:
            continue
        state = "反映済み" if transfer.applied_at else "未反映"
        row.errors.append(
            f"{row.user.full_name or row.user.username}さんには{row.effective_on:%Y年%m月%d日}の"
            f"異動がすでに登録されています（{state}）"
        )


def staff_transfers_import(*, data, filename, by) -> list[StaffTransfer]:
    """Check the file again (the database may have changed since the preview) and register
    every transfer in one transaction, each with its history; nothing when one row is bad.
    Returns the transfers; raises ImportRefused with the reason otherwise."""
    preview = staff_transfers_check(data=data, filename=filename)
    if not preview.is_valid:
        raise ImportRefused(
            f"取り込めない行が{len(preview.bad_rows)}行あります。何も登録していません。"
        )
    transfers = []
    try:
        with transaction.atomic():
            for row in preview.rows:
                transfer = StaffTransfer(
                    user=row.user,
                    to_section=row.to_section,
                    effective_on=row.effective_on,
                    note=row.note,
                    created_by=by,
                )
                transfer._change_reason = f"{REASON}（{filename}）"
                transfer.save()
                transfers.append(transfer)
    except IntegrityError:
        raise ImportRefused(CHANGED) from None
    return transfers
