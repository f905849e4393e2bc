"""The plans app's demo data, built by `manage.py seed_demo` (demo/plans.py)."""

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils.timezone import localdate

from demo.data import accounts as demo_data
from demo.plans import code_prefix, on
from plans.models import (
    STAGES,
    AgendaItem,
    AnnualPlan,
    CouncilMeeting,
    Improvement,
    Indicator,
    IndicatorValue,
    Milestone,
    PlanDecision,
    ProgressReport,
    Project,
    Proposal,
    Reminder,
    ReportingPeriod,
    Stage,
    WorkingGroup,
    YearEndEvaluation,
)
from takatsu_portal.accounts.models import User
from takatsu_portal.accounts.roles import Role, roles_of
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.models import Notification

from . import seeding

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
    ProgressReport,
    IndicatorValue,
    YearEndEvaluation,
]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The whole demo, built once for the module and rolled back after its last test (each test
    runs in a savepoint: what a second run or a test changes is undone after it); returns what
    seed_demo printed. The seeds at other dates: test_plans_dates.py."""
    yield from seeding.once(django_db_blocker, seeding.seed_demo)


seed = seeding.seed_demo


def current_plan():
    """Takatsu's plan of this fiscal year (the demo's second ward has one too)."""
    return AnnualPlan.objects.get(
        office__code=demo_data.OFFICE_CODE, fiscal_year=FiscalYear.current().year
    )


def snapshot():
    """Rows and history rows of everything the plans demo writes, and who is in which group."""
    counts = {m.__name__: (m.objects.count(), m.history.count()) for m in HISTORY_MODELS}
    counts["PlanDecision"] = PlanDecision.objects.count()
    counts["Notification"] = Notification.objects.count()
    counts["ReportingPeriod"] = ReportingPeriod.objects.count()
    counts["Reminder"] = Reminder.objects.count()
    counts["User"] = (User.objects.count(), User.history.count())
    counts["members"] = sorted(WorkingGroup.members.through.objects.values_list("pk", flat=True))
    return counts


def test_the_current_fiscal_years_plan_is_in_progress_and_follows_last_years(seeded):
    plan = current_plan()
    assert plan.stage == Stage.IN_PROGRESS
    assert plan.title == f"{FiscalYear.current().era_label} 高津区役所サービス向上計画"
    assert plan.previous_plan.fiscal_year == plan.fiscal_year - 1
    assert plan.previous_plan.stage == Stage.CLOSED
    assert plan.office.code == demo_data.OFFICE_CODE
    assert localdate(plan.created_at) in plan.fy


def test_the_current_plan_has_about_twenty_projects_with_everything_a_project_needs(seeded):
    plan = current_plan()
    projects = list(plan.projects.for_list().prefetch_related("milestones", "indicators"))
    assert 15 <= len(projects) <= 25
    assert len({p.code for p in projects}) == len(projects)
    assert sum(p.code.startswith(code_prefix(plan.fy)) for p in projects) >= 15
    for project in projects:
        assert project.policies.all(), project.code
        assert project.section is not None, project.code
        assert project.description.count("。") >= 2, project.code
        # One or two typed indicators, and a third for the 接遇研修 project that reads training's
        # records (plans.seed_indicator_sources).
        assert 1 <= len(project.indicators.all()) <= 3, project.code
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


def test_some_current_projects_carry_over_last_years_under_the_same_code(seeded):
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


def test_proposals_are_in_every_state_with_the_subcommittees_decisions(seeded):
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
        if proposal.status in (Proposal.Status.SUBMITTED, Proposal.Status.WITHDRAWN):
            assert proposal.decided_by is None and proposal.decided_at is None
        else:
            assert proposal.decision_comment
            assert Role.SUBCOMMITTEE in roles_of(proposal.decided_by)
            assert proposal.submitted_at < proposal.decided_at
    staff = User.objects.get(username="staff")
    mine = {p.status for p in proposals if p.proposer == staff}
    assert {Proposal.Status.RETURNED, Proposal.Status.SUBMITTED} <= mine
    assert len({p.proposer_id for p in proposals}) >= 8


def test_the_working_groups_have_leads_with_the_lead_role_and_members_from_several_sections(seeded):
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


def test_the_council_met_twice_this_year_and_meets_again_before_the_year_ends(seeded):
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
def test_every_stage_move_of_both_plans_is_a_decision_in_order(seeded, which):
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


def test_the_plans_history_shows_each_version_with_who_made_it(seeded):
    plan = current_plan()
    records = list(plan.history.order_by("history_date", "history_id"))
    assert [r.version for r in records] == list(range(1, plan.version + 1))
    assert records[0].history_user.username == "subcommittee"
    assert records[-1].stage == Stage.IN_PROGRESS
    assert all(r.history_user is not None for r in records)
    proposal = Proposal.objects.get(title="記載台への拡大鏡・老眼鏡の設置")
    assert proposal.history.earliest().history_user.username == "staff"
    assert proposal.history.earliest().submitted_at == proposal.submitted_at


def test_improvements_wait_for_or_have_their_section_managers_acknowledgement(seeded):
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
    takatsu = {i.pk for i in improvements if i.section.department.office.code == "takatsu"}
    assert 4 <= len(Improvement.objects.good_practices().filter(pk__in=takatsu)) <= 6
    assert len({i.section_id for i in improvements}) >= 8


def test_demo_users_have_unread_notifications_of_the_proposals(seeded):
    staff = Notification.objects.unread().filter(recipient__username="staff")
    assert staff.filter(message__contains="「差し戻し」となりました").exists()
    subcommittee = Notification.objects.unread().filter(recipient__username="subcommittee")
    assert subcommittee.filter(message__endswith="が提出されました").count() >= 2
    for notification in Notification.objects.all():
        assert notification.url.startswith(
            # 宮前区's subcommittee hears that 高津区 copied its good practice (demo/citywide.py).
            ("/plans/proposals/", "/plans/reports/", "/plans/projects/", "/plans/improvements/")
        )
        assert notification.read_at is None or notification.read_at > notification.created_at


def test_running_it_twice_changes_nothing(seeded):
    before = snapshot()
    versions = {p.pk: p.version for p in Project.objects.all()}
    reports = {r.pk: r.version for r in ProgressReport.objects.all()}
    roles_before = {u.username: set(roles_of(u)) for u in User.objects.all()}

    output = seed()

    assert snapshot() == before
    assert {p.pk: p.version for p in Project.objects.all()} == versions
    assert {r.pk: r.version for r in ProgressReport.objects.all()} == reports
    assert {u.username: set(roles_of(u)) for u in User.objects.all()} == roles_before
    seeding.assert_unchanged(output)
    takatsu = {"plan__office__code": demo_data.OFFICE_CODE}
    projects = Project.objects.filter(**takatsu).count()
    reports = ProgressReport.objects.filter(**{f"project__{k}": v for k, v in takatsu.items()})
    assert f"\n  事業: {projects}（新規 0、更新 0）" in output
    assert f"\n  進捗報告: {reports.count()}（新規 0、更新 0）" in output


def test_a_second_run_puts_back_a_changed_project_as_a_new_version(seeded):
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


def test_a_second_run_puts_back_removed_members_of_a_working_group(seeded):
    group = WorkingGroup.objects.get(name="研修企画ワーキング")
    members = set(group.members.all())
    group.members.remove(*list(members)[:2])

    seed()

    assert set(group.members.all()) == members


def test_the_subcommittee_demo_user_sees_the_current_plan_on_the_plans_page(seeded, client):
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


# ---------------------------------------------------------------------------------------------
# Progress (seed_progress): half a year of reports in every state, last year's evaluation


def _reports(plan):
    return list(
        ProgressReport.objects.filter(project__plan=plan)
        .select_related("project__working_group", "period", "author", "reviewed_by")
        .prefetch_related("values__indicator")
        .order_by("project__code", "period__number")
    )


def test_each_report_is_the_leads_with_its_pdca_text_its_history_and_the_review(seeded):
    for report in _reports(current_plan()):
        project = report.project
        assert report.author == project.working_group.lead, report
        for text in (report.plan_text, report.do_text, report.check_text, report.act_text):
            assert text.endswith("。") and len(text) >= 20, (report, text)
        assert report.plan_text.startswith(report.period.label)
        assert f"進捗率は{report.progress_percent}%である。" in report.do_text
        assert (
            any(
                f"「{m.title}」" in report.plan_text + report.do_text + report.act_text
                for m in project.milestones.all()
            )
            or project.title in report.plan_text
        )
        if report.state == ProgressReport.State.DRAFT:
            assert report.submitted_at is None and report.reviewed_by is None
        else:
            assert localdate(report.submitted_at) > report.period.ends_on
        if report.state == ProgressReport.State.SUBMITTED:
            assert report.reviewed_by is None and not report.review_comment
        if report.state in (
            ProgressReport.State.ACCEPTED,
            ProgressReport.State.CHANGES_REQUESTED,
        ):
            assert Role.SUBCOMMITTEE in roles_of(report.reviewed_by)
            assert report.review_comment.endswith("。")
            assert report.submitted_at < report.reviewed_at
        if report.status == ProgressReport.Status.DONE:
            assert report.progress_percent == 100
            assert project.status == Project.Status.COMPLETED

    # Who wrote, submitted and reviewed a report, as its history shows.
    report = next(
        r for r in _reports(current_plan()) if r.state == ProgressReport.State.CHANGES_REQUESTED
    )
    records = list(report.history.order_by("history_date", "history_id"))
    assert [r.history_change_reason for r in records] == ["作成", "提出", "修正依頼"]
    assert [r.version for r in records] == [1, 2, 3] and report.version == 3
    assert [r.history_user for r in records] == [report.author, report.author, report.reviewed_by]
    assert [r.state for r in records] == ["draft", "submitted", "changes_requested"]


def test_indicator_values_move_from_the_baseline_towards_the_target(seeded):
    # The values the leads typed (an indicator measured by another app's records follows them).
    values = IndicatorValue.objects.filter(
        report__project__plan=current_plan(), source=IndicatorValue.Source.MANUAL
    ).select_related("indicator", "report__period")
    series = {}
    for value in values.order_by("report__period__number"):
        series.setdefault(value.indicator, []).append(value.actual)
    assert len(series) >= 15
    for indicator, actuals in series.items():
        low, high = sorted([indicator.baseline, indicator.target])
        assert all(low <= actual <= high for actual in actuals), indicator
        step = 1 if indicator.target > indicator.baseline else -1
        assert actuals == sorted(actuals, reverse=step < 0), indicator
    assert any(actuals[-1] != indicator.baseline for indicator, actuals in series.items())


def test_wglead_has_a_report_sent_back_and_one_overdue_and_sees_them_at_home(seeded, client):
    from plans.progress.services import send_reminders
    from takatsu_portal.core.fiscal import today

    plan = current_plan()
    mine = [r for r in _reports(plan) if r.project.working_group.lead.username == "wglead"]
    assert any(r.state == ProgressReport.State.CHANGES_REQUESTED for r in mine)
    client.post(reverse("login"), {"username": "wglead", "password": demo_data.DEMO_PASSWORD})
    html = client.get(reverse("home")).content.decode()
    assert "推進部会から修正依頼を受けた進捗報告が1件あります" in html
    assert "期限を過ぎた進捗報告が" in html
    assert (
        Notification.objects.unread()
        .filter(recipient__username="wglead", message__endswith="を過ぎています")
        .exists()
    )

    client.force_login(User.objects.get(username="subcommittee"))
    html = client.get(reverse("home")).content.decode()
    assert "推進部会の確認を待っている進捗報告が3件あります" in html
    # The reminders that the daily task would have sent are recorded: it sends none of them.
    assert Reminder.objects.filter(period__plan=plan).count() >= 2
    assert send_reminders(today=today()) == 0


def test_last_years_projects_are_evaluated_and_the_decisions_match_the_carry_over(seeded):
    last = current_plan().previous_plan
    projects = last.projects.select_related("evaluation__evaluated_by").prefetch_related(
        "carried_over_to"
    )
    decisions = set()
    for project in projects:
        evaluation = project.evaluation
        decisions.add(evaluation.decision)
        assert project.carries_over() == bool(project.carried_over_to.all()), project.code
        assert Role.SUBCOMMITTEE in roles_of(evaluation.evaluated_by)
        assert localdate(evaluation.evaluated_at) in last.fy
        assert evaluation.reason.count("。") >= 2
        assert evaluation.history.count() == 1
        if project.status == Project.Status.SUSPENDED:
            assert evaluation.decision == YearEndEvaluation.Decision.FINISH
            assert evaluation.grade in ("C", "D")
        if evaluation.decision == YearEndEvaluation.Decision.FINISH:
            assert not project.carried_over_to.exists()
    assert decisions == set(YearEndEvaluation.Decision)
    grades = set(projects.values_list("evaluation__grade", flat=True))
    assert {"A", "B"} <= grades
    closed = last.decisions.get(to_stage=Stage.CLOSED)
    assert max(p.evaluation.evaluated_at for p in projects) < closed.decided_at
