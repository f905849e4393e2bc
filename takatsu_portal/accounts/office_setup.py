"""Setting up a new ward office from one table (CSV or .xlsx): its departments, sections and
staff, all or nothing (`manage.py office_create`).

One row per member of staff; a row with only 部 and 課 adds a section that has no staff yet.
Every row is checked before anything is written; a file with one bad row writes nothing and
every bad row is reported with its row number (the header is row 1, as Excel numbers it). The
office gets its own copy of the city's guideline (core/guideline.py) in the same transaction.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from takatsu_portal.core.guideline import office_guideline_copy
from takatsu_portal.core.tabular import ImportPreview, named_rows, read_table

from .models import Department, Office, Section, User, kana_validator
from .roles import Role, assign_role

DEPARTMENT = "部"
SECTION = "課"
USERNAME = "ユーザー名"
STAFF_NUMBER = "職員番号"
FULL_NAME = "氏名"
KANA = "ふりがな"
EMAIL = "メールアドレス"
ROLES = "役割"
COLUMNS = (DEPARTMENT, SECTION, USERNAME, STAFF_NUMBER, FULL_NAME, KANA, EMAIL, ROLES)
REQUIRED_COLUMNS = (DEPARTMENT, SECTION, USERNAME, FULL_NAME)

# A role by its code (staff) or its Japanese title (職員), as the admin shows it.
ROLE_NAMES = {**{role.value: role for role in Role}, **{role.label: role for role in Role}}
ROLE_SEPARATORS = ("、", "・", ",", "，", "/", "／")


@dataclass
class StaffRow:
    number: int  # the row's number in the file (the header is 1)
    department: str
    section: str
    username: str = ""
    staff_number: str = ""
    full_name: str = ""
    kana: str = ""
    email: str = ""
    roles: list = field(default_factory=list)
    errors: list = field(default_factory=list)


@dataclass
class OfficeSetupPreview(ImportPreview):
    rows: list

    @property
    def departments(self):
        return list(dict.fromkeys(row.department for row in self.rows))

    @property
    def sections(self):
        return list(dict.fromkeys((row.department, row.section) for row in self.rows))

    @property
    def staff(self):
        return [row for row in self.rows if row.username]

    def error_lines(self):
        return [f"{row.number}行目：{'／'.join(row.errors)}" for row in self.bad_rows]


def _roles(text):
    """Role names separated by 、・,／ or line breaks (not spaces: 「区企画調整会議 委員」 has
    one); spaces inside a name may be half- or full-width."""
    for separator in ROLE_SEPARATORS:
        text = text.replace(separator, "\n")
    names = (" ".join(part.replace("\u3000", " ").split()) for part in text.splitlines())
    return [name for name in names if name]


def office_setup_check(*, data, filename) -> OfficeSetupPreview:
    """Read and check every row of the file; nothing is written. Raises ImportRefused when the
    file as a whole cannot be used."""
    named = named_rows(read_table(data, filename), COLUMNS, required=REQUIRED_COLUMNS)
    rows = [
        StaffRow(
            number=number,
            department=cell[DEPARTMENT],
            section=cell[SECTION],
            username=cell[USERNAME],
            staff_number=cell[STAFF_NUMBER],
            full_name=cell[FULL_NAME],
            kana=cell[KANA],
            email=cell[EMAIL],
            roles=_roles(cell[ROLES]),
        )
        for number, cell in named
    ]
    _check_rows(rows)
    return OfficeSetupPreview(rows=rows)


def _check_rows(rows):
    usernames = [row.username for row in rows if row.username]
    numbers = [row.staff_number for row in rows if row.staff_number]
    taken_usernames = set(
        User.objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    taken_numbers = set(
        User.objects.filter(staff_number__in=numbers).values_list("staff_number", flat=True)
    )
    seen_usernames, seen_numbers = {}, {}
    for row in rows:
        errors = row.errors
        if not row.department:
            errors.append("部が空欄です")
        if not row.section:
            errors.append("課が空欄です")
        if not row.username:
            if row.full_name or row.staff_number or row.email or row.roles:
                errors.append("ユーザー名が空欄です（課だけを作る行は部と課のほかを空欄にします）")
            continue
        if row.username in taken_usernames:
            errors.append(f"ユーザー名「{row.username}」はすでに使われています")
        elif row.username in seen_usernames:
            errors.append(
                f"ユーザー名「{row.username}」が{seen_usernames[row.username]}行目と重複しています"
            )
        seen_usernames.setdefault(row.username, row.number)
        if len(row.username) > 150:
            errors.append("ユーザー名は150文字までです")
        if not row.full_name:
            errors.append("氏名が空欄です")
        if row.staff_number:
            if row.staff_number in taken_numbers:
                errors.append(f"職員番号「{row.staff_number}」はすでに使われています")
            elif row.staff_number in seen_numbers:
                errors.append(
                    f"職員番号「{row.staff_number}」が"
                    f"{seen_numbers[row.staff_number]}行目と重複しています"
                )
            seen_numbers.setdefault(row.staff_number, row.number)
        if row.kana:
            try:
                kana_validator(row.kana)
            except ValidationError:
                errors.append("ふりがなは、ひらがな又はカタカナで入力してください")
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                errors.append(f"メールアドレス「{row.email}」の形式が正しくありません")
        unknown = [name for name in row.roles if name not in ROLE_NAMES]
        if unknown:
            errors.append(
                f"役割「{'」「'.join(unknown)}」はありません"
                f"（{'・'.join(role.label for role in Role if role != Role.CITY)}）"
            )
        elif Role.CITY in {ROLE_NAMES[name] for name in row.roles}:
            errors.append("総合企画局の役割は区役所の職員には付けられません")


def office_setup_refusal(*, code, name):
    """Why an office with this code or name cannot be created, or "" when it can."""
    if not code or not name:
        return "区役所のコードと名称を指定してください。"
    if Office.objects.filter(code=code).exists():
        return f"コード「{code}」の区役所はすでにあります。"
    if Office.objects.filter(name=name).exists():
        return f"名称「{name}」の区役所はすでにあります。"
    return ""


@transaction.atomic
def office_setup_write(*, preview, code, name, sort_order=0) -> Office:
    """Create the office, its guideline copy, departments, sections and staff from a checked
    preview, in one transaction. Staff get no usable password: they sign in through the
    directory (LDAP) or after an administrator sets one."""
    if not preview.is_valid:
        raise ValueError("The preview has bad rows; nothing is written.")
    refusal = office_setup_refusal(code=code, name=name)
    if refusal:
        raise ValueError(refusal)
    office = Office(code=code, name=name, sort_order=sort_order)
    office._change_reason = "区役所の設定ファイルから作成"
    office.save()
    office_guideline_copy(office=office)
    departments = {}
    for order, department_name in enumerate(preview.departments, start=1):
        departments[department_name] = Department.objects.create(
            office=office, name=department_name, sort_order=order * 10
        )
    sections = {}
    for order, (department_name, section_name) in enumerate(preview.sections, start=1):
        sections[(department_name, section_name)] = Section.objects.create(
            department=departments[department_name], name=section_name, sort_order=order * 10
        )
    for row in preview.staff:
        user = User(
            username=row.username,
            full_name=row.full_name,
            full_name_kana=row.kana,
            staff_number=row.staff_number,
            email=row.email,
            section=sections[(row.department, row.section)],
        )
        user.set_unusable_password()
        user._change_reason = "区役所の設定ファイルから作成"
        user.save()
        for role in dict.fromkeys(ROLE_NAMES[name] for name in row.roles or [Role.STAFF.label]):
            assign_role(user, role)
    return office
