"""Workflows of the annual plan (年度計画): create, edit, advance and send back through its
stages, start next year's plan, delete.

Every function takes keyword arguments, checks the permission of `by` itself (so that no
caller can forget), runs in one transaction, and records who did it in the history.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from takatsu_portal.accounts.permissions import check_perm
from takatsu_portal.core import attention
from takatsu_portal.core.versioning import save_versioned

from .. import stages
from ..models import AnnualPlan, PlanDecision, Project, Stage

# ---------------------------------------------------------------------------------------------
# Annual plan


def default_plan_title(office, fiscal_year):
    from takatsu_portal.core.fiscal import FiscalYear

    return f"{FiscalYear(fiscal_year).era_label} {office.name}サービス向上計画"


def plan_create(*, office, fiscal_year, by, title="", summary="", previous_plan=None):
    check_perm(by, "plans.add_plan")
    if AnnualPlan.objects.for_office(office).filter(fiscal_year=fiscal_year).exists():
        raise ValidationError(
            {"fiscal_year": "この年度の計画はすでにあります。一つの年度に計画は一つです。"}
        )
    plan = AnnualPlan(
        office=office,
        fiscal_year=fiscal_year,
        title=title or default_plan_title(office, fiscal_year),
        summary=summary,
        previous_plan=previous_plan,
    )
    return save_versioned(plan, by=by, reason="計画を作成")


def plan_update(*, plan, by, expected_version, title, summary):
    check_perm(by, "plans.change_plan", plan, "計画を編集できるのは推進部会の委員です。")
    plan.title = title
    plan.summary = summary
    return save_versioned(plan, by=by, expected_version=expected_version)


def _move(*, plan, by, to_stage, kind, comment, expected_version, agenda_item):
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "コメント（判断の理由）を入力してください。"})
    from_stage = plan.stage
    plan.stage = to_stage
    save_versioned(
        plan,
        by=by,
        expected_version=expected_version,
        reason=f"{Stage(from_stage).label} → {Stage(to_stage).label}",
    )
    return PlanDecision.objects.create(
        plan=plan,
        kind=kind,
        from_stage=from_stage,
        to_stage=to_stage,
        comment=comment,
        decided_by=by,
        plan_version=plan.version,
        agenda_item=agenda_item,
    )


@transaction.atomic
def plan_advance(*, plan, by, comment, expected_version=None, agenda_item=None):
    """Move the plan one stage forward. Only the role that owns the move may make it."""
    plan = AnnualPlan._base_manager.select_for_update().get(pk=plan.pk)
    target = stages.next_stage(plan.stage)
    if target is None:
        raise ValidationError("この計画は最後の段階（年度末評価完了）にあります。")
    role = stages.advance_role(plan.stage)
    check_perm(
        by,
        "plans.advance_plan",
        plan,
        f"「{stages.ADVANCE_LABEL[Stage(plan.stage)]}」は{role.label}が行います。",
    )
    return _move(
        plan=plan,
        by=by,
        to_stage=target,
        kind=PlanDecision.Kind.ADVANCE,
        comment=comment,
        expected_version=expected_version,
        agenda_item=agenda_item,
    )


@transaction.atomic
def plan_send_back(*, plan, by, reason, expected_version=None, agenda_item=None):
    """Send the plan back one stage, with the reason."""
    plan = AnnualPlan._base_manager.select_for_update().get(pk=plan.pk)
    target = stages.previous_stage(plan.stage)
    if target is None:
        raise ValidationError("素案作成の段階からは差し戻せません。")
    check_perm(by, "plans.send_back_plan", plan, "この段階の計画を差し戻す権限がありません。")
    return _move(
        plan=plan,
        by=by,
        to_stage=target,
        kind=PlanDecision.Kind.SEND_BACK,
        comment=reason,
        expected_version=expected_version,
        agenda_item=agenda_item,
    )


def _draft_made_for_proposals(plan, by):
    """Next year's plan when a proposal already made it as a draft (#10.1): starting next
    year then fills that draft (proposals adopted into it stay) instead of refusing because
    the year has a plan."""
    draft = (
        AnnualPlan.objects.for_office(plan.office)
        .filter(
            fiscal_year=plan.fiscal_year + 1,
            stage=Stage.DRAFT,
            previous_plan__isnull=True,
        )
        .first()
    )
    if draft is not None:
        draft.previous_plan = plan
        draft.summary = draft.summary or plan.summary
        save_versioned(draft, by=by, reason=f"{plan.title}から継続")
    return draft


@transaction.atomic
def plan_for_proposal(*, office, fiscal_year, by):
    """The plan of `fiscal_year` that a proposal targets, created as an empty draft when the
    year has none yet. Any staff member who proposes for next year may cause it (the form asks
    them to confirm first); the subcommittee then drafts it as usual, and its history says
    who made it and why."""
    check_perm(by, "plans.add_proposal")
    plan = AnnualPlan.objects.for_office(office).filter(fiscal_year=fiscal_year).first()
    if plan is not None:
        return plan
    plan = AnnualPlan(
        office=office,
        fiscal_year=fiscal_year,
        title=default_plan_title(office, fiscal_year),
    )
    return save_versioned(plan, by=by, reason="事業企画案の提出先として素案を作成")


@transaction.atomic
def plan_start_next_year(*, plan, by):
    """A draft plan for the next fiscal year that carries over the continuing projects, each
    with its indicators (baseline and target as they were: the new plan revises them)."""
    check_perm(
        by, "plans.start_next_year", plan, "次年度の計画を作成できるのは推進部会の委員です。"
    )
    new_plan = _draft_made_for_proposals(plan, by) or plan_create(
        office=plan.office,
        fiscal_year=plan.fiscal_year + 1,
        by=by,
        summary=plan.summary,
        previous_plan=plan,
    )
    projects = plan.projects.prefetch_related("policies", "indicators").order_by("code")
    taken = set(new_plan.projects.values_list("code", flat=True))
    for old in projects:
        if not old.carries_over() or old.code in taken:
            continue
        new = Project(
            plan=new_plan,
            code=old.code,
            title=old.title,
            description=old.description,
            initiative_area_id=old.initiative_area_id,
            section_id=old.section_id,
            working_group_id=old.working_group_id,
            budget_requested=old.budget_approved or old.budget_requested,
            carried_over_from=old,
        )
        save_versioned(new, by=by, reason=f"{plan.title}から継続")
        new.policies.set(old.policies.all())
        for indicator in old.indicators.all():
            indicator.pk = None
            indicator.project = new
            indicator.save()
    return new_plan


@transaction.atomic
def plan_delete(*, plan, by):
    attention.changed(office=plan.office_id)
    check_perm(
        by,
        "plans.delete_plan",
        plan,
        "承認済みの計画や、進捗のある事業を含む計画は削除できません。",
    )
    for project in plan.projects.all():
        project.delete()
    plan.delete()
