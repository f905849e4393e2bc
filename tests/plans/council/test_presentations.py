"""The council decides on the exact report PDF it was given: an agenda item records the report
version presented, the plan version comes from that report, a plan changed after the report
was made cannot be presented with it, and council members reach the version from the meeting,
the job page and the reports page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plans.council import services as council_services
from plans.models import AgendaItem, Stage
from plans.plan import services as plan_services
from takatsu_portal.reports.models import ReportJob
from takatsu_portal.reports.services import request_report
from tests.factories import OfficeFactory
from tests.plans.factories import MeetingFactory, PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(office):
    return MeetingFactory(office=office, title="令和8年度 第1回区企画調整会議")


@pytest.fixture
def reported_plan(plan, people):
    ProjectFactory(plan=plan, title="窓口番号表示の導入")
    plan_services.plan_advance(plan=plan, by=people.subcommittee, comment="素案を報告する")
    plan.refresh_from_db()
    return plan


@pytest.fixture
def plan_item(meeting, reported_plan, people):
    """plan_item(report_version=...) → the meeting's agenda item approving the reported plan."""

    def add(report_version=None):
        return council_services.agenda_item_add(
            meeting=meeting,
            by=people.subcommittee,
            title="計画（素案）の承認",
            subject=AgendaItem.Subject.PLAN,
            plan=reported_plan,
            report_version=report_version,
        )

    return add


def render(plan, people, capture):
    with capture(execute=True):
        job = request_report(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)
    job.refresh_from_db()
    assert job.state == ReportJob.State.SUCCEEDED
    return job.version


@pytest.fixture
def version(reported_plan, people, django_capture_on_commit_callbacks):
    return render(reported_plan, people, django_capture_on_commit_callbacks)


def add_item(client, meeting, plan, version):
    return client.post(
        reverse("plans:agenda_item_create", args=[meeting.pk]),
        {
            "item-title": "計画（素案）の承認",
            "item-subject": AgendaItem.Subject.PLAN,
            "item-plan": plan.pk,
            "item-report_version": version.pk if version else "",
        },
    )


def test_an_item_presents_a_report_and_the_council_decides_on_it(
    client, people, meeting, reported_plan, version
):
    client.force_login(people.subcommittee)
    assert add_item(client, meeting, reported_plan, version).status_code == 302
    item = AgendaItem.objects.get()
    assert item.report_version == version
    assert item.presented_version == version.snapshot["facts"]["plan_version"]

    client.force_login(people.council)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert version.title in page and version.sha256 in page
    assert reverse("reports:download", args=[version.job_id]) in page
    prefix = f"decide-{item.pk}"
    client.post(
        reverse("plans:agenda_item_decide", args=[item.pk]),
        {f"{prefix}-decision": AgendaItem.Decision.APPROVED, f"{prefix}-comment": ""},
    )
    reported_plan.refresh_from_db()
    assert reported_plan.stage == Stage.PLAN_APPROVED
    decision = reported_plan.decisions.first()
    assert decision.agenda_item.report_version == version

    # From the report's side: the job page and the reports page name the meeting.
    job_page = client.get(reverse("reports:detail", args=[version.job_id])).content.decode()
    assert meeting.title in job_page and "承認" in job_page
    index = client.get(reverse("reports:index")).content.decode()
    assert "会議に提示された報告書" in index and meeting.title in index


def test_a_report_made_before_the_plan_changed_is_refused(
    client, people, meeting, reported_plan, version
):
    plan_services.plan_update(
        plan=reported_plan,
        by=people.subcommittee,
        expected_version=reported_plan.version,
        title=reported_plan.title,
        summary="報告書の後で書き換えた概要",
    )
    client.force_login(people.subcommittee)
    response = add_item(client, meeting, reported_plan, version)
    assert response.status_code == 200
    html = response.content.decode()
    assert "計画は報告書の作成後に変更されています" in html
    assert "報告書を作り直してから提示してください" in html
    assert not AgendaItem.objects.exists()


def test_a_report_of_another_plan_is_refused(people, meeting, reported_plan, version, office):
    other = PlanFactory(office=office, fiscal_year=reported_plan.fiscal_year - 1)
    with pytest.raises(ValidationError, match="別の計画の報告書"):
        council_services.agenda_item_add(
            meeting=meeting,
            by=people.subcommittee,
            title="前年度の計画",
            subject=AgendaItem.Subject.PLAN,
            plan=other,
            report_version=version,
        )


def test_a_report_of_another_office_is_refused(people, reported_plan, version):
    elsewhere = MeetingFactory(office=OfficeFactory(code="miyamae", name="宮前区役所"))
    with pytest.raises(ValidationError, match="他の区役所"):
        council_services.agenda_item_add(
            meeting=elsewhere,
            by=people.subcommittee,
            title="計画",
            subject=AgendaItem.Subject.OTHER,
            report_version=version,
        )


def test_a_report_of_the_wrong_kind_is_refused_for_proposals(people, meeting, version, plan):
    with pytest.raises(ValidationError, match="提示できない種類"):
        council_services.agenda_item_add(
            meeting=meeting,
            by=people.subcommittee,
            title="事業企画案",
            subject=AgendaItem.Subject.PROPOSALS,
            plan=plan,
            report_version=version,
        )


def test_a_report_is_attached_to_an_undecided_item_later(
    plan_item, client, people, meeting, reported_plan, django_capture_on_commit_callbacks
):
    item = plan_item()
    version = render(reported_plan, people, django_capture_on_commit_callbacks)
    client.force_login(people.subcommittee)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'name="present-{item.pk}-report_version"' in page
    response = client.post(
        reverse("plans:agenda_item_present", args=[item.pk]),
        {f"present-{item.pk}-report_version": version.pk},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.report_version == version
    assert item.history.first().report_version_id == version.pk  # traceable: who and when


def test_attaching_a_stale_report_re_renders_the_meeting_with_the_reason(
    plan_item, client, people, meeting, reported_plan, version
):
    item = plan_item()
    plan_services.plan_update(
        plan=reported_plan,
        by=people.subcommittee,
        expected_version=reported_plan.version,
        title=reported_plan.title,
        summary="書き換え",
    )
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("plans:agenda_item_present", args=[item.pk]),
        {f"present-{item.pk}-report_version": version.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "計画は報告書の作成後に変更されています" in html and 'aria-invalid="true"' in html
    item.refresh_from_db()
    assert item.report_version is None


def test_a_decided_item_keeps_its_report(plan_item, people, meeting, reported_plan, version):
    item = plan_item(report_version=version)
    council_services.agenda_item_decide(
        item=item, by=people.council, decision=AgendaItem.Decision.APPROVED, comment=""
    )
    with pytest.raises(ValidationError, match="決定を記録した議題"):
        council_services.agenda_item_present_report(
            item=item, by=people.subcommittee, report_version=None
        )


def test_staff_see_the_report_title_but_no_link_they_may_not_open(
    plan_item, client, people, meeting, reported_plan, version
):
    plan_item(report_version=version)
    client.force_login(people.staff)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert version.title in page
    assert reverse("reports:download", args=[version.job_id]) not in page


def test_a_report_presented_by_mistake_is_taken_off_before_the_meeting(
    plan_item, client, people, meeting, reported_plan, version
):
    item = plan_item(report_version=version)
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("plans:agenda_item_present", args=[item.pk]),
        {f"present-{item.pk}-report_version": ""},
        follow=True,
    )
    assert "提示する報告書を外しました" in response.content.decode()
    item.refresh_from_db()
    assert item.report_version is None
    assert item.presented_version == reported_plan.version
