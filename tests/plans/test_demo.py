"""The plans app's demo data, built by `manage.py seed_demo` (plans/demo.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils.timezone import localdate

from plans.demo import code_prefix, on
from plans.models import (
    STAGES,
    AgendaItem,
    AnnualPlan,
    CouncilMeeting,
    Improvement,
    Indicator,
    Milestone,
    PlanDecision,
    Project,
    Proposal,
    Stage,
    WorkingGroup,
)
from takatsu_portal.accounts import demo_data
from takatsu_portal.accounts.models import User
from takatsu_portal.accounts.roles import Role, roles_of
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.models import Notification

pytestmark = pytest.mark.django_db

HISTORY_MODELS = [
    AnnualPlan,
    Project,
    Milestone,
    Indicator,
    WorkingGroup,
    Proposal,
    CouncilMeeting,
    AgendaItem,
    Improvement,
]


@pytest.fixture(autouse=True)
def debug(settings):
    """pytest-django runs tests with DEBUG false, which the command refuses."""
    settings.DEBUG = True


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def current_plan():
    return AnnualPlan.objects.get(fiscal_year=FiscalYear.current().year)


def snapshot():
    """Rows and history rows of everything the plans demo writes, and who is in which group."""
    counts = {m.__name__: (m.objects.count(), m.history.count()) for m in HISTORY_MODELS}
    counts["PlanDecision"] = PlanDecision.objects.count()
    counts["Notification"] = Notification.objects.count()
    counts["members"] = sorted(WorkingGroup.members.through.objects.values_list("pk", flat=True))
    return counts


def test_the_current_fiscal_years_plan_is_in_progress_and_follows_last_years():
    seed()

    plan = current_plan()
    assert plan.stage == Stage.IN_PROGRESS
    assert plan.title == f"{FiscalYear.current().era_label} 高津区役所サービス向上計画"
    assert plan.previous_plan.fiscal_year == plan.fiscal_year - 1
    assert plan.previous_plan.stage == Stage.CLOSED
    assert plan.office.code == demo_data.OFFICE_CODE
    assert localdate(plan.created_at) in plan.fy


def test_the_current_plan_has_about_twenty_projects_with_everything_a_project_needs():
    seed()

    plan = current_plan()
    projects = list(plan.projects.for_list().prefetch_related("milestones", "indicators"))
    assert 15 <= len(projects) <= 25
    assert len({p.code for p in projects}) == len(projects)
    assert sum(p.code.startswith(code_prefix(plan.fy)) for p in projects) >= 15
    for project in projects:
        assert project.policies.all(), project.code
        assert project.section is not None, project.code
        assert project.description.count("。") >= 2, project.code
        assert 1 <= len(project.indicators.all()) <= 2, project.code
        assert 2 <= len(project.milestones.all()) <= 4, project.code
        for milestone in project.milestones.all():
            assert milestone.due_on in plan.fy, milestone
            assert milestone.done_on is None or milestone.done_on <= milestone.due_on
        for indicator in project.indicators.all():
            indicator.full_clean()  # the target lies in the indicator's direction
        assert project.budget_approved is not None
        assert project.budget_approved <= project.budget_requested <= 12_000_000
    with_group = [p for p in projects if p.working_group is not None]
    assert len(with_group) > len(projects) * 2 / 3
    statuses = [p.status for p in projects]
    assert statuses.count(Project.Status.IN_PROGRESS) > len(projects) / 2
    assert Project.Status.COMPLETED in statuses
    assert Project.Status.PLANNED in statuses
    assert any(p.budget_requested == 0 for p in projects)
    areas = {p.initiative_area.number for p in projects}
    assert {1, 2, 3, 4, 5} <= areas


def test_some_current_projects_carry_over_last_years_under_the_same_code():
    seed()

    plan = current_plan()
    last = plan.previous_plan
    carried = plan.projects.filter(carried_over_from__isnull=False).select_related(
        "carried_over_from"
    )
    assert carried.count() >= 3
    for project in carried:
        assert project.carried_over_from.plan == last
        assert project.carried_over_from.code == project.code
        assert project.carried_over_from.carries_over()
    last_statuses = set(last.projects.values_list("status", flat=True))
    assert {Project.Status.COMPLETED, Project.Status.IN_PROGRESS} <= last_statuses
    assert 6 <= last.projects.count() <= 10


def test_proposals_are_in_every_state_with_the_subcommittees_decisions():
    seed()

    proposals = Proposal.objects.filter(plan=current_plan()).select_related(
        "project", "proposer", "decided_by"
    )
    by_status = {}
    for proposal in proposals:
        by_status.setdefault(proposal.status, []).append(proposal)
    assert set(by_status) == set(Proposal.Status)
    assert len(by_status[Proposal.Status.SUBMITTED]) >= 2
    for proposal in by_status[Proposal.Status.ADOPTED]:
        assert proposal.project is not None
        assert proposal.project.plan == proposal.plan
        assert proposal.project.title == proposal.title
        assert proposal.project.budget_requested == proposal.budget_estimate
    assert len(by_status[Proposal.Status.ADOPTED]) >= 3
    for proposal in proposals:
        assert proposal.policies.exists()
        if proposal.status == Proposal.Status.SUBMITTED:
            assert proposal.decided_by is None and proposal.decided_at is None
        else:
            assert proposal.decision_comment
            assert Role.SUBCOMMITTEE in roles_of(proposal.decided_by)
            assert proposal.submitted_at < proposal.decided_at
    staff = User.objects.get(username="staff")
    mine = {p.status for p in proposals if p.proposer == staff}
    assert {Proposal.Status.RETURNED, Proposal.Status.SUBMITTED} <= mine
    assert len({p.proposer_id for p in proposals}) >= 8


def test_the_working_groups_have_leads_with_the_lead_role_and_members_from_several_sections():
    seed()

    groups = WorkingGroup.objects.annotate(n=Count("members")).select_related("lead")
    assert WorkingGroup.objects.get(name="窓口サービス向上ワーキング").lead.username == "wglead"
    kinds = [(g.kind, g.is_active) for g in groups]
    assert kinds.count((WorkingGroup.Kind.PROJECT, True)) >= 4
    assert (WorkingGroup.Kind.ISSUE_STUDY, True) in kinds
    assert (WorkingGroup.Kind.ISSUE_STUDY, False) in kinds
    for group in groups:
        assert Role.WG_LEAD in roles_of(group.lead), group.name
        assert 4 <= group.n <= 8, group.name
        sections = set(group.members.values_list("section", flat=True))
        assert len(sections) >= 3, group.name
    dissolved = WorkingGroup.objects.get(dissolved_on__isnull=False)
    assert dissolved.dissolved_on in current_plan().previous_plan.fy
    assert dissolved.projects.filter(plan=current_plan().previous_plan).exists()


def test_the_council_met_twice_this_year_and_meets_again_before_the_year_ends():
    seed()

    plan = current_plan()
    era = plan.fy.era_label
    first = CouncilMeeting.objects.get(title=f"{era} 第1回区企画調整会議")
    second = CouncilMeeting.objects.get(title=f"{era} 第2回区企画調整会議")
    upcoming = CouncilMeeting.objects.get(title=f"{era} 第3回区企画調整会議")
    assert first.held_on.month == 4 and first.held_on.day >= 20
    assert second.held_on.month == 6
    assert upcoming.held_on > FiscalYear.current().start
    assert upcoming.held_on.month in (1, 2, 3)

    approval = first.items.get(subject=AgendaItem.Subject.PLAN)
    assert approval.plan == plan
    assert approval.decision == AgendaItem.Decision.APPROVED
    assert approval.presented_version is not None
    projects = second.items.get(subject=AgendaItem.Subject.PROJECTS)
    assert projects.decision == AgendaItem.Decision.CONDITIONAL
    assert projects.decision_comment
    proposals = second.items.get(subject=AgendaItem.Subject.PROPOSALS)
    assert proposals.proposals.count() >= 3
    assert set(proposals.proposals.values_list("status", flat=True)) == {"adopted"}
    for item in AgendaItem.objects.filter(meeting__in=[first, second]):
        assert item.is_decided
        assert Role.COUNCIL in roles_of(item.decided_by)
        assert localdate(item.decided_at) == item.meeting.held_on
    assert upcoming.items.exists()
    assert not any(item.is_decided for item in upcoming.items.all())


@pytest.mark.parametrize("which", ["current", "last"])
def test_every_stage_move_of_both_plans_is_a_decision_in_order(which):
    seed()

    plan = current_plan() if which == "current" else current_plan().previous_plan
    decisions = list(plan.decisions.order_by("decided_at").select_related("agenda_item"))
    reached = STAGES[: STAGES.index(Stage(plan.stage)) + 1]
    assert [(d.from_stage, d.to_stage) for d in decisions] == list(zip(reached, reached[1:]))
    versions = [d.plan_version for d in decisions]
    assert versions == sorted(set(versions))
    assert versions[-1] == plan.version
    for decision in decisions:
        assert decision.kind == PlanDecision.Kind.ADVANCE
        assert decision.comment
        assert localdate(decision.decided_at) in plan.fy
        council_move = decision.to_stage in (Stage.PLAN_APPROVED, Stage.PROJECTS_APPROVED)
        role = Role.COUNCIL if council_move else Role.SUBCOMMITTEE
        assert role in roles_of(decision.decided_by), decision
        if council_move:
            item = decision.agenda_item
            assert item is not None and item.plan == plan
            assert item.presented_version == decision.plan_version - 1
            assert item.meeting.title in decision.comment
        else:
            assert decision.agenda_item is None
    months = [localdate(d.decided_at).month for d in decisions[:6]]
    assert months[0] == 4 and months[-1] == 6


def test_the_plans_history_shows_each_version_with_who_made_it():
    seed()

    plan = current_plan()
    records = list(plan.history.order_by("history_date", "history_id"))
    assert [r.version for r in records] == list(range(1, plan.version + 1))
    assert records[0].history_user.username == "subcommittee"
    assert records[-1].stage == Stage.IN_PROGRESS
    assert all(r.history_user is not None for r in records)
    proposal = Proposal.objects.get(title="記載台への拡大鏡・老眼鏡の設置")
    assert proposal.history.earliest().history_user.username == "staff"
    assert proposal.history.earliest().submitted_at == proposal.submitted_at


def test_improvements_wait_for_or_have_their_section_managers_acknowledgement():
    seed()

    improvements = list(Improvement.objects.for_list())
    assert 12 <= len(improvements) <= 20
    waiting = [i for i in improvements if not i.is_acknowledged]
    acknowledged = [i for i in improvements if i.is_acknowledged]
    assert len(acknowledged) > len(waiting) >= 2
    assert any(i.section.name == "区民課" for i in waiting)  # for the `manager` demo user
    assert any(i.author.username == "staff" for i in acknowledged)
    for improvement in improvements:
        assert improvement.section == improvement.author.section
        assert improvement.problem and improvement.change and improvement.effect
    for improvement in acknowledged:
        manager = improvement.acknowledged_by
        assert Role.SECTION_MANAGER in roles_of(manager)
        assert manager.section == improvement.section
        assert localdate(improvement.acknowledged_at) > improvement.recorded_on
    assert 4 <= len(Improvement.objects.good_practices()) <= 6
    assert len({i.section_id for i in improvements}) >= 8


def test_demo_users_have_unread_notifications_of_the_proposals():
    seed()

    staff = Notification.objects.unread().filter(recipient__username="staff")
    assert staff.filter(message__contains="「差し戻し」となりました").exists()
    subcommittee = Notification.objects.unread().filter(recipient__username="subcommittee")
    assert subcommittee.filter(message__endswith="が提出されました").count() >= 2
    for notification in Notification.objects.all():
        assert notification.url.startswith("/plans/proposals/")
        assert notification.read_at is None or notification.read_at > notification.created_at


def test_running_it_twice_changes_nothing():
    seed()
    before = snapshot()
    versions = {p.pk: p.version for p in Project.objects.all()}
    roles_before = {u.username: set(roles_of(u)) for u in User.objects.all()}

    output = seed()

    assert snapshot() == before
    assert {p.pk: p.version for p in Project.objects.all()} == versions
    assert {u.username: set(roles_of(u)) for u in User.objects.all()} == roles_before
    assert "新規 1" not in output and "更新 1" not in output
    assert f"事業: {Project.objects.count()}（新規 0、更新 0）" in output


def test_a_second_run_puts_back_a_changed_project_as_a_new_version():
    seed()
    project = current_plan().projects.get(code=f"{code_prefix(current_plan().fy)}01")
    title, version = project.title, project.version
    Project.objects.filter(pk=project.pk).update(title="書き換えた事業名")
    history = project.history.count()

    output = seed()

    project.refresh_from_db()
    assert project.title == title
    assert project.version == version + 1
    assert project.history.count() == history + 1
    assert project.history.first().history_change_reason == "デモデータ投入（seed_demo）"
    assert "事業: " in output and "更新 1）" in output


def test_a_second_run_puts_back_removed_members_of_a_working_group():
    seed()
    group = WorkingGroup.objects.get(name="研修企画ワーキング")
    members = set(group.members.all())
    group.members.remove(*list(members)[:2])

    seed()

    assert set(group.members.all()) == members


def test_the_subcommittee_demo_user_sees_the_current_plan_on_the_plans_page(client):
    seed()

    signed_in = client.post(
        reverse("login"), {"username": "subcommittee", "password": demo_data.DEMO_PASSWORD}
    )
    response = client.get("/plans/")

    assert signed_in.status_code == 302

    assert response.status_code == 200
    assert current_plan().title in response.content.decode()


def test_dates_are_working_days_of_the_fiscal_year():
    fy = FiscalYear(2026)

    assert on(fy, 4, 24).isoformat() == "2026-04-24"  # a Friday
    assert on(fy, 4, 25).isoformat() == "2026-04-24"  # Saturday → Friday
    assert on(fy, 2, 21).isoformat() == "2027-02-19"  # Sunday → Friday
    assert on(fy, 3, 24).year == 2027
    assert code_prefix(fy) == "R8-"
    assert code_prefix(FiscalYear(2019)) == "R1-"
    assert code_prefix(FiscalYear(2018)) == "H30-"
