# ruff: noqa: F811  (fixtures imported from the neighbouring test modules)
"""A reporting period is due only for projects that existed, or started by their schedule,
before it ended (#10.7): a project added mid-year is not 「期限超過」 for the quarters before it,
on the board, on the lead's home page, in the reminders or in the council's PDF."""

from datetime import timedelta

import pytest
from django.urls import reverse

from plans.models import Project
from plans.progress.board import board_projects, board_rows
from plans.progress.services import reports_due
from plans.projects import services
from takatsu_portal.core.fiscal import today
from tests.factories import own_policy
from tests.plans.factories import ProjectFactory

from .test_board import current_plan, make_periods  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def periods(current_plan):
    return make_periods(current_plan)  # the first period ended and is past due


@pytest.fixture
def old(current_plan, group, sections):
    return ProjectFactory(plan=current_plan, code="R-OLD", working_group=group)


def add_mid_year(plan, people, group, sections, **fields):
    project = Project(
        plan=plan,
        code="R-NEW",
        title="年度途中に始めた事業",
        initiative_area_id=1,
        section=sections.kumin,
        working_group=group,
        **fields,
    )
    return services.project_save(project=project, by=people.subcommittee, policies=[own_policy(1)])


def test_a_project_added_to_a_plan_under_way_starts_today(
    people,
    current_plan,
    group,
    sections,
):
    project = add_mid_year(current_plan, people, group, sections)
    assert project.starts_on == today()


def test_a_project_added_mid_year_owes_nothing_for_periods_that_ended_before_it(
    client,
    people,
    current_plan,
    group,
    sections,
    periods,
    old,
):
    new = add_mid_year(current_plan, people, group, sections)
    annotated = {p.code: p for p in board_projects(Project.objects.all(), on=today())}
    assert annotated["R-OLD"].overdue == 1
    assert annotated["R-NEW"].overdue == 0
    rows = {
        r.project.code: r
        for r in board_rows(board_projects(Project.objects.all(), on=today()), periods, on=today())
    }
    assert rows["R-OLD"].cells[0]["badge"].key == "overdue"
    assert rows["R-NEW"].cells[0]["badge"].key == "not_due"
    # The board page says so, and the lead is reminded only of the old project.
    client.force_login(people.subcommittee)
    html = client.get(reverse("plans:progress")).content.decode()
    assert "開始前" in html
    due = {(p.code, period.number) for p, period, _, _ in reports_due(today=today())}
    assert ("R-OLD", 1) in due
    assert ("R-NEW", 1) not in due
    assert new.starts_on > periods[0].ends_on


def test_a_project_whose_schedule_starts_before_the_period_ended_owes_it(
    people,
    current_plan,
    group,
    sections,
    periods,
):
    add_mid_year(
        current_plan, people, group, sections, starts_on=periods[0].ends_on - timedelta(days=5)
    )
    annotated = {p.code: p for p in board_projects(Project.objects.all(), on=today())}
    assert annotated["R-NEW"].overdue == 1


def test_the_leads_home_page_counts_only_the_periods_a_project_owes(
    client,
    people,
    current_plan,
    group,
    sections,
    periods,
    old,
):
    import plans.progress.attention  # noqa: F401  (registers the attention providers)

    add_mid_year(current_plan, people, group, sections)
    client.force_login(people.lead)
    html = client.get(reverse("home")).content.decode()
    assert "期限を過ぎた進捗報告が1件あります" in html


def test_the_councils_progress_pdf_lists_no_overdue_report_before_a_project_started(
    people, current_plan, group, sections, periods, old
):
    from plans.progress.report import progress_context

    add_mid_year(current_plan, people, group, sections)
    context = progress_context(periods[1])  # as of today, the first period past due
    assert [(i["project"].code, i["period"].number) for i in context["overdue"]] == [("R-OLD", 1)]
    assert context["summary"]["overdue"] == 1
    cells = {row.project.code: row.cells[0]["badge"].key for row in context["rows"]}
    assert cells == {"R-OLD": "overdue", "R-NEW": "not_due"}
