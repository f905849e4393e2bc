"""The progress board (plans:progress): who may see it, its order, summary, matrix, filters
and a fixed number of queries whatever the number of projects and periods."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans.models import (
    AnnualPlan,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from takatsu_portal.core.fiscal import FiscalYear, today
from tests.factories import own_area, own_policy
from tests.plans.factories import PlanFactory, ProjectFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

State = ProgressReport.State
Status = ProgressReport.Status
URL = reverse("plans:progress")


def make_periods(plan, count=4, *, past=1):
    """`count` periods of `plan`, the first `past` of them already due (dates relative to
    today, so that the tests do not depend on the clock)."""
    on = today()
    periods = []
    for index in range(count):
        due = on + timedelta(days=30 * (index - past) + 15)
        periods.append(
            ReportingPeriod(
                plan=plan,
                number=index + 1,
                label=f"第{index + 1}期（テスト）",
                starts_on=due - timedelta(days=40),
                ends_on=due - timedelta(days=10),
                due_on=due,
            )
        )
    return ReportingPeriod.objects.bulk_create(periods)


def report(project, period, author, *, state, status=Status.ON_TRACK, percent=0):
    return ProgressReport.objects.create(
        project=project,
        period=period,
        author=author,
        state=state,
        status=status,
        progress_percent=percent,
        submitted_at=None if state == State.DRAFT else timezone.now(),
    )


@pytest.fixture
def current_plan(office):
    return PlanFactory(office=office, fiscal_year=FiscalYear.current().year, stage="in_progress")


@pytest.fixture
def board(current_plan, group, people, sections):
    """Seven projects of the current plan, one past-due period and three to come.

    R-A accepted, on track   R-B submitted, delayed      R-C draft only → overdue
    R-D accepted, done       R-E completed, no report    R-F submitted, at risk
    R-G changes requested (at risk) → overdue
    """
    periods = make_periods(current_plan)
    first = periods[0]
    author = people.lead

    def project(code, **kwargs):
        kwargs.setdefault("section", sections.kumin)
        return ProjectFactory(plan=current_plan, code=code, working_group=group, **kwargs)

    projects = {
        "A": project("R-A"),
        "B": project("R-B"),
        "C": project("R-C"),
        "D": project("R-D"),
        "E": project("R-E", status=Project.Status.COMPLETED),
        "F": project("R-F"),
        "G": project("R-G"),
    }
    report(projects["A"], first, author, state=State.ACCEPTED, percent=30)
    report(projects["B"], first, author, state=State.SUBMITTED, status=Status.DELAYED, percent=10)
    report(projects["C"], first, author, state=State.DRAFT, status=Status.DELAYED)
    report(projects["D"], first, author, state=State.ACCEPTED, status=Status.DONE, percent=100)
    report(projects["F"], first, author, state=State.SUBMITTED, status=Status.AT_RISK, percent=20)
    report(projects["G"], first, author, state=State.CHANGES_REQUESTED, status=Status.AT_RISK)
    return projects, periods


def codes(response):
    return [row.project.code for row in response.context["rows"]]


# ---------------------------------------------------------------------------------------------
# Who may see it


@pytest.mark.parametrize("who", ["lead", "subcommittee", "council", "manager", "admin"])
def test_progress_roles_see_the_board(client, people, board, who):
    client.force_login(getattr(people, who))
    response = client.get(URL)
    assert response.status_code == 200
    assert "R-A" in response.content.decode()


def test_staff_are_refused_with_the_reason(client, people, board):
    client.force_login(people.staff)
    response = client.get(URL)
    assert response.status_code == 403
    assert "進捗管理はワーキンググループリーダー・推進部会委員" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, board):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_a_member_of_another_office_sees_none_of_this_offices_projects(client, stranger, board):
    client.force_login(stranger)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "R-A" not in html
    assert "まだ計画がありません" in html


def test_another_offices_plan_in_the_query_is_not_found(client, stranger, current_plan, board):
    client.force_login(stranger)
    assert client.get(URL, {"plan": current_plan.pk}).status_code == 404
    assert client.get(URL, {"plan": "abc"}).status_code == 404


# ---------------------------------------------------------------------------------------------
# Order, summary, matrix


def test_overdue_projects_come_first_then_by_status_severity_then_code(client, people, board):
    client.force_login(people.subcommittee)
    response = client.get(URL)
    assert codes(response) == ["R-G", "R-C", "R-B", "R-F", "R-A", "R-D", "R-E"]
    overdue = {row.project.code: row.project.overdue for row in response.context["rows"]}
    assert overdue == {"R-G": 1, "R-C": 1, "R-B": 0, "R-F": 0, "R-A": 0, "R-D": 0, "R-E": 0}


def test_the_rows_show_the_latest_filed_report_status_as_text_and_progress(client, people, board):
    client.force_login(people.subcommittee)
    response = client.get(URL)
    rows = {row.project.code: row for row in response.context["rows"]}
    assert rows["R-B"].status.label == "遅延"
    assert rows["R-C"].status.label == "報告なし"  # a draft is not a report yet
    assert rows["R-G"].status.label == "注意"
    assert rows["R-A"].latest.progress_percent == 30
    html = response.content.decode()
    assert re.search(r'<progress max="100"\s+value="30"\s+aria-hidden="true"></progress>', html)
    assert "30%" in html
    assert "窓口改善ワーキング（" in html  # the group and its lead


def test_summary_counts_projects_by_status_and_those_with_overdue_reports(client, people, board):
    client.force_login(people.subcommittee)
    summary = client.get(URL).context["summary"]
    counts = {badge.label: count for badge, count in summary["statuses"]}
    assert counts == {"遅延": 1, "注意": 2, "順調": 1, "完了": 1, "報告なし": 2}
    assert (summary["total"], summary["overdue"]) == (7, 2)


def test_matrix_shows_each_reports_state_per_period_with_a_legend(client, people, board):
    client.force_login(people.subcommittee)
    response = client.get(URL)
    rows = {row.project.code: row for row in response.context["rows"]}

    def states(code):
        return [(cell["badge"].label, cell["note"]) for cell in rows[code].cells]

    assert states("R-A") == [("受理", ""), ("未提出", ""), ("未提出", ""), ("未提出", "")]
    assert states("R-C")[0] == ("期限超過", "下書きあり")
    assert states("R-G")[0] == ("期限超過", "修正依頼中")
    assert states("R-B")[0] == ("提出済み", "")
    assert states("R-E")[0] == ("未提出", "")  # completed: nothing more is owed
    html = response.content.decode()
    assert "凡例" in html
    assert '<th scope="col" class="text-nowrap">' in html and "第1期（テスト）" in html
    assert "事業（行）と報告期間（列）ごとの報告の状態" in html
    accepted = ProgressReport.objects.get(project=board[0]["A"])
    assert reverse("plans:report_detail", args=[accepted.pk]) in html


def test_the_current_fiscal_years_plan_is_shown_unless_another_is_chosen(
    client, people, office, board, current_plan
):
    other = PlanFactory(office=office, fiscal_year=current_plan.fiscal_year - 1)
    ProjectFactory(plan=other, code="OLD-1")
    client.force_login(people.council)
    assert client.get(URL).context["plan"] == current_plan
    response = client.get(URL, {"plan": other.pk})
    assert response.context["plan"] == other
    assert codes(response) == ["OLD-1"]
    assert "この計画の報告期間はまだ設定されていません。" in response.content.decode()


def test_without_a_plan_this_year_the_newest_plan_is_shown(client, people, office):
    newest = PlanFactory(office=office, fiscal_year=FiscalYear.current().year - 1)
    PlanFactory(office=office, fiscal_year=FiscalYear.current().year - 2)
    client.force_login(people.council)
    assert client.get(URL).context["plan"] == newest


# ---------------------------------------------------------------------------------------------
# Filters


def test_filters_by_policy_area_section_and_working_group(
    client, people, current_plan, sections, group, other_group
):
    make_periods(current_plan)
    policy_1, policy_3 = own_policy(1), own_policy(3)
    area_1, area_2 = own_area(1), own_area(2)
    ProjectFactory(
        plan=current_plan,
        code="P-1",
        policies=[policy_1],
        initiative_area=area_1,
        section=sections.kumin,
        working_group=group,
    )
    ProjectFactory(
        plan=current_plan,
        code="P-2",
        policies=[policy_3],
        initiative_area=area_2,
        section=sections.hoken,
        working_group=other_group,
    )
    client.force_login(people.subcommittee)
    assert codes(client.get(URL, {"policy": policy_3.pk})) == ["P-2"]
    assert codes(client.get(URL, {"initiative_area": area_1.pk})) == ["P-1"]
    assert codes(client.get(URL, {"section": sections.hoken.pk})) == ["P-2"]
    assert codes(client.get(URL, {"working_group": group.pk})) == ["P-1"]
    assert codes(client.get(URL)) == ["P-1", "P-2"]


def test_another_offices_working_group_is_not_a_valid_filter(
    client, people, current_plan, stranger, group
):
    make_periods(current_plan)
    ProjectFactory(plan=current_plan, code="P-1", working_group=group)
    foreign = WorkingGroupFactory(office=stranger.office, lead=stranger)
    client.force_login(people.subcommittee)
    response = client.get(URL, {"working_group": foreign.pk})
    assert response.status_code == 200
    assert codes(response) == []
    assert "正しく選択してください" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Queries


def fill_plan(plan, *, projects, periods, lead, sections):
    """`projects` projects with a report for every past period, made in bulk."""
    made = make_periods(plan, periods, past=periods // 2)
    groups = [
        WorkingGroupFactory(office=plan.office, lead=lead, name=f"{plan.fiscal_year}WG{i}")
        for i in range(5)
    ]
    area = own_area(1)
    rows = Project.objects.bulk_create(
        Project(
            plan=plan,
            code=f"Q{i:04d}",
            title=f"事業{i}",
            initiative_area=area,
            section=sections.kumin,
            working_group=groups[i % 5],
        )
        for i in range(projects)
    )
    policy = own_policy(1)
    Project.policies.through.objects.bulk_create(
        Project.policies.through(project_id=p.pk, policy_id=policy.pk) for p in rows
    )
    states = [State.ACCEPTED, State.SUBMITTED, State.DRAFT, State.CHANGES_REQUESTED]
    statuses = list(Status)
    ProgressReport.objects.bulk_create(
        ProgressReport(
            project=p,
            period=period,
            author=lead,
            state=states[(i + n) % 4],
            status=statuses[(i + n) % 4],
            progress_percent=(i * 7) % 100,
        )
        for i, p in enumerate(rows)
        for n, period in enumerate(made[: periods // 2 + 1])
    )


def count_queries(client, plan):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"plan": plan.pk})
    assert response.status_code == 200
    return len(queries), response


def test_the_board_runs_a_fixed_number_of_queries_at_20_and_at_500_projects(
    client, people, office, sections
):
    year = FiscalYear.current().year
    small = PlanFactory(office=office, fiscal_year=year)
    big = PlanFactory(office=office, fiscal_year=year + 1)
    fill_plan(small, projects=20, periods=4, lead=people.lead, sections=sections)
    fill_plan(big, projects=500, periods=12, lead=people.lead, sections=sections)
    client.force_login(people.subcommittee)
    client.get(URL)  # the first request of a session also refreshes the session
    small_count, _ = count_queries(client, small)
    big_count, response = count_queries(client, big)
    assert big_count <= small_count
    assert response.context["summary"]["total"] == 500
    assert len(response.context["rows"]) == 50  # one page
    assert len(response.context["periods"]) == 12
    assert AnnualPlan.objects.count() == 2
