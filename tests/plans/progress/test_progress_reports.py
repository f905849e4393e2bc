"""Progress reports (進捗報告): a lead files their group's project's PDCA report for a period,
submits it, the subcommittee accepts it or asks for changes; who may and who may not; concurrent
edits; the project's page lists the reports by period."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import IndicatorValue, ProgressReport, ReportingFrequency, Stage
from plans.progress import services as progress_services
from takatsu_portal.core import attention
from takatsu_portal.core.models import Notification
from tests.plans.factories import IndicatorFactory, PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "plan_text": "総合案内に番号表示を試行する。",
    "do_text": "6月に番号表示を試行し、来庁者アンケートを2回実施した。",
    "check_text": "待ち時間の苦情は減ったが、表示の位置が分かりにくいとの声があった。",
    "act_text": "7月から表示の位置を入口側に移す。",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def running_plan(plan, people):
    plan.stage = Stage.IN_PROGRESS
    plan.save()
    progress_services.plan_set_reporting(
        plan=plan, by=people.subcommittee, frequency=ReportingFrequency.QUARTERLY, due_days=10
    )
    plan.refresh_from_db()
    return plan


@pytest.fixture
def period(running_plan):
    return running_plan.periods.get(number=1)


@pytest.fixture
def project(running_plan, sections, group):
    return ProjectFactory(
        plan=running_plan,
        code="R8-01",
        title="総合案内の改善",
        section=sections.kumin,
        working_group=group,
    )


@pytest.fixture
def indicator(project):
    return IndicatorFactory(project=project, name="窓口の満足度", unit="%", baseline=72, target=80)


@pytest.fixture
def other_project(running_plan, sections, other_group):
    return ProjectFactory(
        plan=running_plan,
        code="R8-02",
        title="庁舎サインの統一",
        section=sections.hoken,
        working_group=other_group,
    )


@pytest.fixture
def report(project, period, people, indicator):
    return progress_services.report_start(project=project, period=period, by=people.lead)


def start_url(project, period):
    return reverse("plans:report_start", args=[project.pk, period.pk])


def detail(report):
    return reverse("plans:report_detail", args=[report.pk])


def edit(report):
    return reverse("plans:report_edit", args=[report.pk])


def submit(report):
    return reverse("plans:report_submit", args=[report.pk])


def review(report):
    return reverse("plans:report_review", args=[report.pk])


def edit_data(report, **overrides):
    data = {**TEXTS, "progress_percent": 30, "status": "on_track", "version": report.version}
    data.update(overrides)
    return data


def text(response):
    return unescape(re.sub(r"\s+", " ", response.content.decode()))


def submitted(report, lead):
    report.refresh_from_db()
    for field, value in TEXTS.items():
        setattr(report, field, value)
    progress_services.report_save(
        report=report, by=lead, values={}, expected_version=report.version
    )
    return progress_services.report_submit(report=report, by=lead, expected_version=report.version)


# ---------------------------------------------------------------------------------------------
# Filing


def test_the_start_page_explains_and_creates_nothing_on_get(client, people, project, period):
    client.force_login(people.lead)
    response = client.get(start_url(project, period))
    assert response.status_code == 200
    assert "報告を作成する" in text(response)
    assert "2026年7月10日（金）" in text(response)
    assert not ProgressReport.objects.exists()


def test_lead_files_a_report_for_own_groups_project_from_draft_to_submitted(
    client, people, project, period, indicator
):
    client.force_login(people.lead)
    response = client.post(start_url(project, period))
    report = ProgressReport.objects.get(project=project, period=period)
    assert response.status_code == 302
    assert response.url == edit(report)
    assert report.state == ProgressReport.State.DRAFT
    assert report.author == people.lead

    response = client.get(edit(report))
    assert response.status_code == 200
    page = text(response)
    assert "窓口の満足度（%）" in page
    assert "基準値 72 → 目標値 80" in page
    assert "下書き保存" in page and "保存して提出" in page

    response = client.post(
        edit(report),
        edit_data(report, **{f"indicator_{indicator.pk}": "75.5", "save": "1"}),
    )
    assert response.status_code == 302
    assert response.url == detail(report)
    report.refresh_from_db()
    assert report.state == ProgressReport.State.DRAFT
    assert report.do_text == TEXTS["do_text"]
    assert report.progress_percent == 30
    assert IndicatorValue.objects.get(report=report, indicator=indicator).actual == Decimal("75.50")

    response = client.post(edit(report), edit_data(report, submit="1"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED
    assert report.submitted_at is not None
    # Left empty this time: the value is removed.
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_submitting_notifies_the_subcommittee(client, people, report):
    client.force_login(people.lead)
    client.post(edit(report), edit_data(report, submit="1"))
    notice = Notification.objects.get(recipient=people.subcommittee)
    assert "R8-01" in notice.message and "提出" in notice.message
    assert notice.url == detail(report)
    assert not Notification.objects.filter(recipient=people.lead).exists()


def test_the_start_page_opens_the_existing_report(client, people, report, project, period):
    client.force_login(people.council)
    response = client.get(start_url(project, period))
    assert response.status_code == 302
    assert response.url == detail(report)


def test_the_next_report_starts_from_the_last_ones_act(client, people, report, project):
    submitted(report, people.lead)
    second = project.plan.periods.get(number=2)
    client.force_login(people.lead)
    client.post(start_url(project, second))
    new = ProgressReport.objects.get(project=project, period=second)
    assert new.plan_text == TEXTS["act_text"]


def test_subcommittee_may_file_for_any_project(client, people, other_project, period):
    client.force_login(people.subcommittee)
    response = client.post(start_url(other_project, period))
    assert response.status_code == 302
    assert ProgressReport.objects.filter(project=other_project).exists()


def test_lead_cannot_file_for_another_groups_project(client, people, other_project, period):
    client.force_login(people.lead)
    for response in (
        client.get(start_url(other_project, period)),
        client.post(start_url(other_project, period)),
    ):
        assert response.status_code == 403
        assert "ワーキンググループのリーダーと推進部会の委員" in text(response)
    assert not ProgressReport.objects.exists()


def test_another_lead_cannot_edit_or_submit_the_report(client, people, report):
    client.force_login(people.other_lead)
    assert client.get(detail(report)).status_code == 200  # leads follow progress
    response = client.get(edit(report))
    assert response.status_code == 403
    assert "ワーキンググループのリーダーと推進部会の委員" in text(response)
    assert client.post(edit(report), edit_data(report)).status_code == 403
    assert client.post(submit(report), {"version": report.version}).status_code == 403
    report.refresh_from_db()
    assert report.do_text == ""


@pytest.mark.parametrize("role", ["council", "manager", "admin"])
def test_council_managers_and_admins_read_but_do_not_file(client, people, report, role):
    client.force_login(getattr(people, role))
    response = client.get(detail(report))
    assert response.status_code == 200
    assert edit(report) not in response.content.decode()
    assert client.get(edit(report)).status_code == 403


def test_staff_cannot_read_progress_reports(client, people, report, project, period):
    client.force_login(people.staff)
    for url in (detail(report), edit(report), start_url(project, period)):
        response = client.get(url)
        assert response.status_code == 403
        assert "進捗報告は、ワーキンググループリーダー" in text(response)


def test_a_member_of_another_office_finds_nothing(client, stranger, report, project, period):
    client.force_login(stranger)
    assert client.get(detail(report)).status_code == 404
    assert client.get(edit(report)).status_code == 404
    assert client.get(start_url(project, period)).status_code == 404
    assert client.post(submit(report), {"version": 1}).status_code == 404
    assert client.post(review(report), {"action": "accept", "version": 1}).status_code == 404


def test_anonymous_is_sent_to_the_login_page(client, report):
    response = client.get(detail(report))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_period_of_another_plan_is_not_found(client, people, project, office):
    other_plan = PlanFactory(office=office, fiscal_year=2027)
    progress_services.plan_set_reporting(
        plan=other_plan, by=people.subcommittee, frequency=ReportingFrequency.QUARTERLY, due_days=10
    )
    client.force_login(people.subcommittee)
    response = client.post(start_url(project, other_plan.periods.first()))
    assert response.status_code == 404
    assert not ProgressReport.objects.exists()


def test_no_report_before_the_projects_are_approved(client, people, project, period):
    plan = project.plan
    plan.stage = Stage.PROJECTS_DRAFTED
    plan.save()
    client.force_login(people.lead)
    response = client.get(start_url(project, period))
    assert response.status_code == 200
    assert "事業が承認されてから年度末評価までの間に作成します" in text(response)
    assert "報告を作成する" not in text(response)
    response = client.post(start_url(project, period), follow=True)
    assert "事業が承認されてから年度末評価までの間に作成します" in text(response)
    assert not ProgressReport.objects.exists()


# ---------------------------------------------------------------------------------------------
# Editing and submitting


def test_submitting_requires_plan_do_check_and_act(client, people, report):
    client.force_login(people.lead)
    response = client.post(edit(report), edit_data(report, check_text="", act_text="", submit="1"))
    assert response.status_code == 200
    page = text(response)
    assert "提出する前に「評価（Check）」を入力してください。" in page
    assert "提出する前に「改善（Act）」を入力してください。" in page
    assert TEXTS["do_text"] in page  # the input is kept
    report.refresh_from_db()
    assert report.state == ProgressReport.State.DRAFT
    assert report.do_text == ""  # nothing saved

    # The detail page's button asks the service, which says the same.
    response = client.post(submit(report), {"version": report.version}, follow=True)
    assert "提出する前に、" in text(response)
    report.refresh_from_db()
    assert report.state == ProgressReport.State.DRAFT


def test_a_draft_may_be_saved_with_empty_texts(client, people, report):
    client.force_login(people.lead)
    response = client.post(edit(report), edit_data(report, check_text="", act_text=""))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.do_text == TEXTS["do_text"]


def test_the_submit_button_on_the_detail_page_submits(client, people, report):
    report.refresh_from_db()
    for field, value in TEXTS.items():
        setattr(report, field, value)
    progress_services.report_save(
        report=report, by=people.lead, values={}, expected_version=report.version
    )
    client.force_login(people.lead)
    response = client.get(detail(report))
    assert "提出する" in text(response)
    response = client.post(submit(report), {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED


def test_invalid_values_re_render_with_errors_and_keep_the_input(client, people, report, indicator):
    client.force_login(people.lead)
    response = client.post(
        edit(report),
        edit_data(report, progress_percent=150, **{f"indicator_{indicator.pk}": "abc"}),
    )
    assert response.status_code == 200
    page = text(response)
    assert "この値は 100 以下でなければなりません。" in page
    assert "数値を入力してください" in page
    assert TEXTS["check_text"] in page
    report.refresh_from_db()
    assert report.progress_percent == 0


def test_a_concurrent_edit_is_refused_and_shows_the_other_change(client, people, report):
    loaded_version = report.version
    # The subcommittee saves first.
    report.refresh_from_db()
    report.do_text = "部会が追記した内容"
    progress_services.report_save(
        report=report, by=people.subcommittee, values={}, expected_version=report.version
    )
    client.force_login(people.lead)
    response = client.post(edit(report), edit_data(report, version=loaded_version))
    assert response.status_code == 200
    page = text(response)
    assert "他の人が先に保存した変更" in page
    assert "部会が追記した内容" in page
    assert TEXTS["check_text"] in page  # the lead's input is kept
    report.refresh_from_db()
    assert report.do_text == "部会が追記した内容"
    # Saving again, knowingly, now carries the current version and goes through.
    response = client.post(edit(report), edit_data(report, version=report.version))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.do_text == TEXTS["do_text"]


def test_a_stale_submit_is_refused(client, people, report):
    stale = report.version
    report.refresh_from_db()
    for field, value in TEXTS.items():
        setattr(report, field, value)
    progress_services.report_save(
        report=report, by=people.lead, values={}, expected_version=report.version
    )
    client.force_login(people.lead)
    response = client.post(submit(report), {"version": stale}, follow=True)
    assert "他の人が更新しました" in text(response)
    report.refresh_from_db()
    assert report.state == ProgressReport.State.DRAFT


# ---------------------------------------------------------------------------------------------
# Review


def test_subcommittee_accepts_a_submitted_report_and_the_lead_is_told(client, people, report):
    submitted(report, people.lead)
    client.force_login(people.subcommittee)
    response = client.get(detail(report))
    assert "受理する" in text(response) and "修正を依頼する" in text(response)
    response = client.post(
        review(report), {"action": "accept", "comment": "", "version": report.version}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ProgressReport.State.ACCEPTED
    assert report.reviewed_by == people.subcommittee
    notice = Notification.objects.get(recipient=people.lead)
    assert "受理" in notice.message
    assert notice.url == detail(report)


def test_requesting_changes_needs_a_comment(client, people, report):
    submitted(report, people.lead)
    client.force_login(people.subcommittee)
    response = client.post(
        review(report), {"action": "request_changes", "comment": " ", "version": report.version}
    )
    assert response.status_code == 400
    assert "修正してほしい点を入力してください。" in text(response)
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED


def test_the_author_and_the_lead_are_told_of_a_change_request(client, people, project, period):
    # The subcommittee wrote the report; the group's lead is told as well.
    report = progress_services.report_start(project=project, period=period, by=people.subcommittee)
    submitted(report, people.subcommittee)
    client.force_login(people.subcommittee)
    client.post(
        review(report),
        {
            "action": "request_changes",
            "comment": "指標の実績値を入れてください。",
            "version": report.version,
        },
    )
    report.refresh_from_db()
    assert report.state == ProgressReport.State.CHANGES_REQUESTED
    assert Notification.objects.filter(recipient=people.lead, message__contains="修正依頼").exists()
    assert Notification.objects.filter(
        recipient=people.subcommittee, message__contains="修正依頼"
    ).exists()


def test_lead_edits_after_changes_were_requested_and_resubmits(client, people, report):
    submitted(report, people.lead)
    progress_services.report_request_changes(
        report=report, by=people.subcommittee, comment="評価をもう少し具体的に。"
    )
    Notification.objects.all().delete()
    client.force_login(people.lead)
    response = client.get(edit(report))
    assert response.status_code == 200
    assert "評価をもう少し具体的に。" in text(response)
    report.refresh_from_db()
    response = client.post(
        edit(report), edit_data(report, check_text="苦情は月20件から8件に減った。", submit="1")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED
    assert report.check_text == "苦情は月20件から8件に減った。"
    assert "再提出" in Notification.objects.get(recipient=people.subcommittee).message


def test_an_accepted_report_is_not_editable(client, people, report):
    submitted(report, people.lead)
    progress_services.report_accept(report=report, by=people.subcommittee)
    client.force_login(people.lead)
    response = client.get(edit(report), follow=True)
    assert response.redirect_chain[-1][0] == detail(report)
    assert "「受理」の報告は編集できません" in text(response)
    client.post(edit(report), edit_data(report, do_text="書き換え"))
    client.post(submit(report), {"version": report.version})
    report.refresh_from_db()
    assert report.state == ProgressReport.State.ACCEPTED
    assert report.do_text == TEXTS["do_text"]
    # The subcommittee cannot either, and nobody sees an edit button.
    client.force_login(people.subcommittee)
    assert client.get(edit(report)).status_code == 302
    assert "提出する" not in text(client.get(detail(report)))


def test_a_submitted_report_waits_for_the_review(client, people, report):
    submitted(report, people.lead)
    client.force_login(people.lead)
    response = client.get(edit(report), follow=True)
    assert "「提出済み」の報告は編集できません" in text(response)


@pytest.mark.parametrize("role", ["lead", "council", "manager", "staff"])
def test_only_the_subcommittee_reviews(client, people, report, role):
    submitted(report, people.lead)
    client.force_login(getattr(people, role))
    response = client.post(review(report), {"action": "accept", "version": report.version})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.state == ProgressReport.State.SUBMITTED
    if role != "staff":
        assert "受理する" not in text(client.get(detail(report)))


def test_a_draft_cannot_be_reviewed(client, people, report):
    client.force_login(people.subcommittee)
    response = client.post(review(report), {"action": "accept", "version": report.version})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.state == ProgressReport.State.DRAFT


# ---------------------------------------------------------------------------------------------
# The report's page


def test_the_report_page_shows_everything(client, people, report, indicator):
    report.refresh_from_db()
    for field, value in TEXTS.items():
        setattr(report, field, value)
    report.progress_percent = 40
    progress_services.report_save(
        report=report,
        by=people.lead,
        values={indicator: Decimal("76")},
        expected_version=report.version,
    )
    client.force_login(people.council)
    page = text(client.get(detail(report)))
    assert "第1四半期（4〜6月）の進捗報告" in page
    assert "2026年7月10日（金）" in page
    assert all(value in page for value in TEXTS.values())
    assert "40%" in page
    assert "窓口の満足度" in page and "76" in page
    assert "50%" in page  # achievement: (76 - 72) / (80 - 72)
    assert "下書き" in page
    assert "変更履歴" in page


def test_a_late_unsubmitted_report_is_marked_overdue(client, people, report, monkeypatch):
    client.force_login(people.lead)
    monkeypatch.setattr("takatsu_portal.core.fiscal.clock", lambda: datetime.date(2026, 7, 10))
    assert "期限超過" not in text(client.get(detail(report)))
    monkeypatch.setattr("takatsu_portal.core.fiscal.clock", lambda: datetime.date(2026, 7, 13))
    assert "期限超過" in text(client.get(detail(report)))
    submitted(report, people.lead)
    assert "期限超過" not in text(client.get(detail(report)))


def test_the_report_page_runs_a_fixed_number_of_queries(client, people, report, project):
    client.force_login(people.subcommittee)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail(report)).status_code == 200
        return len(queries)

    count()  # the first request of a session loads what later ones find cached
    few = count()
    for n in range(20):
        IndicatorFactory(project=project, name=f"指標{n}")
    report.refresh_from_db()
    progress_services.report_save(
        report=report,
        by=people.lead,
        values={i: Decimal(n) for n, i in enumerate(project.indicators.all())},
        expected_version=report.version,
    )
    assert count() == few


# ---------------------------------------------------------------------------------------------
# The project's page


def project_page(client, project):
    return client.get(reverse("plans:project_detail", args=[project.pk]))


def test_the_project_page_lists_the_reports_by_period(client, people, report, project):
    client.force_login(people.lead)
    page = project_page(client, project).content.decode()
    assert "進捗報告" in page
    assert detail(report) in page  # Q1: open the report
    second = project.plan.periods.get(number=2)
    assert start_url(project, second) in page  # Q2: create it
    assert "2026年10月9日（金）" in unescape(page)


def test_readers_who_do_not_file_see_no_create_link(client, people, report, project):
    client.force_login(people.council)
    page = project_page(client, project).content.decode()
    assert detail(report) in page
    assert start_url(project, project.plan.periods.get(number=2)) not in page
    assert "未作成" in page


def test_staff_see_no_reports_on_the_project_page(client, people, report, project):
    client.force_login(people.staff)
    response = project_page(client, project)
    assert response.status_code == 200
    assert detail(report) not in response.content.decode()
    assert 'id="reports-title"' not in response.content.decode()


def test_the_project_page_runs_the_same_queries_for_4_and_12_periods(
    client, people, project, office, sections, group
):
    client.force_login(people.lead)

    def count(target):
        """Queries of the page computed afresh (its body kept in the shared cache is dropped
        first) and of the same page read back from the cache."""
        sizes = []
        for fresh in (True, False):
            if fresh:
                attention.changed()
            with CaptureQueriesContext(connection) as queries:
                assert project_page(client, target).status_code == 200
            sizes.append(len(queries))
        return sizes

    count(project)  # the first request of a session loads what later ones find cached
    quarterly = count(project)
    monthly_plan = PlanFactory(office=office, fiscal_year=2027, stage=Stage.IN_PROGRESS)
    progress_services.plan_set_reporting(
        plan=monthly_plan,
        by=people.subcommittee,
        frequency=ReportingFrequency.MONTHLY,
        due_days=10,
    )
    monthly = ProjectFactory(
        plan=monthly_plan, code="R9-01", section=sections.kumin, working_group=group
    )
    for period in monthly_plan.periods.all():
        progress_services.report_start(project=monthly, period=period, by=people.lead)
    assert count(monthly) == quarterly
    # Read back from the cache, the page runs fewer queries than computed afresh.
    assert quarterly[1] < quarterly[0]
