"""The office-scope guard (core/scoping.py, issue 15) on the records below a plan or a project:
plan decisions, milestones, indicators and their actual values, reporting periods, reminders
and year-end evaluations. In a request an unscoped query of each raises; the pages that read
them answer for the user's own office and 404 for another office's id.

The two views below are added to the portal's URLs for these tests only."""

from decimal import Decimal

import pytest
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils import timezone

from plans.models import (
    Indicator,
    IndicatorValue,
    Milestone,
    PlanDecision,
    ProgressReport,
    Reminder,
    ReportingPeriod,
    Stage,
    YearEndEvaluation,
)
from plans.progress.services import period_specs
from plans.projects.forms import ROW_GONE
from takatsu_portal.core.scoping import UnscopedQueryError
from takatsu_portal.urls import urlpatterns as portal_urlpatterns
from tests.plans.factories import (
    IndicatorFactory,
    MilestoneFactory,
    PlanFactory,
    ProjectFactory,
    WorkingGroupFactory,
)
from tests.plans.progress.test_board import make_periods
from tests.plans.projects.test_projects import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

MODELS = {
    model._meta.label: model
    for model in (
        PlanDecision,
        Milestone,
        Indicator,
        IndicatorValue,
        ReportingPeriod,
        Reminder,
        YearEndEvaluation,
    )
}


def unscoped(request, label):
    return HttpResponse(str(MODELS[label].objects.count()))


def scoped(request, label):
    return HttpResponse(str(MODELS[label].objects.for_office(request.user.office).count()))


urlpatterns = [
    *portal_urlpatterns,
    path("guard/<str:label>/unscoped/", unscoped),
    path("guard/<str:label>/scoped/", scoped),
]


def office_records(office, *, lead, tag):
    """A plan under way with one project and one of each record below it, every text marked
    with `tag` so that a page shows whose records it read."""
    plan = PlanFactory(office=office, stage=Stage.IN_PROGRESS)
    group = WorkingGroupFactory(office=office, lead=lead, name=f"{tag}ワーキング")
    project = ProjectFactory(plan=plan, title=f"{tag}の事業", working_group=group)
    decision = PlanDecision.objects.create(
        plan=plan,
        kind=PlanDecision.Kind.ADVANCE,
        from_stage=Stage.BUDGET_REQUESTED,
        to_stage=Stage.IN_PROGRESS,
        comment=f"{tag}の決定理由",
        decided_by=lead,
        plan_version=plan.version,
    )
    milestone = MilestoneFactory(project=project, title=f"{tag}の予定")
    indicator = IndicatorFactory(project=project, name=f"{tag}の指標")
    periods = make_periods(plan, 2, past=1)
    report = ProgressReport.objects.create(
        project=project,
        period=periods[0],
        author=lead,
        state=ProgressReport.State.SUBMITTED,
        submitted_at=timezone.now(),
    )
    value = IndicatorValue.objects.create(report=report, indicator=indicator, actual=Decimal("77"))
    reminder = Reminder.objects.create(
        project=project, period=periods[1], kind=Reminder.Kind.BEFORE_DUE, recipient=lead
    )
    evaluation = YearEndEvaluation.objects.create(
        project=project,
        grade="B",
        reason=f"{tag}の評価理由",
        decision=YearEndEvaluation.Decision.CONTINUE,
        evaluated_by=lead,
    )
    return {
        "plan": plan,
        "project": project,
        "periods": periods,
        PlanDecision: decision,
        Milestone: milestone,
        Indicator: indicator,
        IndicatorValue: value,
        ReportingPeriod: periods[1],
        Reminder: reminder,
        YearEndEvaluation: evaluation,
    }


@pytest.fixture
def ours(office, people):
    return office_records(office, lead=people.lead, tag="高津")


@pytest.fixture
def theirs(stranger):
    return office_records(stranger.office, lead=stranger, tag="他区")


@pytest.fixture
def staff(client, people):
    client.force_login(people.subcommittee)
    return client


@pytest.mark.parametrize("label", sorted(MODELS))
def test_an_unscoped_query_raises_and_for_office_reads_the_office_only(staff, ours, theirs, label):
    model = MODELS[label]
    assert model.objects.count() == 2 * (2 if model is ReportingPeriod else 1)
    with pytest.raises(UnscopedQueryError, match=label.replace(".", r"\.")):
        staff.get(f"/guard/{label}/unscoped/")
    ours_only = 2 if model is ReportingPeriod else 1
    assert staff.get(f"/guard/{label}/scoped/").content.decode() == str(ours_only)


def test_plan_decisions_show_on_the_own_plan_only(staff, ours, theirs):
    page = staff.get(reverse("plans:plan_detail", args=[ours["plan"].pk]))
    assert page.status_code == 200
    assert "高津の決定理由" in page.content.decode()
    assert "他区の決定理由" not in page.content.decode()
    assert staff.get(reverse("plans:plan_detail", args=[theirs["plan"].pk])).status_code == 404


def test_milestones_and_indicators_show_on_the_own_project_only(staff, ours, theirs):
    page = staff.get(reverse("plans:project_detail", args=[ours["project"].pk])).content.decode()
    assert "高津の予定" in page and "高津の指標" in page
    assert "他区の予定" not in page and "他区の指標" not in page
    for name in ("project_detail", "project_edit"):
        assert staff.get(reverse(f"plans:{name}", args=[theirs["project"].pk])).status_code == 404


def test_the_project_form_edits_its_own_rows(staff, ours):
    project = ours["project"]
    data = form_data(project)
    data["milestones-0-title"] = "高津の予定（見直し）"
    response = staff.post(reverse("plans:project_edit", args=[project.pk]), data)
    assert response.status_code == 302
    assert project.milestones.get().title == "高津の予定（見直し）"


def test_the_project_form_refuses_another_offices_row_by_its_id(staff, ours, theirs):
    """A posted row id is looked up among the project's rows, not among every office's: the
    other ward's milestone is neither changed nor copied."""
    project = ours["project"]
    data = form_data(project)
    data["milestones-0-id"] = theirs[Milestone].pk
    data["milestones-0-title"] = "書き換え"
    response = staff.post(reverse("plans:project_edit", args=[project.pk]), data)
    assert response.status_code == 200  # the form again, with the error
    assert ROW_GONE in response.content.decode()
    theirs[Milestone].refresh_from_db()
    assert theirs[Milestone].title == "他区の予定"
    assert not Milestone.objects.filter(title="書き換え").exists()
    assert list(project.milestones.values_list("title", flat=True)) == ["高津の予定"]


def test_values_and_evaluations_show_on_the_own_pages_only(staff, ours, theirs):
    page = staff.get(reverse("plans:project_evaluation", args=[ours["project"].pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "高津の評価理由" in text and "高津の指標" in text and "77" in text
    timeline = staff.get(reverse("plans:project_timeline", args=[ours["project"].pk]))
    assert "高津の評価理由" in timeline.content.decode()
    summary = staff.get(reverse("plans:plan_evaluation", args=[ours["plan"].pk]))
    assert summary.status_code == 200
    assert "高津の事業" in summary.content.decode()
    for name, pk in (
        ("project_evaluation", theirs["project"].pk),
        ("project_timeline", theirs["project"].pk),
        ("plan_evaluation", theirs["plan"].pk),
    ):
        assert staff.get(reverse(f"plans:{name}", args=[pk])).status_code == 404


def test_a_period_is_found_among_the_projects_plans_periods(client, people, ours, theirs):
    client.force_login(people.lead)
    project, period = ours["project"], ours["periods"][1]
    page = client.get(reverse("plans:report_start", args=[project.pk, period.pk]))
    assert page.status_code == 200
    assert period.label in page.content.decode()
    # Another ward's period with our project, and another ward's project: not found.
    other_period = theirs["periods"][1]
    assert (
        client.get(reverse("plans:report_start", args=[project.pk, other_period.pk])).status_code
        == 404
    )
    other = theirs["project"]
    assert (
        client.get(reverse("plans:report_start", args=[other.pk, other_period.pk])).status_code
        == 404
    )


def test_the_reporting_settings_rebuild_the_plans_own_periods(staff, ours, theirs):
    plan = ours["plan"]
    response = staff.post(
        reverse("plans:plan_reporting", args=[plan.pk]),
        {
            "reporting_frequency": plan.reporting_frequency,
            "report_due_days": 10,
            "version": plan.version,
        },
    )
    assert response.status_code == 302
    specs = period_specs(plan.fiscal_year, plan.reporting_frequency, 10)
    assert list(plan.periods.values_list("number", "due_on")) == [
        (spec.number, spec.due_on) for spec in specs
    ]
    theirs_before = list(theirs["plan"].periods.values_list("number", "due_on"))
    assert theirs_before == [(p.number, p.due_on) for p in theirs["periods"]]
    assert staff.get(reverse("plans:plan_reporting", args=[theirs["plan"].pk])).status_code == 404
