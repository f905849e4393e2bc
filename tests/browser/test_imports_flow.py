"""Imports in the browser (core/imports.py): a section manager uploads a file of survey
answers, the real Celery worker checks it while the page shows a progress bar inside a live
region that stays on the page (htmx polling), the page shows the result, 「取り込む」 has the
worker write every row, and the page says so; a file with bad rows lists them and imports
nothing; an upload that waits for a worker is cancelled with 「取消」. axe-core checks every
state of the page."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from feedback.models import Response
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.models import ImportJob
from tests.factories import UserFactory
from tests.feedback.factories import ChoiceFactory, QuestionFactory, SurveyFactory, WindowFactory
from tests.worker import celery_worker

from .conftest import DEMO_PASSWORD, assert_no_axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.worker]

HEADER = ["回答日", "本日の窓口の対応に満足しましたか。", "来庁の目的", "利用した窓口"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def survey(portal_url, section):
    manager = UserFactory(
        username="manager",
        full_name="二子 四郎",
        password=DEMO_PASSWORD,
        roles=[Role.SECTION_MANAGER],
        section=section,
    )
    survey = SurveyFactory(office=section.department.office, created_by=manager)
    survey.windows.set([WindowFactory(section=section, name="住民記録窓口")])
    QuestionFactory(survey=survey, order=1)
    purpose = QuestionFactory(
        survey=survey, order=2, kind="single", text="来庁の目的", required=False
    )
    for text in ("転入", "証明書"):
        ChoiceFactory(question=purpose, text=text)
    QuestionFactory(survey=survey, order=3, kind="window", text="利用した窓口", required=False)
    return survey


def answers(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def good_rows(count):
    return [
        [f"2026-06-{1 + n % 28:02d}", str(1 + n % 5), ("転入", "証明書", "")[n % 3], "住民記録窓口"]
        for n in range(count)
    ]


def upload(page, survey, content, name="answers.csv"):
    page.goto(f"/feedback/surveys/{survey.pk}/import/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("回答の取込み")
    page.get_by_role("button", name=re.compile("^ファイル")).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="確認する").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("アンケート回答の取込み")


def test_a_manager_uploads_answers_follows_the_worker_and_imports_them(page, survey, media):
    with celery_worker(extra_env={"MEDIA_ROOT": str(media)}):
        log_in(page, "manager")
        page.goto(f"/feedback/surveys/{survey.pk}/import/")
        assert_no_axe_violations(page)
        upload(page, survey, answers(good_rows(600)))

        # The live region stays on the page; the worker's progress shows in it.
        live = page.get_by_role("status").filter(has=page.locator("#import-status"))
        expect(live).to_have_attribute("aria-live", "polite")
        expect(live.locator("progress")).to_be_visible()
        expect(live).to_contain_text(re.compile(r"/ 600行|待機中"))
        assert_no_axe_violations(page)

        # Checked by the worker: the result is shown without reloading the page.
        expect(live).to_contain_text("確認済み：取り込めます", timeout=30_000)
        expect(live).to_contain_text("600 / 600行（100%）")
        expect(page.get_by_role("heading", name="すべての行を取り込めます")).to_be_visible()
        assert not Response.objects.exists()
        assert_no_axe_violations(page)

        page.get_by_role("button", name="取り込む").click()
        expect(page.get_by_text("を受け付けました")).to_be_visible()
        live = page.get_by_role("status").filter(has=page.locator("#import-status"))
        expect(live).to_contain_text("完了", timeout=30_000)
        expect(page.get_by_text("「answers.csv」から600件の回答を取り込みました。")).to_be_visible()
        assert_no_axe_violations(page)
        page.get_by_role("link", name="集計・分析を見る").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert Response.objects.filter(survey=survey).count() == 600
    assert ImportJob.objects.get().state == "done"


def test_a_file_with_bad_rows_lists_them_and_imports_nothing(page, survey, media):
    rows = [*good_rows(3), ["2026-06-02", "とても満足", "転出", "市役所"]]
    with celery_worker(extra_env={"MEDIA_ROOT": str(media)}):
        log_in(page, "manager")
        upload(page, survey, answers(rows))
        live = page.get_by_role("status").filter(has=page.locator("#import-status"))
        expect(live).to_contain_text("取り込めない行が1行あります", timeout=30_000)
        errors = page.get_by_role("region", name="取り込めない行が1行あります")
        expect(errors).to_contain_text("5行目：Q1：満足度「とても満足」は読めません")
        expect(page.get_by_role("button", name="取り込む")).to_have_count(0)
        expect(page.get_by_role("link", name="ファイルを選び直す")).to_be_visible()
        assert_no_axe_violations(page)
        # The bad rows as a CSV that Excel opens (UTF-8 with BOM), the reasons in a column.
        with page.expect_download() as download:
            page.get_by_role("link", name="取り込めない行をCSVでダウンロード").click()
        data = Path(download.value.path()).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        lines = data.decode("utf-8-sig").splitlines()
        assert lines[0].startswith("行,") and lines[0].endswith(",取り込めない理由")
        assert lines[1].startswith("5,") and "Q1：満足度「とても満足」は読めません" in lines[1]
        # The history of the manager's imports.
        page.goto("/imports/")
        expect(page.get_by_role("heading", level=1)).to_have_text("取込みの履歴")
        expect(page.get_by_role("table")).to_contain_text("answers.csv")
        expect(page.get_by_role("table")).to_contain_text("取り込めない行が1行あります")
        assert_no_axe_violations(page)
    assert not Response.objects.exists()


def test_an_upload_that_waits_for_a_worker_is_cancelled(page, survey, media):
    """No worker runs: the job waits (待機中) with 「取消」; cancelled, it never imports."""
    from takatsu_portal.celery import app

    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        log_in(page, "manager")
        upload(page, survey, answers(good_rows(5)))
        live = page.get_by_role("status").filter(has=page.locator("#import-status"))
        expect(live).to_contain_text("待機中（確認の順番待ち）")
        expect(live.locator("progress")).to_be_visible()
        assert_no_axe_violations(page)
        page.get_by_role("button", name=re.compile("^取消")).click()
        expect(page.get_by_text("を取り消しました。何も取り込んでいません。").first).to_be_visible()
        expect(
            page.get_by_role("status").filter(has=page.locator("#import-status"))
        ).to_contain_text("取消")
        expect(page.get_by_role("button", name=re.compile("^取消"))).to_have_count(0)
        assert_no_axe_violations(page)
    finally:
        app.conf.task_always_eager = eager
    job = ImportJob.objects.get()
    assert job.state == "cancelled"
    assert not Response.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_subcommittee_imports_projects_through_the_same_job_page(page, demo_users, section):
    """Projects use the same job page (here the task runs in the web process when the upload
    commits, as on a machine without a broker)."""
    from plans.models import Project
    from plans.projects import spreadsheet
    from tests.plans.factories import PlanFactory

    plan = PlanFactory(office=section.department.office, title="令和8年度 計画")
    content = (
        ",".join(spreadsheet.HEADERS)
        + "\r\n"
        + f"R8-01,,総合案内の改善,案内表示を見直す,1・3,1,{section.name},,1200000,,\r\n"
    ).encode("utf-8-sig")
    log_in(page, "subcommittee")
    page.goto("/plans/projects/import/")
    assert_no_axe_violations(page)
    page.get_by_label("取込み先の計画").select_option(value=str(plan.pk))
    page.get_by_role("button", name=re.compile("^ファイル")).set_input_files(
        files=[{"name": "projects.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name="確認する").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("事業の取込み（受付番号")
    live = page.get_by_role("status").filter(has=page.locator("#import-status"))
    expect(live).to_contain_text("確認済み：取り込めます")
    expect(page.get_by_text("1行（新規1件・更新0件・変更なし0件）")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="取り込む").click()
    expect(page.get_by_text("「projects.csv」を取り込みました：新規1件")).to_be_visible()
    assert_no_axe_violations(page)
    assert Project.objects.get(code="R8-01").title == "総合案内の改善"
