"""Progress reports in the browser, as the people who file and review them: the subcommittee
sets the reporting periods, the lead files the quarter's report with an attachment and submits
it, the subcommittee asks for changes, the lead fixes and submits again, and the progress board
shows it. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import Attachment, ProgressReport, Stage
from tests.plans.factories import (
    IndicatorFactory,
    PlanFactory,
    ProjectFactory,
    WorkingGroupFactory,
)

from .conftest import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def label(text):
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def heading(page, name):
    return page.get_by_role("heading", level=1, name=re.compile(re.escape(name)))


def sign_in_as(page, username):
    page.context.clear_cookies()
    log_in(page, username)


def test_lead_files_a_report_and_the_subcommittee_asks_for_changes(page, demo_users, section):
    office = section.department.office
    plan = PlanFactory(office=office, stage=Stage.IN_PROGRESS)
    group = WorkingGroupFactory(office=office, lead=demo_users["wglead"])
    project = ProjectFactory(
        plan=plan, code="R8-01", title="総合案内の改善", working_group=group, section=section
    )
    IndicatorFactory(project=project, name="窓口の満足度", unit="%", baseline=72, target=80)

    # The subcommittee sets quarterly reports.
    sign_in_as(page, "subcommittee")
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="報告期間の設定").click()
    expect(heading(page, "報告期間の設定")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("四半期ごと").check()
    page.get_by_role("button", name="保存して報告期間を作成する").click()
    expect(page.get_by_text("報告期間を設定しました。")).to_be_visible()
    expect(page.get_by_role("cell", name="2026年7月10日（金）")).to_be_visible()
    assert_no_axe_violations(page)

    # The lead files the first quarter's report from the project's page.
    sign_in_as(page, "wglead")
    page.goto(project.get_absolute_url())
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("作成する.*第1四半期")).click()
    expect(heading(page, "第1四半期（4〜6月）の進捗報告")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="報告を作成する").click()
    expect(heading(page, "進捗報告の編集")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label(label("計画（Plan）")).fill("番号表示を試行する。")
    page.get_by_label(label("実施内容（Do）")).fill("6月に番号表示を試行した。")
    page.get_by_label(label("評価（Check）")).fill("待ち時間の苦情が減った。")
    page.get_by_label(label("改善（Act）")).fill("表示の位置を見直す。")
    page.get_by_label(label("窓口の満足度（%）")).fill("76")
    page.get_by_label(label("添付ファイルを追加")).set_input_files(
        files=[{"name": "アンケート.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="保存して提出").click()
    expect(page.get_by_text("進捗報告を提出しました。")).to_be_visible()
    assert_no_axe_violations(page)
    report = ProgressReport.objects.get()
    assert report.state == ProgressReport.State.SUBMITTED
    assert Attachment.objects.get().original_name == "アンケート.pdf"

    # The subcommittee asks for changes: first without saying what, then with a comment.
    sign_in_as(page, "subcommittee")
    page.goto(report.get_absolute_url())
    page.get_by_role("button", name="修正を依頼する").click()
    expect(page.get_by_text("修正してほしい点を入力してください。")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label(label("コメント")).fill("指標の根拠となる資料を添付してください。")
    page.get_by_role("button", name="修正を依頼する").click()
    expect(page.get_by_text("修正を依頼しました。")).to_be_visible()
    report.refresh_from_db()
    assert report.state == ProgressReport.State.CHANGES_REQUESTED

    # The lead sees the request, fixes the report and submits it again.
    sign_in_as(page, "wglead")
    page.goto(report.get_absolute_url())
    expect(page.get_by_role("status").filter(has_text="推進部会からの修正依頼")).to_contain_text(
        "指標の根拠となる資料を添付してください。"
    )
    page.get_by_role("link", name="編集").click()
    page.get_by_label(label("評価（Check）")).fill(
        "窓口満足度は78%で、目標の80%に近づいた。根拠の集計表を添付した。"
    )
    page.get_by_role("button", name="保存して提出").click()
    expect(page.get_by_text("進捗報告を提出しました。")).to_be_visible()
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED

    # The board shows the submitted report to the subcommittee.
    sign_in_as(page, "subcommittee")
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="進捗").click()
    expect(heading(page, "進捗")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=project.title).first
    expect(row).to_contain_text("提出済み")
    assert_no_axe_violations(page)
