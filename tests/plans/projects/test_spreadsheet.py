"""Projects to and from spreadsheets: CSV (UTF-8 with BOM, or CP932) and .xlsx exports, and the
import as a job of the worker (core/imports.py) with its preview (every bad row listed, nothing
written unless every row is good). The tasks run in this process when the transactions commit
(captureOnCommitCallbacks)."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from plans.models import Project, Stage
from plans.projects import services as projects_services
from plans.projects import spreadsheet as imports
from takatsu_portal.core import tabular
from takatsu_portal.core.models import AuditEvent, ImportJob
from takatsu_portal.core.versioning import save_versioned
from tests.factories import own_area, own_policy
from tests.plans.factories import PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db

CSV_URL = reverse("plans:project_export_csv")
XLSX_URL = reverse("plans:project_export_xlsx")
IMPORT = reverse("plans:project_import")
HEADER = ",".join(imports.HEADERS)


@pytest.fixture
def projects(plan, sections, group):
    first = ProjectFactory(
        plan=plan,
        code="R8-01",
        title="総合案内の改善",
        description="案内表示を見直す。\n二行目。",
        section=sections.kumin,
        working_group=group,
        budget_requested=1_200_000,
        budget_approved=1_000_000,
        policies=[own_policy(1), own_policy(3)],
    )
    second = ProjectFactory(
        plan=plan,
        code="R8-02",
        title="庁舎サインの統一",
        description="",
        section=sections.hoken,
        initiative_area=own_area(2),
        status=Project.Status.IN_PROGRESS,
    )
    return first, second


def rows_of(content, encoding="utf-8-sig"):
    return list(csv.reader(io.StringIO(content.decode(encoding), newline="")))


# ---------------------------------------------------------------------------------------------
# CSV export


def test_csv_export_has_a_bom_japanese_headers_and_the_values(client, people, plan, projects):
    client.force_login(people.staff)
    response = client.get(CSV_URL, {"plan": plan.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in response.content
    rows = rows_of(response.content)
    assert rows[0] == [
        "事業コード",
        "年度",
        "事業名",
        "事業の内容",
        "基本方針",
        "具体的な取組",
        "所管課",
        "ワーキンググループ",
        "予算要求額",
        "予算査定額",
        "状況",
    ]
    assert rows[1] == [
        "R8-01",
        "2026",
        "総合案内の改善",
        "案内表示を見直す。\n二行目。",
        "1・3",
        "1",
        "区民課",
        "窓口改善ワーキング",
        "1200000",
        "1000000",
        "計画中",
    ]
    assert rows[2] == [
        "R8-02",
        "2026",
        "庁舎サインの統一",
        "",
        "2",
        "2",
        "保険年金課",
        "",
        "500000",
        "",
        "実施中",
    ]


def test_csv_export_escapes_cells_excel_would_take_for_formulas(client, people, plan, sections):
    ProjectFactory(
        plan=plan,
        code="F-1",
        title='=HYPERLINK("http://evil")',
        description="+81 44",
        section=sections.kumin,
    )
    ProjectFactory(
        plan=plan, code="F-2", title="@SUM(A1)", description="-1件", section=sections.kumin
    )
    ProjectFactory(
        plan=plan, code="F-3", title="\tタブ", description="通常の文", section=sections.kumin
    )
    client.force_login(people.staff)
    rows = rows_of(client.get(CSV_URL, {"plan": plan.pk}).content)[1:]
    assert [(r[2], r[3]) for r in rows] == [
        ('\'=HYPERLINK("http://evil")', "'+81 44"),
        ("'@SUM(A1)", "'-1件"),
        ("'\tタブ", "通常の文"),
    ]


def test_csv_export_names_the_file_in_ascii_and_in_japanese(client, people, plan, projects):
    client.force_login(people.staff)
    disposition = client.get(CSV_URL, {"plan": plan.pk})["Content-Disposition"]
    assert disposition.startswith('attachment; filename="projects-2026.csv"; ')
    # 事業一覧_令和8年度.csv, percent-encoded UTF-8 (RFC 6266 / RFC 8187)
    assert (
        "filename*=UTF-8''%E4%BA%8B%E6%A5%AD%E4%B8%80%E8%A6%A7_%E4%BB%A4%E5%92%8C8%E5%B9%B4%E5%BA%A6.csv"
        in disposition
    )
    assert 'filename="projects-all.csv"' in client.get(CSV_URL, {"plan": ""})["Content-Disposition"]


def test_csv_export_in_cp932_for_older_excel(client, people, plan, projects):
    first, _ = projects
    first.description = "4月〜6月に試行"  # WAVE DASH: written as the CP932 look-alike ～
    first.save()
    client.force_login(people.staff)
    response = client.get(CSV_URL, {"plan": plan.pk, "encoding": "cp932"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=shift_jis"
    assert not response.content.startswith(b"\xef\xbb\xbf")
    rows = rows_of(response.content, "cp932")
    assert rows[0][0] == "事業コード"
    assert rows[1][3] == "4月～6月に試行"


def test_cp932_export_fails_loudly_naming_the_projects_it_cannot_write(
    client, people, plan, projects
):
    first, second = projects
    first.title = "𠮷野家との連携"
    first.save()
    client.force_login(people.staff)
    response = client.get(CSV_URL, {"plan": plan.pk, "encoding": "cp932"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    html = response.content.decode()
    assert "R8-01" in html and "𠮷" in html
    assert "R8-02" not in html
    # The ways out keep the list's filters and drop the encoding.
    assert f'href="{CSV_URL}?plan={plan.pk}"' in html
    assert f'href="{reverse("plans:project_export_xlsx")}?plan={plan.pk}"' in html
    assert "事業の文字を直してから出力し直してください" in html
    assert not AuditEvent.objects.filter(action="export").exists()
    # The same data in UTF-8 is fine.
    assert "𠮷野家との連携" in client.get(CSV_URL, {"plan": plan.pk}).content.decode("utf-8-sig")


def test_exports_follow_the_lists_filters(client, people, plan, projects, sections):
    client.force_login(people.staff)
    rows = rows_of(client.get(CSV_URL, {"plan": plan.pk, "section": sections.hoken.pk}).content)
    assert [r[0] for r in rows[1:]] == ["R8-02"]
    rows = rows_of(client.get(CSV_URL, {"plan": plan.pk, "q": "総合"}).content)
    assert [r[0] for r in rows[1:]] == ["R8-01"]


def test_exports_are_audited(client, people, plan, projects):
    client.force_login(people.staff)
    client.get(CSV_URL, {"plan": plan.pk})
    client.get(XLSX_URL, {"plan": plan.pk, "status": "in_progress"})
    events = list(AuditEvent.objects.filter(action="export").order_by("id"))
    assert [(e.user, e.detail["what"], e.detail["rows"]) for e in events] == [
        (people.staff, "projects", 2),
        (people.staff, "projects", 1),
    ]


def test_stranger_exports_none_of_the_offices_projects(client, stranger, plan, projects):
    client.force_login(stranger)
    rows = rows_of(client.get(CSV_URL, {"plan": ""}).content)
    assert rows == [imports.HEADERS]


# ---------------------------------------------------------------------------------------------
# xlsx export


def test_xlsx_export_opens_with_openpyxl_and_holds_the_values(
    client, people, plan, projects, sections
):
    ProjectFactory(plan=plan, code="F-1", title="=1+1", section=sections.kumin)
    client.force_login(people.staff)
    response = client.get(XLSX_URL, {"plan": plan.pk})
    assert response.status_code == 200
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="projects-2026.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == imports.HEADERS
    assert sheet["A1"].font.b is True
    assert sheet.column_dimensions["C"].width == 40
    assert rows[1] == (
        "F-1",
        2026,
        "=1+1",
        "総合案内の表示を見直す。",
        "2",
        1,
        "区民課",
        None,
        500000,
        None,
        "計画中",
    )
    assert sheet["C2"].data_type == "s"  # text, not a formula
    assert rows[2][0] == "R8-01" and rows[2][8] == 1200000 and rows[2][9] == 1000000
    assert isinstance(rows[2][8], int)
    assert rows[3][4] == "2"


# ---------------------------------------------------------------------------------------------
# Import


def run_tasks():
    """The tasks sent on commit run here and now (eager), as a worker would run them."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def upload(client, plan, content, name="projects.csv"):
    """Upload a file; when it became a job, the job's page once the worker has checked it."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    with run_tasks():
        response = client.post(IMPORT, {"plan": plan.pk, "file": SimpleUploadedFile(name, content)})
    if response.status_code == 302 and response["Location"].startswith("/imports/"):
        return client.get(response["Location"])
    return response


def confirm(client, preview):
    """「取り込む」 on the job's page; the worker writes; the answer is the redirect."""
    with run_tasks():
        return client.post(reverse("imports:confirm", args=[preview.context["job"].pk]))


def job_of(preview):
    job = preview.context["job"]
    job.refresh_from_db()
    return job


def rows_of_job(preview):
    return job_of(preview).result["rows"]


def bad_rows(preview):
    return {row["number"]: row["errors"] for row in job_of(preview).result["bad"]}


def page_after(client, response):
    return client.get(response["Location"]).content.decode()


def csv_text(*lines):
    return "\r\n".join([HEADER, *lines]) + "\r\n"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_of_an_export_changes_nothing(client, people, plan, projects, fmt):
    first, second = projects
    Project.objects.filter(pk=second.pk).update(description="フォームから\r\n二行目")
    Project.objects.filter(pk=first.pk).update(title="=先頭が等号の事業名")
    client.force_login(people.subcommittee)
    exported = client.get(CSV_URL if fmt == "csv" else XLSX_URL, {"plan": plan.pk}).content
    history_before = Project.history.count()
    preview = upload(client, plan, exported, f"projects-2026.{fmt}")
    assert preview.status_code == 200
    assert [row["action"] for row in rows_of_job(preview)] == ["変更なし", "変更なし"]
    response = confirm(client, preview)
    assert response.status_code == 302
    assert job_of(preview).state == "done"
    assert [p.version for p in Project.objects.order_by("code")] == [1, 1]
    assert Project.history.count() == history_before


def test_import_creates_and_updates_by_code(client, people, plan, projects, sections, group):
    client.force_login(people.subcommittee)
    content = csv_text(
        'R8-01,2026,総合案内の改善（改訂）,"案内表示を見直す。\n二行目。",1・3,1,区民課,窓口改善ワーキング,"1,500,000",1000000円,実施中',
        "R8-03,,新しい事業,内容,2・5,3,保険年金課,,200000,,",
    )
    preview = upload(client, plan, content)
    rows = rows_of_job(preview)
    assert [(r["number"], r["action"]) for r in rows] == [(2, "更新"), (3, "新規")]
    assert rows[0]["changes"] == ["事業名", "予算要求額", "状況"]
    assert "取り込む" in preview.content.decode()
    assert Project.objects.count() == 2  # nothing written before confirming
    response = confirm(client, preview)
    job = job_of(preview)
    assert response.status_code == 302 and response.url == reverse("imports:detail", args=[job.pk])
    assert (job.state, job.rows_written) == ("done", 2)
    page = page_after(client, response)
    assert "「projects.csv」を取り込みました：新規1件、更新1件、変更なし0件。" in page
    assert f"{reverse('plans:project_list')}?plan={plan.pk}" in page
    updated = Project.objects.get(code="R8-01")
    assert (updated.title, updated.budget_requested, updated.status, updated.version) == (
        "総合案内の改善（改訂）",
        1_500_000,
        "in_progress",
        2,
    )
    record = updated.history.filter(version=2).first()
    assert record.history_user == people.subcommittee
    assert "projects.csv" in record.history_change_reason
    created = Project.objects.get(code="R8-03")
    record = created.history.get()
    assert record.history_user == people.subcommittee
    assert "projects.csv" in record.history_change_reason
    assert sorted(p.policy.number for p in record.policies.all()) == [2, 5]
    assert created.plan == plan
    assert created.section == sections.kumin.__class__.objects.get(name="保険年金課")
    assert created.working_group is None and created.budget_approved is None
    assert created.status == Project.Status.PLANNED
    assert sorted(created.policies.values_list("number", flat=True)) == [2, 5]
    assert created.initiative_area.number == 3


def test_import_with_good_and_bad_rows_writes_nothing_and_lists_every_bad_row(
    client, people, plan, projects
):
    client.force_login(people.subcommittee)
    content = csv_text(
        "R8-01,2026,総合案内の改善（改訂）,,1,1,区民課,,100,,",  # 2: good
        "R8-10,,,内容,1,1,区民課,,0,,",  # 3: no title
        "R8-11,,事業,,6,9,区民課,,0,,",  # 4: no policy 6, no area 9
        "R8-12,,事業,,1,1,存在しない課,謎のワーキング,0,,",  # 5: section, group
        "R8-13,,事業,,1,1,区民課,,12.5,-3,",  # 6: amounts
        "R8-14,,事業,,1,1,区民課,,0,,保留",  # 7: status
        "R8-10,,事業,,1,1,区民課,,0,,",  # 8: duplicate code
        "R8-15,2025,事業,,,1,区民課,,0,,",  # 9: other year, no policy
        ",,事業,,1,1,区民課,,0,,",  # 10: no code
        "R8-16,,新しい良い事業,,1,1,区民課,,0,,",  # 11: good
    )
    preview = upload(client, plan, content)
    assert preview.status_code == 200
    assert not job_of(preview).is_confirmable
    bad = bad_rows(preview)
    assert sorted(bad) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert bad[3] == ["事業名が空です"]
    assert any("基本方針「6」" in e for e in bad[4]) and any(
        "具体的な取組「9」" in e for e in bad[4]
    )
    assert any("所管課「存在しない課」" in e for e in bad[5]) and any(
        "謎のワーキング" in e for e in bad[5]
    )
    assert any("予算要求額「12.5」" in e for e in bad[6]) and any(
        "予算査定額「-3」" in e for e in bad[6]
    )
    assert any("状況「保留」" in e for e in bad[7])
    assert bad[8] == ["事業コード「R8-10」が3行目と重複しています"]
    assert any("年度「2025」" in e for e in bad[9]) and any("基本方針が空" in e for e in bad[9])
    assert bad[10] == ["事業コードが空です"]
    html = preview.content.decode()
    assert "取り込めない行が8行あります" in html
    for number in bad:
        assert f"{number}行目" in html
    assert ">取り込む</button>" not in html
    # Confirming anyway (a hand-made POST) writes nothing.
    response = confirm(client, preview)
    assert response.status_code == 302
    assert "すべての行が正しい取込みだけです" in page_after(client, response)
    assert job_of(preview).state == "ready"
    assert Project.objects.count() == 2
    assert Project.objects.get(code="R8-01").title == "総合案内の改善"


def test_import_reads_cp932_and_utf8_with_or_without_bom(client, people, plan, projects):
    client.force_login(people.subcommittee)
    text = csv_text("R8-05,,窓口〜案内,,1,1,区民課,,0,,")
    for content in (
        text.replace("〜", "～").encode("cp932"),
        text.encode("utf-8"),
        text.encode("utf-8-sig"),
    ):
        preview = upload(client, plan, content)
        assert job_of(preview).is_confirmable
        assert rows_of_job(preview)[0]["cells"][1].startswith("窓口")  # 事業名


def test_import_reads_an_xlsx_file(client, people, plan, projects):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(imports.HEADERS)
    sheet.append(["R8-20", 2026, "Excelの事業", None, "4", 5, "区民課", None, 250000.0, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(people.subcommittee)
    preview = upload(client, plan, buffer.getvalue(), "事業.xlsx")
    assert job_of(preview).is_confirmable, bad_rows(preview)
    confirm(client, preview)
    project = Project.objects.get(code="R8-20")
    assert project.budget_requested == 250000 and project.initiative_area.number == 5


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("projects.txt", b"a,b\r\n", "CSV（.csv）又はExcel（.xlsx）のファイルを選んでください"),
        ("projects.xls", b"\xd0\xcf\x11\xe0", "この形式のファイルは取り込めません"),
        ("projects.xlsx", b"not a zip", "Excel（.xlsx）形式のファイルではありません"),
        ("projects.csv", b"PK\x03\x04zipped", "CSV形式（文字のファイル）ではありません"),
        ("projects.csv", b"\xff\xfe\x00\x00\xff", "CSV形式"),
    ],
)
def test_import_refuses_unreadable_files_with_a_clear_message(
    client, people, plan, name, content, message
):
    """Refused at the upload (the cheap checks): the form says why and no job is made."""
    client.force_login(people.subcommittee)
    response = upload(client, plan, content, name)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("事業名\r\n窓口\r\n".encode(), "見出しに次の列がありません"),
        (HEADER.encode() + b"\r\n", "取り込む事業の行がありません"),
    ],
)
def test_the_worker_refuses_a_file_it_cannot_read_with_a_clear_message(
    client, people, plan, content, message
):
    """Refused by the worker's check: the job fails and its page says why."""
    client.force_login(people.subcommittee)
    response = upload(client, plan, content)
    assert job_of(response).state == "failed"
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_import_refuses_files_over_2mb(client, people, plan):
    client.force_login(people.subcommittee)
    content = (HEADER + "\r\n").encode() + b"x" * (2 * 1024 * 1024)
    response = upload(client, plan, content)
    assert "ファイルが大きすぎます" in " ".join(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


def test_import_refuses_more_than_1000_rows(client, people, plan):
    client.force_login(people.subcommittee)
    lines = [f"X-{n},,事業{n},,1,1,区民課,,0,," for n in range(1001)]
    response = upload(client, plan, csv_text(*lines))
    assert job_of(response).state == "failed"
    assert "行数が多すぎます" in response.content.decode()
    lines = lines[:1000]
    assert job_of(upload(client, plan, csv_text(*lines))).is_confirmable


@pytest.mark.parametrize("role", ["staff", "lead", "council", "manager", "admin"])
def test_only_the_subcommittee_may_import(client, people, plan, role):
    client.force_login(people.subcommittee)
    job = job_of(upload(client, plan, csv_text("R8-30,,事業,,1,1,区民課,,0,,")))
    client.force_login(getattr(people, role))
    assert client.get(IMPORT).status_code == 403
    response = upload(client, plan, csv_text("R8-30,,事業,,1,1,区民課,,0,,"))
    assert response.status_code == 403
    assert "推進部会の委員" in response.content.decode()
    with run_tasks():
        response = client.post(reverse("imports:confirm", args=[job.pk]))
    assert response.status_code == 403
    assert "推進部会の委員" in response.content.decode()
    assert ImportJob.objects.count() == 1
    assert not Project.objects.exists()


def test_import_offers_only_open_plans_of_the_users_office(client, people, office, plan, stranger):
    closed = PlanFactory(office=office, fiscal_year=2024, stage=Stage.CLOSED)
    client.force_login(people.subcommittee)
    choices = list(client.get(IMPORT).context["form"].fields["plan"].queryset)
    assert choices == [plan]
    response = upload(client, closed, csv_text("R6-01,,事業,,1,1,区民課,,0,,"))
    assert response.context["form"].errors["plan"]
    client.force_login(stranger)
    response = upload(client, plan, csv_text("R8-01,,事業,,1,1,区民課,,0,,"))
    assert response.context["form"].errors["plan"]
    assert not Project.objects.exists()
    assert not ImportJob.objects.exists()


def test_a_job_that_is_not_checked_cannot_be_confirmed(client, people, plan, projects):
    client.force_login(people.subcommittee)
    with TestCase.captureOnCommitCallbacks(execute=False):  # no worker: the job waits
        client.post(
            IMPORT,
            {
                "plan": plan.pk,
                "file": SimpleUploadedFile(
                    "p.csv", csv_text("R8-40,,事業,,1,1,区民課,,0,,").encode()
                ),
            },
        )
    job = ImportJob.objects.get()
    assert job.state == "queued"
    with run_tasks():
        response = client.post(reverse("imports:confirm", args=[job.pk]))
    assert response.status_code == 302
    assert "すべての行が正しい取込みだけです" in page_after(client, response)
    assert not Project.objects.filter(code="R8-40").exists()


def test_cancel_forgets_the_upload(client, people, plan, projects):
    client.force_login(people.subcommittee)
    preview = upload(client, plan, csv_text("R8-40,,事業,,1,1,区民課,,0,,"))
    with run_tasks():
        client.post(reverse("imports:cancel", args=[preview.context["job"].pk]))
    assert job_of(preview).state == "cancelled"
    assert confirm(client, preview).status_code == 302
    assert job_of(preview).state == "cancelled"
    assert not Project.objects.filter(code="R8-40").exists()


def test_confirm_checks_again_and_stops_when_a_project_changed_after_the_preview(
    client, people, plan, projects
):
    client.force_login(people.subcommittee)
    preview = upload(client, plan, csv_text("R8-01,,取込みの題名,,1,1,区民課,,0,,"))
    first, _ = projects
    first.title = "他の人の変更"
    save_versioned(first, by=people.lead)
    response = confirm(client, preview)
    assert response.status_code == 302
    # The worker found the change: back to the preview, nothing written.
    assert job_of(preview).state == "ready"
    assert "他の人がこの計画の事業を変更しました" in page_after(client, response)
    first.refresh_from_db()
    assert first.title == "他の人の変更"
    # Having seen the new state, confirming again imports.
    assert confirm(client, preview).status_code == 302
    assert job_of(preview).state == "done"
    first.refresh_from_db()
    assert first.title == "取込みの題名"


def test_import_into_a_plan_closed_after_the_preview_is_refused(client, people, plan, projects):
    client.force_login(people.subcommittee)
    preview = upload(client, plan, csv_text("R8-50,,事業,,1,1,区民課,,0,,"))
    plan.stage = Stage.CLOSED
    plan.save()
    response = confirm(client, preview)
    assert response.status_code == 403
    assert "年度末評価を終えた計画には取り込めません" in response.content.decode()
    assert job_of(preview).state == "ready"
    assert not Project.objects.filter(code="R8-50").exists()


# ---------------------------------------------------------------------------------------------
# The pure functions and the service


@pytest.mark.parametrize(
    "text, amount",
    [
        ("1234567", 1234567),
        ("1,234,567", 1234567),
        ("1234567円", 1234567),
        ("￥1,234,567", 1234567),
        ("１２３", 123),
        (" 0 ", 0),
    ],
)
def test_parse_yen_accepts_the_usual_ways_of_writing_yen(text, amount):
    assert imports.parse_yen(text) == amount


@pytest.mark.parametrize("text", ["12.5", "-3", "1万", "abc", "99999999999999999999"])
def test_parse_yen_refuses_other_text(text):
    with pytest.raises(ValueError):
        imports.parse_yen(text)


@pytest.mark.parametrize("text", ["=1+1", "+81", "-1", "@A", "\tx", "普通", "'quoted", ""])
def test_escape_and_unescape_are_inverse(text):
    assert tabular.unescape_cell(tabular.escape_cell(text)) == text


def test_decode_csv_detects_the_encoding():
    assert tabular.decode_csv("事業".encode("utf-8-sig")) == "事業"
    assert tabular.decode_csv("事業".encode()) == "事業"
    assert tabular.decode_csv("事業".encode("cp932")) == "事業"


def test_service_refuses_rows_with_errors_a_closed_plan_and_non_members(people, plan, projects):
    table = tabular.read_table(
        csv_text("R8-60,,事業,,1,1,区民課,,0,,", "R8-61,,,,1,1,区民課,,0,,").encode(), "a.csv"
    )
    preview = imports.validate(table, plan=plan)
    with pytest.raises(ValidationError):
        projects_services.projects_import(plan=plan, rows=preview.rows, by=people.subcommittee)
    good = [row for row in preview.rows if not row.errors]
    with pytest.raises(PermissionDenied):
        projects_services.projects_import(plan=plan, rows=good, by=people.lead)
    plan.stage = Stage.CLOSED
    plan.save()
    with pytest.raises(ValidationError):
        projects_services.projects_import(plan=plan, rows=good, by=people.subcommittee)
    assert not Project.objects.filter(code="R8-60").exists()
