"""Projects to and from spreadsheets: CSV for Japanese Excel and .xlsx, in one set of columns.

Pure functions, testable without HTTP. Export: `export_csv` / `export_xlsx` turn projects into
bytes. Import: `read_table` turns an uploaded file into rows of strings (or refuses the file
as a whole with `ImportRefused`), and `validate` checks every row against the chosen plan and
the office's master data, so that the preview can list every bad row with its reasons; the
rows are written by `services.projects_import`, all or nothing.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from takatsu_portal.accounts.models import Section
from takatsu_portal.core import tabular
from takatsu_portal.core.fields import one_line
from takatsu_portal.core.models import InitiativeArea, Policy
from takatsu_portal.core.tabular import (
    ImportRefused,
    csv_bytes,
    unescape_cell,
    workbook_bytes,
    write_sheet,
)

from ..models import Project, WorkingGroup

CODE = "事業コード"
YEAR = "年度"
TITLE = "事業名"
DESCRIPTION = "事業の内容"
POLICIES = "基本方針"
AREA = "具体的な取組"
SECTION = "所管課"
GROUP = "ワーキンググループ"
REQUESTED = "予算要求額"
APPROVED = "予算査定額"
STATUS = "状況"

HEADERS = [
    CODE,
    YEAR,
    TITLE,
    DESCRIPTION,
    POLICIES,
    AREA,
    SECTION,
    GROUP,
    REQUESTED,
    APPROVED,
    STATUS,
]
# The fiscal year is implied by the plan chosen at import, so the column may be left out.
REQUIRED_HEADERS = [h for h in HEADERS if h != YEAR]
YEN_COLUMNS = {REQUESTED, APPROVED}
POLICY_SEPARATOR = "・"

MAX_AMOUNT = 2**63 - 1  # PositiveBigIntegerField

# ---------------------------------------------------------------------------------------------
# Export


def policy_numbers(project):
    """The project's policies by number, as in 1・3 (from the prefetched policies)."""
    return POLICY_SEPARATOR.join(
        str(p.number) for p in sorted(project.policies.all(), key=lambda p: p.number)
    )


def project_values(project):
    """One export row, typed: numbers stay numbers (for .xlsx), None is an empty cell."""
    return [
        project.code,
        project.plan.fiscal_year,
        project.title,
        project.description,
        policy_numbers(project),
        project.initiative_area.number,
        project.section.name,
        project.working_group.name if project.working_group_id else "",
        project.budget_requested,
        project.budget_approved,
        project.get_status_display(),
    ]


def export_csv(projects, *, encoding="utf-8"):
    """CSV bytes for Excel (core.tabular's rules); CP932 names every project it cannot write."""
    rows = ((project.code, project_values(project)) for project in projects)
    return csv_bytes(HEADERS, rows, encoding=encoding)


XLSX_WIDTHS = {
    CODE: 12,
    YEAR: 8,
    TITLE: 40,
    DESCRIPTION: 60,
    POLICIES: 10,
    AREA: 12,
    SECTION: 16,
    GROUP: 24,
    REQUESTED: 14,
    APPROVED: 14,
    STATUS: 8,
}


def export_xlsx(projects):
    """An .xlsx workbook (core.tabular's rules) with yen amounts as numbers."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "事業一覧"
    write_sheet(
        sheet,
        HEADERS,
        (project_values(project) for project in projects),
        widths={i: XLSX_WIDTHS[header] for i, header in enumerate(HEADERS)},
        formats={HEADERS.index(header): '#,##0"円"' for header in YEN_COLUMNS},
        wrapped={HEADERS.index(DESCRIPTION)},
    )
    return workbook_bytes(workbook)


# ---------------------------------------------------------------------------------------------
# Reading an uploaded file


# ---------------------------------------------------------------------------------------------
# Validating rows


def _multiline(text):
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _comparable(value):
    return _multiline(value) if isinstance(value, str) else value


@dataclass
class ProjectData:
    """A row's values, cleaned to what a Project holds."""

    code: str
    title: str
    description: str
    policies: list
    initiative_area: object
    section: object
    working_group: object
    budget_requested: int
    budget_approved: int | None
    status: str

    FIELDS = (
        ("title", TITLE),
        ("description", DESCRIPTION),
        ("initiative_area_id", AREA),
        ("section_id", SECTION),
        ("working_group_id", GROUP),
        ("budget_requested", REQUESTED),
        ("budget_approved", APPROVED),
        ("status", STATUS),
    )

    @property
    def initiative_area_id(self):
        return self.initiative_area.pk

    @property
    def section_id(self):
        return self.section.pk

    @property
    def working_group_id(self):
        return self.working_group.pk if self.working_group is not None else None

    def apply_to(self, project):
        project.code = self.code
        project.title = self.title
        project.description = self.description
        project.initiative_area = self.initiative_area
        project.section = self.section
        project.working_group = self.working_group
        project.budget_requested = self.budget_requested
        project.budget_approved = self.budget_approved
        project.status = self.status

    def changes_from(self, project):
        """Column names whose value differs from the saved project, in column order. Text
        saved through a web form keeps the browser's CRLF line ends; those alone are no
        change."""
        changed = {
            label
            for name, label in self.FIELDS
            if _comparable(getattr(self, name)) != _comparable(getattr(project, name))
        }
        if {p.pk for p in self.policies} != {p.pk for p in project.policies.all()}:
            changed.add(POLICIES)
        return [header for header in HEADERS if header in changed]


@dataclass
class ImportRow:
    number: int  # the row in the spreadsheet; the header is row 1
    values: dict
    errors: list = field(default_factory=list)
    data: ProjectData | None = None
    existing: Project | None = None
    changes: list = field(default_factory=list)

    @property
    def code(self):
        return self.values.get(CODE, "").strip()

    @property
    def action(self):
        if self.existing is None:
            return "新規"
        return "更新" if self.changes else "変更なし"


@dataclass
class ImportPreview(tabular.ImportPreview):
    plan: object
    rows: list
    ignored_columns: list = field(default_factory=list)

    def count(self, action):
        return sum(1 for row in self.rows if not row.errors and row.action == action)

    @property
    def created(self):
        return self.count("新規")

    @property
    def updated(self):
        return self.count("更新")

    @property
    def unchanged(self):
        return self.count("変更なし")

    def seen_versions(self):
        """What the preview was based on: each row's project and its version (0 for new).
        Confirming compares this with a fresh look, so nothing changes unseen."""
        return {row.code: (row.existing.version if row.existing else 0) for row in self.rows}


def _header_index(header_row):
    index = {}
    duplicates = []
    ignored = []
    for position, cell in enumerate(header_row):
        name = unicodedata.normalize("NFKC", cell).strip().lstrip("\ufeff")
        if not name:
            continue
        if name in HEADERS:
            if name in index:
                duplicates.append(name)
            index[name] = position
        else:
            ignored.append(name)
    if duplicates:
        raise ImportRefused(f"見出しが重複しています：{'、'.join(duplicates)}")
    missing = [h for h in REQUIRED_HEADERS if h not in index]
    if missing:
        raise ImportRefused(
            f"1行目の見出しに次の列がありません：{'、'.join(missing)}。"
            "事業一覧から出力したファイルと同じ列（見出し）にしてください。"
        )
    return index, ignored


def _normal(text):
    return unicodedata.normalize("NFKC", text).strip()


def parse_yen(text):
    """Whole non-negative yen: "1234567", "1,234,567", "1234567円", "￥1,234,567"."""
    cleaned = _normal(text)
    cleaned = cleaned.removeprefix("¥").removeprefix("\\").removesuffix("円")
    cleaned = cleaned.replace(",", "").replace(" ", "")
    if cleaned.startswith("-") and cleaned[1:].isdigit():
        raise ValueError("0円以上の金額を入力してください")
    if not re.fullmatch(r"[0-9]+", cleaned):
        raise ValueError("円単位の整数で入力してください（例：1234567 又は 1,234,567円）")
    amount = int(cleaned)
    if amount > MAX_AMOUNT:
        raise ValueError("金額が大きすぎます")
    return amount


def _year_matches(text, plan):
    value = _normal(text)
    if not value:
        return True
    fy = plan.fy
    if value in (fy.label, fy.era_label, f"{plan.fiscal_year}年度"):
        return True
    return value.isdigit() and int(value) == plan.fiscal_year


class _Lookups:
    """The master data a row refers to, loaded once for the whole file."""

    def __init__(self, plan):
        office = plan.office
        self.policies = {p.number: p for p in Policy.objects.for_office(office)}
        self.areas = {a.number: a for a in InitiativeArea.objects.for_office(office)}
        self.sections = {}
        for section in Section.objects.for_office(office).select_related("department"):
            self.sections.setdefault(section.name, []).append(section)
        self.groups = {g.name: g for g in WorkingGroup.objects.for_office(office)}
        self.status_by_label = {}
        for value, label in Project.Status.choices:
            self.status_by_label[label] = value
            self.status_by_label[value] = value
        self.projects = {
            p.code: p for p in Project.objects.for_plan(plan).prefetch_related("policies")
        }


def _clean_row(values, lookups, plan):
    """(ProjectData or None, [reasons]) for one row."""
    errors = []
    code = one_line(values[CODE])
    if not code:
        errors.append("事業コードが空です")
    elif len(code) > 20:
        errors.append("事業コードは20文字以内にしてください")
    if YEAR in values and not _year_matches(values[YEAR], plan):
        errors.append(f"年度「{values[YEAR]}」が取込み先の計画（{plan.fiscal_year}年度）と違います")
    title = one_line(values[TITLE])  # a cell may hold line breaks; a title is one line
    if not title:
        errors.append("事業名が空です")
    elif len(title) > 200:
        errors.append("事業名は200文字以内にしてください")
    description = _multiline(values[DESCRIPTION])

    policies = []
    raw_policies = _normal(values[POLICIES])
    parts = [p for p in re.split(r"[・,、/\s]+", raw_policies) if p]
    if not parts:
        errors.append("基本方針が空です（番号を「1・3」のように入力してください）")
    for part in parts:
        if not part.isdigit() or int(part) not in lookups.policies:
            errors.append(
                f"基本方針「{part}」はありません（1〜{max(lookups.policies, default=5)}の番号）"
            )
        elif lookups.policies[int(part)] not in policies:
            policies.append(lookups.policies[int(part)])

    area = None
    raw_area = _normal(values[AREA])
    if not raw_area:
        errors.append("具体的な取組が空です（番号を入力してください）")
    elif not raw_area.isdigit() or int(raw_area) not in lookups.areas:
        errors.append(f"具体的な取組「{raw_area}」はありません（番号で入力してください）")
    else:
        area = lookups.areas[int(raw_area)]

    section = None
    raw_section = values[SECTION].strip()
    candidates = lookups.sections.get(raw_section, [])
    if not raw_section:
        errors.append("所管課が空です")
    elif not candidates:
        errors.append(f"所管課「{raw_section}」はこの区役所にありません")
    elif len(candidates) > 1:
        errors.append(f"所管課「{raw_section}」は複数の部にあり、特定できません")
    else:
        section = candidates[0]

    group = None
    raw_group = values[GROUP].strip()
    if raw_group:
        group = lookups.groups.get(raw_group)
        if group is None:
            errors.append(f"ワーキンググループ「{raw_group}」はこの区役所にありません")

    requested = approved = None
    try:
        requested = parse_yen(values[REQUESTED]) if values[REQUESTED].strip() else 0
    except ValueError as error:
        errors.append(f"予算要求額「{values[REQUESTED]}」：{error}")
    try:
        approved = parse_yen(values[APPROVED]) if values[APPROVED].strip() else None
    except ValueError as error:
        errors.append(f"予算査定額「{values[APPROVED]}」：{error}")

    raw_status = _normal(values[STATUS])
    status = lookups.status_by_label.get(raw_status) if raw_status else Project.Status.PLANNED
    if status is None:
        labels = "、".join(label for _, label in Project.Status.choices)
        errors.append(f"状況「{raw_status}」はありません（{labels}のいずれか、又は空欄）")

    if errors:
        return None, errors
    return (
        ProjectData(
            code=code,
            title=title,
            description=description,
            policies=policies,
            initiative_area=area,
            section=section,
            working_group=group,
            budget_requested=requested,
            budget_approved=approved,
            status=status,
        ),
        [],
    )


def validate(table, *, plan, progress=None):
    """Check every row of `table` (from read_table) for import into `plan`. The first row is the
    header; empty rows are skipped. Rows carry their errors; nothing is written here.
    `progress(count)` is told the rows checked so far."""
    if not table:
        raise ImportRefused("ファイルにデータがありません。")
    index, ignored = _header_index(table[0])
    lookups = _Lookups(plan)
    rows = []
    first_seen = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {
            header: unescape_cell(cells[position]) if position < len(cells) else ""
            for header, position in index.items()
        }
        row = ImportRow(number=number, values=values)
        row.data, row.errors = _clean_row(values, lookups, plan)
        code = values[CODE].strip()
        if code:
            if code in first_seen:
                row.errors.append(f"事業コード「{code}」が{first_seen[code]}行目と重複しています")
                row.data = None
            else:
                first_seen[code] = number
            row.existing = lookups.projects.get(code)
        if row.data is not None and row.existing is not None:
            row.changes = row.data.changes_from(row.existing)
        rows.append(row)
        if progress is not None:
            progress(len(rows))
    if not rows:
        raise ImportRefused("見出しの行の下に、取り込む事業の行がありません。")
    return ImportPreview(plan=plan, rows=rows, ignored_columns=ignored)
