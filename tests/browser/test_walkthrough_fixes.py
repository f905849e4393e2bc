"""The problems a user walk-through found (#10), in the browser as the people who hit them:
a proposal made during the year goes to next year's plan (1), a council approval after a
budget change is refused (2), a foreign resident picks a translated window (3), a refused
progress report keeps its attachment and the error summary takes the focus (6). axe-core
checks every page on the way."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import Question, Response
from feedback.responses import public_views as public
from plans.council import services as council_services
from plans.models import AgendaItem, AnnualPlan, Attachment, Proposal, ReportingFrequency, Stage
from plans.plan import services as plan_services
from plans.progress import services as progress
from plans.projects import services as project_services
from takatsu_portal.core.fiscal import FiscalYear
from tests.feedback.factories import QuestionFactory, SurveyFactory, WindowFactory
from tests.plans.factories import (
    MeetingFactory,
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


def sign_in_as(page, username):
    page.context.clear_cookies()
    log_in(page, username)


def summary(page):
    return page.locator(".form-error-summary")


# ---------------------------------------------------------------------------------------------
# 1. Proposals for next year


def test_a_proposal_made_during_the_year_goes_to_next_years_plan(page, demo_users, section):
    office = section.department.office
    this_year = FiscalYear.current().year
    PlanFactory(office=office, fiscal_year=this_year, stage=Stage.IN_PROGRESS)
    next_era = FiscalYear(this_year + 1).era_label

    sign_in_as(page, "staff")
    page.goto("/plans/proposals/new/")
    assert_no_axe_violations(page)
    plan_choice = page.get_by_label(label("計画"), exact=True)
    expect(plan_choice.locator("option:checked")).to_have_text(
        re.compile(f"{next_era}の計画（まだありません")
    )
    page.get_by_label(label("事業名（案）")).fill("窓口呼出表示の多言語化")
    page.get_by_label(label("内容")).fill("呼出番号の表示に英語・中国語・韓国語を加える。")
    page.locator("input[name=policies]").first.check()
    page.get_by_label(label("具体的な取組")).select_option(index=1)
    page.get_by_label(label("概算額（円）")).fill("300,000")
    page.get_by_role("button", name="提出する").click()
    # Not confirmed: refused, with the summary focused at the top.
    expect(summary(page)).to_be_focused()
    expect(summary(page)).to_contain_text("確認欄にチェックしてください")
    assert_no_axe_violations(page)
    page.get_by_label(re.compile(f"{next_era}の計画はまだありません")).check()
    page.get_by_role("button", name="提出する").click()
    expect(page.get_by_text("を提出しました")).to_be_visible()
    assert_no_axe_violations(page)
    proposal = Proposal.objects.get()
    assert (proposal.plan.fiscal_year, proposal.plan.stage) == (this_year + 1, Stage.DRAFT)

    # The subcommittee adopts it into next year's plan with next year's code.
    sign_in_as(page, "subcommittee")
    page.goto(proposal.get_absolute_url())
    assert_no_axe_violations(page)
    code = page.get_by_label(label("事業コード"))
    expect(code).to_have_value(f"R{this_year + 1 - 2018}-01")
    page.get_by_label(label("採択のコメント（提案者へ）")).fill("来年度の計画で実施します。")
    page.get_by_role("button", name="採択する").click()
    expect(page.get_by_text("を採択し")).to_be_visible()
    assert AnnualPlan.objects.get(fiscal_year=this_year + 1).projects.get().code == (
        f"R{this_year + 1 - 2018}-01"
    )


def test_the_proposer_withdraws_and_the_subcommittee_moves_a_stuck_proposal(
    page, demo_users, section
):
    office = section.department.office
    this_year = FiscalYear.current().year
    running = PlanFactory(office=office, fiscal_year=this_year, stage=Stage.IN_PROGRESS)
    upcoming = PlanFactory(office=office, fiscal_year=this_year + 1)
    staff = demo_users["staff"]
    from tests.plans.factories import ProposalFactory

    withdrawn = ProposalFactory(plan=running, proposer=staff, section=section, title="取り下げる案")
    stuck = ProposalFactory(plan=running, proposer=staff, section=section, title="移す案")

    sign_in_as(page, "staff")
    page.goto(withdrawn.get_absolute_url())
    page.get_by_role("link", name="取り下げる").click()
    # A confirmation that says what happens and asks why (the subcommittee reads it).
    expect(page.get_by_text("取り下げると元に戻せません")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label(label("取り下げる理由")).fill("別の提案にまとめて出し直すため。")
    page.get_by_role("button", name="取り下げる").click()
    expect(page.get_by_text("を取り下げました。")).to_be_visible()
    assert_no_axe_violations(page)
    withdrawn.refresh_from_db()
    assert withdrawn.status == Proposal.Status.WITHDRAWN

    sign_in_as(page, "subcommittee")
    page.goto(stuck.get_absolute_url())
    assert_no_axe_violations(page)
    page.get_by_label(label("移す先の計画")).select_option(str(upcoming.pk))
    page.get_by_role("button", name="この計画へ移す").click()
    expect(page.get_by_text(f"「{upcoming.title}」へ移しました")).to_be_visible()
    stuck.refresh_from_db()
    assert stuck.plan == upcoming


# ---------------------------------------------------------------------------------------------
# 2. A council approval after a budget change


def test_the_council_cannot_approve_a_plan_whose_budget_changed_after_presenting(
    page, demo_users, section
):
    office = section.department.office
    plan = PlanFactory(office=office)
    project = ProjectFactory(plan=plan, section=section, budget_requested=850_000)
    subcommittee = demo_users["subcommittee"]
    plan_services.plan_advance(plan=plan, by=subcommittee, comment="素案を報告する")
    plan.refresh_from_db()
    meeting = MeetingFactory(office=office, held_on=timezone.localdate())
    item = council_services.agenda_item_add(
        meeting=meeting,
        by=subcommittee,
        title="計画（素案）の承認",
        subject=AgendaItem.Subject.PLAN,
        plan=plan,
    )
    project.refresh_from_db()
    project.budget_requested = 2_500_000
    project_services.project_save(
        project=project,
        by=subcommittee,
        policies=list(project.policies.all()) or [1],
        expected_version=project.version,
    )

    sign_in_as(page, "council")
    page.goto(meeting.get_absolute_url())
    article = page.locator("article").filter(has_text="計画（素案）の承認")
    expect(article).to_contain_text("事業・予算・指標が変更されています")
    assert_no_axe_violations(page)
    article.get_by_role("combobox", name=label("決定")).select_option(label="承認")
    article.get_by_role("button", name="決定を記録する").click()
    expect(
        page.get_by_role("listitem").filter(has_text=re.compile("会議に提示した内容確認コード"))
    ).to_be_visible()
    assert_no_axe_violations(page)
    item.refresh_from_db()
    plan.refresh_from_db()
    assert item.decision == AgendaItem.Decision.PENDING
    assert plan.stage == Stage.REPORTED


# ---------------------------------------------------------------------------------------------
# 3. Translated windows on the public form


def test_a_resident_picks_a_translated_window_in_english(page, section):
    cache.delete(public.rate_key("127.0.0.1"))
    office = section.department.office
    office.name_translations = {"en": "Takatsu Ward Office", "ja-easy": "たかつ くやくしょ"}
    office.save()
    window = WindowFactory(
        section=section,
        name="住民記録窓口",
        translations={
            "en": {"name": "Resident Records"},
            "ja-easy": {"name": "じゅうみん きろくの まどぐち"},
        },
    )
    WindowFactory(section=section, name="国民健康保険窓口")
    today = timezone.localdate()
    survey = SurveyFactory(
        office=office,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=7),
        translations={"en": {"title": "Survey"}, "ja-easy": {"title": "アンケート"}},
    )
    QuestionFactory(
        survey=survey,
        order=1,
        kind=Question.Kind.WINDOW,
        text="利用した窓口を選んでください。",
        required=True,
        translations={"en": {"text": "Which window did you use?"}},
    )
    page.goto(f"/s/{survey.token}/?lang=en")
    expect(page.locator(".pub-office")).to_contain_text("Takatsu Ward Office")
    expect(page.locator(".pub-office")).to_contain_text("高津区役所")
    choice = page.get_by_label(re.compile("Which window did you use"))
    expect(choice.locator("option", has_text="Resident Records（住民記録窓口）")).to_have_count(1)
    assert_no_axe_violations(page)
    choice.select_option(label="Resident Records（住民記録窓口）")
    page.get_by_role("button", name=re.compile("Send")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert Response.objects.get().window == window

    # In やさしい日本語 too: the office and the windows in plain Japanese with the kanji beside
    # them, an untranslated window in Japanese alone; the thank-you page says まどぐち.
    cache.delete(public.rate_key("127.0.0.1"))
    page.goto(f"/s/{survey.token}/?lang=ja-easy")
    expect(page.locator(".pub-office")).to_contain_text("たかつ くやくしょ")
    choice = page.locator("select").first
    expect(
        choice.locator("option", has_text="じゅうみん きろくの まどぐち（住民記録窓口）")
    ).to_have_count(1)
    expect(choice.locator("option", has_text=re.compile("^国民健康保険窓口$"))).to_have_count(1)
    assert_no_axe_violations(page)
    choice.select_option(label="じゅうみん きろくの まどぐち（住民記録窓口）")
    page.get_by_role("button", name="おくる").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ありがとう ございました")
    expect(page.get_by_text(re.compile("くやくしょの まどぐちを よく する"))).to_be_visible()
    assert_no_axe_violations(page)
    assert Response.objects.filter(window=window).count() == 2


# ---------------------------------------------------------------------------------------------
# 6. A refused progress report keeps its attachment


def test_a_refused_progress_report_keeps_its_attachment(page, demo_users, section):
    office = section.department.office
    plan = PlanFactory(office=office, stage=Stage.IN_PROGRESS)
    progress.plan_set_reporting(
        plan=plan,
        by=demo_users["subcommittee"],
        frequency=ReportingFrequency.QUARTERLY,
        due_days=10,
    )
    group = WorkingGroupFactory(office=office, lead=demo_users["wglead"])
    project = ProjectFactory(plan=plan, code="R8-01", working_group=group, section=section)
    report = progress.report_start(
        project=project, period=plan.periods.first(), by=demo_users["wglead"]
    )

    sign_in_as(page, "wglead")
    page.goto(f"/plans/reports/{report.pk}/edit/")
    page.get_by_label(label("計画（Plan）")).fill("番号表示を試行する。")
    page.get_by_label(label("進捗率（%）")).fill("120")
    page.get_by_label(label("添付ファイルを追加")).set_input_files(
        files=[{"name": "アンケート.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="下書き保存").click()
    expect(summary(page)).to_be_focused()
    expect(summary(page).get_by_role("link", name=re.compile("進捗率"))).to_be_visible()
    expect(page.get_by_text("保存すると添付されるファイル")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="アンケート.pdf")).to_be_visible()
    assert_no_axe_violations(page)
    assert not Attachment.objects.exists()

    page.get_by_label(label("進捗率（%）")).fill("50")
    page.get_by_role("button", name="下書き保存").click()
    expect(page.get_by_text("進捗報告を下書き保存しました。")).to_be_visible()
    assert Attachment.objects.get(report=report).original_name == "アンケート.pdf"
