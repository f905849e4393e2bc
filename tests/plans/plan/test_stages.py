"""The plan's stage machine: every allowed move by every role, every forbidden move refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plans import stages
from plans.models import STAGES, PlanDecision, Stage
from plans.plan import services as plan_services
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.versioning import ConflictError
from tests.factories import UserFactory
from tests.plans.factories import PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db

EXPECTED_ADVANCE = {
    Stage.DRAFT: Role.SUBCOMMITTEE,
    Stage.REPORTED: Role.COUNCIL,
    Stage.PLAN_APPROVED: Role.SUBCOMMITTEE,
    Stage.PROJECTS_DRAFTED: Role.COUNCIL,
    Stage.PROJECTS_APPROVED: Role.SUBCOMMITTEE,
    Stage.BUDGET_REQUESTED: Role.SUBCOMMITTEE,
    Stage.IN_PROGRESS: Role.SUBCOMMITTEE,
    Stage.CLOSED: None,
}


def role_user(role, office):
    from tests.factories import DepartmentFactory, SectionFactory

    section = SectionFactory(department=DepartmentFactory(office=office))
    return UserFactory(roles=[role], section=section)


def test_the_guideline_order_of_stages():
    assert [s.label for s in STAGES] == [
        "素案作成",
        "区企画調整会議へ報告",
        "計画承認",
        "事業企画案作成",
        "事業承認",
        "予算要求",
        "事業実施中",
        "年度末評価完了",
    ]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("role", list(Role))
def test_advance_from_each_stage_by_each_role(stage, role):
    plan = PlanFactory(stage=stage)
    user = role_user(role, plan.office)
    allowed = EXPECTED_ADVANCE[stage] == role
    if stage == Stage.CLOSED:
        with pytest.raises(ValidationError):
            plan_services.plan_advance(plan=plan, by=user, comment="次へ")
        return
    if allowed:
        decision = plan_services.plan_advance(plan=plan, by=user, comment="審議の結果、承認する。")
        plan.refresh_from_db()
        assert plan.stage == stages.next_stage(stage)
        assert (decision.kind, decision.from_stage, decision.to_stage) == (
            PlanDecision.Kind.ADVANCE,
            stage,
            plan.stage,
        )
        assert decision.decided_by == user
        assert decision.plan_version == plan.version
    else:
        with pytest.raises(PermissionDenied):
            plan_services.plan_advance(plan=plan, by=user, comment="次へ")
        plan.refresh_from_db()
        assert plan.stage == stage
        assert not plan.decisions.exists()


EXPECTED_SEND_BACK = {
    Stage.DRAFT: set(),
    Stage.REPORTED: {Role.SUBCOMMITTEE, Role.COUNCIL},
    Stage.PLAN_APPROVED: {Role.COUNCIL},
    Stage.PROJECTS_DRAFTED: {Role.SUBCOMMITTEE, Role.COUNCIL},
    Stage.PROJECTS_APPROVED: {Role.COUNCIL},
    Stage.BUDGET_REQUESTED: {Role.SUBCOMMITTEE},
    Stage.IN_PROGRESS: {Role.SUBCOMMITTEE},
    Stage.CLOSED: {Role.SUBCOMMITTEE},
}


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("role", list(Role))
def test_send_back_from_each_stage_by_each_role(stage, role):
    plan = PlanFactory(stage=stage)
    user = role_user(role, plan.office)
    if stage == Stage.DRAFT:
        with pytest.raises(ValidationError):
            plan_services.plan_send_back(plan=plan, by=user, reason="戻す")
        return
    if role in EXPECTED_SEND_BACK[stage]:
        decision = plan_services.plan_send_back(plan=plan, by=user, reason="内容を再検討すること。")
        plan.refresh_from_db()
        assert plan.stage == stages.previous_stage(stage)
        assert decision.kind == PlanDecision.Kind.SEND_BACK
        assert decision.comment == "内容を再検討すること。"
    else:
        with pytest.raises(PermissionDenied):
            plan_services.plan_send_back(plan=plan, by=user, reason="戻す")
        plan.refresh_from_db()
        assert plan.stage == stage


def test_a_move_needs_a_comment(people, plan):
    with pytest.raises(ValidationError) as raised:
        plan_services.plan_advance(plan=plan, by=people.subcommittee, comment="  ")
    assert "コメント" in str(raised.value)
    plan.refresh_from_db()
    assert plan.stage == Stage.DRAFT


def test_administrator_and_superuser_do_not_decide_for_the_council(people, plan):
    plan.stage = Stage.REPORTED
    plan.save()
    superuser = UserFactory(is_superuser=True)
    for user in (people.admin, superuser):
        with pytest.raises(PermissionDenied):
            plan_services.plan_advance(plan=plan, by=user, comment="承認")


def test_a_move_based_on_an_old_version_is_refused(people, plan):
    loaded_version = plan.version
    plan_services.plan_update(
        plan=plan, by=people.subcommittee, expected_version=loaded_version, title="改訂", summary=""
    )
    with pytest.raises(ConflictError):
        plan_services.plan_advance(
            plan=plan, by=people.subcommittee, comment="報告する", expected_version=loaded_version
        )


def test_the_whole_year_runs_through_every_stage(people, plan):
    for _ in range(len(STAGES) - 1):
        role = stages.advance_role(plan.stage)
        user = people.council if role == Role.COUNCIL else people.subcommittee
        plan_services.plan_advance(
            plan=plan, by=user, comment=f"{plan.get_stage_display()}を終えた"
        )
        plan.refresh_from_db()
    assert plan.stage == Stage.CLOSED
    assert plan.decisions.count() == 7
    assert list(plan.decisions.order_by("id").values_list("to_stage", flat=True)) == STAGES[1:]


def test_plan_deadline_is_the_end_of_april(plan):
    import datetime

    assert plan.due_date == datetime.date(2026, 4, 30)
    assert plan.days_to_due(datetime.date(2026, 4, 20)) == 10
    assert plan.days_to_due(datetime.date(2026, 5, 2)) == -2
    plan.stage = Stage.PLAN_APPROVED
    assert plan.days_to_due(datetime.date(2026, 5, 2)) is None


def test_one_plan_per_office_and_year(people, plan):
    with pytest.raises(ValidationError) as raised:
        plan_services.plan_create(office=plan.office, fiscal_year=2026, by=people.subcommittee)
    assert "この年度の計画はすでにあります" in str(raised.value)


def test_start_next_year_carries_over_continuing_projects(people, plan):
    keep = ProjectFactory(plan=plan, code="R8-01", budget_requested=100, budget_approved=90)
    ProjectFactory(plan=plan, code="R8-02", status="completed")
    ProjectFactory(plan=plan, code="R8-03", status="suspended")
    from tests.plans.factories import IndicatorFactory

    IndicatorFactory(project=keep)
    new_plan = plan_services.plan_start_next_year(plan=plan, by=people.subcommittee)
    assert (new_plan.fiscal_year, new_plan.stage, new_plan.previous_plan) == (2027, "draft", plan)
    assert new_plan.title == "令和9年度 高津区役所サービス向上計画"
    carried = new_plan.projects.get()
    assert (carried.code, carried.carried_over_from, carried.budget_requested) == (
        "R8-01",
        keep,
        90,
    )
    assert list(carried.policies.all()) == list(keep.policies.all())
    assert carried.indicators.get().name == "窓口の満足度"
    with pytest.raises(ValidationError):
        plan_services.plan_start_next_year(plan=plan, by=people.subcommittee)


def test_start_next_year_is_for_the_subcommittee(people, plan):
    with pytest.raises(PermissionDenied):
        plan_services.plan_start_next_year(plan=plan, by=people.lead)


def test_an_approved_plan_cannot_be_deleted(people, plan):
    plan.stage = Stage.PLAN_APPROVED
    plan.save()
    with pytest.raises(PermissionDenied):
        plan_services.plan_delete(plan=plan, by=people.subcommittee)


def test_a_plan_with_a_project_in_progress_cannot_be_deleted(people, plan):
    ProjectFactory(plan=plan, status="in_progress")
    with pytest.raises(PermissionDenied):
        plan_services.plan_delete(plan=plan, by=people.subcommittee)


def test_a_draft_plan_is_deleted_with_its_projects(people, plan):
    ProjectFactory(plan=plan)
    plan_services.plan_delete(plan=plan, by=people.subcommittee)
    from plans.models import AnnualPlan, Project

    assert not AnnualPlan.objects.exists() and not Project.objects.exists()
