"""What the council approves is the plan with its projects (#10.2): a project's budget,
indicator or policy changed after the PDF was presented leaves the plan's own version as it
was, yet the decision on the stale PDF is refused; the PDF's cover prints the plan version,
the job number and the content code, so two versions never look identical on paper."""

import subprocess

import pytest
from django.urls import reverse

from plans.council import services as council_services
from plans.fingerprint import plan_fingerprint, short
from plans.models import AgendaItem, Stage
from plans.plan import services as plan_services
from plans.projects import services as project_services
from takatsu_portal.reports import tasks  # noqa: F401  (registers the render task, as the worker does)
from takatsu_portal.reports.models import ReportJob
from takatsu_portal.reports.services import request_report
from tests.plans.factories import IndicatorFactory, MeetingFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(office):
    return MeetingFactory(office=office, title="令和8年度 第1回区企画調整会議")


@pytest.fixture
def project(plan):
    project = ProjectFactory(plan=plan, title="窓口番号表示の導入", budget_requested=850_000)
    IndicatorFactory(project=project)
    return project


@pytest.fixture
def reported_plan(plan, project, people):
    plan_services.plan_advance(plan=plan, by=people.subcommittee, comment="素案を報告する")
    plan.refresh_from_db()
    return plan


@pytest.fixture
def version(reported_plan, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = request_report(
            kind="annual_plan", params={"plan": reported_plan.pk}, by=people.subcommittee
        )
    job.refresh_from_db()
    assert job.state == ReportJob.State.SUCCEEDED
    return job.version


def decide(client, item, decision="approved"):
    prefix = f"decide-{item.pk}"
    return client.post(
        reverse("plans:agenda_item_decide", args=[item.pk]),
        {f"{prefix}-decision": decision, f"{prefix}-comment": "異議なし"},
    )


def present(people, meeting, plan, version=None):
    return council_services.agenda_item_add(
        meeting=meeting,
        by=people.subcommittee,
        title="計画（素案）の承認",
        subject=AgendaItem.Subject.PLAN,
        plan=plan,
        report_version=version,
    )


def raise_budget(project, people):
    project.refresh_from_db()
    project.budget_requested = 2_500_000
    project_services.project_save(
        project=project,
        by=people.subcommittee,
        policies=list(project.policies.all()) or [1],
        expected_version=project.version,
    )


def test_the_report_records_the_content_fingerprint_of_the_plan(reported_plan, version):
    assert version.snapshot["facts"]["plan_fingerprint"] == plan_fingerprint(reported_plan)


def test_a_budget_raised_after_the_pdf_was_presented_refuses_the_approval(
    client, people, meeting, reported_plan, project, version
):
    item = present(people, meeting, reported_plan, version)
    raise_budget(project, people)
    reported_plan.refresh_from_db()
    assert reported_plan.version == item.presented_version  # the plan row itself is unchanged

    client.force_login(people.council)
    page = client.get(reverse("plans:meeting_detail", args=[meeting.pk])).content.decode()
    assert "事業・予算・指標が変更されています" in page
    response = decide(client, item)
    assert response.status_code == 400
    assert "事業・予算・指標が変更されています" in response.content.decode()
    item.refresh_from_db()
    reported_plan.refresh_from_db()
    assert item.decision == AgendaItem.Decision.PENDING
    assert reported_plan.stage == Stage.REPORTED


def test_an_indicator_changed_after_presenting_without_a_report_refuses_the_approval(
    client, people, meeting, reported_plan, project
):
    item = present(people, meeting, reported_plan)
    indicator = project.indicators.get()
    indicator.target = 95
    indicator.save()
    client.force_login(people.council)
    assert decide(client, item).status_code == 400
    item.refresh_from_db()
    assert item.decision == AgendaItem.Decision.PENDING


def test_an_unchanged_plan_is_approved(client, people, meeting, reported_plan, version):
    item = present(people, meeting, reported_plan, version)
    client.force_login(people.council)
    assert decide(client, item).status_code == 302
    reported_plan.refresh_from_db()
    assert reported_plan.stage == Stage.PLAN_APPROVED


def test_a_report_made_before_a_budget_changed_cannot_be_presented(
    people, meeting, reported_plan, project, version
):
    raise_budget(project, people)
    with pytest.raises(Exception, match="報告書の作成後に変更されています"):
        present(people, meeting, reported_plan, version)


def test_the_cover_prints_the_plan_version_the_job_number_and_the_content_code(
    people, reported_plan, version
):
    text = subprocess.run(
        ["pdftotext", "-l", "1", version.file.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"計画 第{reported_plan.version}版" in text
    assert f"報告書番号 第{version.job.pk}号" in text
    assert f"内容確認コード {short(plan_fingerprint(reported_plan))}" in text


def test_reopening_a_refused_decisions_address_shows_the_portals_405_page_with_a_way_back(
    client, people, meeting, reported_plan, project, version
):
    """#10.8: the refused decision re-renders the meeting with its message (above); a GET of
    the decision's address afterwards (a reload) gets the portal's page, not the browser's."""
    item = present(people, meeting, reported_plan, version)
    client.force_login(people.council)
    response = client.get(reverse("plans:agenda_item_decide", args=[item.pk]))
    assert response.status_code == 405
    page = response.content.decode()
    assert "このページは直接開けません" in page and "<html" in page
    assert f'href="{reverse("plans:meeting_list")}"' in page
