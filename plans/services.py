"""Workflows of the plans app. Views, forms, admin actions and commands all call these.

Every function takes keyword arguments, checks the permission of `by` itself (so that no
caller can forget), runs in one transaction, and records who did it in the history.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from takatsu_portal.accounts.permissions import check_perm
from takatsu_portal.core.notifications import notify, notify_many
from takatsu_portal.core.versioning import ConflictError, save_versioned  # noqa: F401

from . import stages
from .models import (
    AgendaItem,
    AnnualPlan,
    PlanDecision,
    Project,
    Proposal,
    Stage,
)


def _require(by, perm, obj=None, message="この操作を行う権限がありません。"):
    check_perm(by, perm, obj, message=message)


# ---------------------------------------------------------------------------------------------
# Annual plan


def default_plan_title(office, fiscal_year):
    from takatsu_portal.core.fiscal import FiscalYear

    return f"{FiscalYear(fiscal_year).era_label} {office.name}サービス向上計画"


def plan_create(*, office, fiscal_year, by, title="", summary="", previous_plan=None):
    _require(by, "plans.add_plan")
    if AnnualPlan.objects.filter(office=office, fiscal_year=fiscal_year).exists():
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
    _require(by, "plans.change_plan", plan, "計画を編集できるのは推進部会の委員です。")
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
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    target = stages.next_stage(plan.stage)
    if target is None:
        raise ValidationError("この計画は最後の段階（年度末評価完了）にあります。")
    role = stages.advance_role(plan.stage)
    _require(
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
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    target = stages.previous_stage(plan.stage)
    if target is None:
        raise ValidationError("素案作成の段階からは差し戻せません。")
    _require(by, "plans.send_back_plan", plan, "この段階の計画を差し戻す権限がありません。")
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
    draft = AnnualPlan.objects.filter(
        office=plan.office,
        fiscal_year=plan.fiscal_year + 1,
        stage=Stage.DRAFT,
        previous_plan__isnull=True,
    ).first()
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
    _require(by, "plans.add_proposal")
    plan = AnnualPlan.objects.filter(office=office, fiscal_year=fiscal_year).first()
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
    _require(by, "plans.start_next_year", plan, "次年度の計画を作成できるのは推進部会の委員です。")
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
    _require(
        by,
        "plans.delete_plan",
        plan,
        "承認済みの計画や、進捗のある事業を含む計画は削除できません。",
    )
    for project in plan.projects.all():
        project.delete()
    plan.delete()


# ---------------------------------------------------------------------------------------------
# Projects


def project_save(*, project, by, policies, expected_version=None):
    """Create or update a project with its policies (at least one)."""
    if project.pk is None:
        _require(
            by, "plans.add_project", project.plan, "この計画に事業を追加する権限がありません。"
        )
    else:
        _require(by, "plans.change_project", project, "この事業を編集する権限がありません。")
    if not policies:
        raise ValidationError({"policies": "基本方針を一つ以上選んでください。"})
    if project.pk is None and project.starts_on is None:
        project.starts_on = _mid_year_start(project.plan)
    with transaction.atomic():
        save_versioned(project, by=by, expected_version=expected_version)
        project.policies.set(policies)
    return project


def _mid_year_start(plan):
    """Today for a project added to a plan whose progress is already reported (it owes no
    report for the periods that ended before it existed, #10.7); None (the whole year)
    before that."""
    from takatsu_portal.core.fiscal import today

    # The reporting stages (progress.REPORTING_STAGES; progress imports this module).
    reporting = {Stage.PROJECTS_APPROVED, Stage.BUDGET_REQUESTED, Stage.IN_PROGRESS}
    return today() if Stage(plan.stage) in reporting else None


@transaction.atomic
def project_delete(*, project, by):
    _require(
        by,
        "plans.delete_project",
        project,
        "承認済みの計画の事業や、進捗のある事業は削除できません。",
    )
    if hasattr(project, "proposal") and project.proposal is not None:
        Proposal.objects.filter(pk=project.proposal.pk).update(project=None)
    project.delete()


# ---------------------------------------------------------------------------------------------
# Proposals

ADOPTABLE_STAGES = {Stage.DRAFT, Stage.REPORTED, Stage.PLAN_APPROVED, Stage.PROJECTS_DRAFTED}


def _subcommittee_members(office):
    from django.contrib.auth import get_user_model

    from takatsu_portal.accounts.roles import Role

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=Role.SUBCOMMITTEE.label,
            section__department__office=office,
        )
        .distinct()
    )


def proposal_submit(*, proposal, by, policies):
    """A section or working group submits a proposal; the subcommittee is told."""
    _require(by, "plans.add_proposal")
    if proposal.plan.stage == Stage.CLOSED:
        raise ValidationError({"plan": "年度末評価を終えた計画には提案できません。"})
    if not policies:
        raise ValidationError({"policies": "基本方針を一つ以上選んでください。"})
    with transaction.atomic():
        proposal.proposer = by
        proposal.status = Proposal.Status.SUBMITTED
        save_versioned(proposal, by=by, reason="提出")
        proposal.policies.set(policies)
        notify_many(
            recipients=_subcommittee_members(proposal.plan.office).exclude(pk=by.pk),
            message=f"事業企画案「{proposal.title}」が提出されました",
            url=proposal.get_absolute_url(),
        )
    return proposal


def proposal_resubmit(*, proposal, by, policies, expected_version):
    """The proposer edits a submitted or returned proposal; it goes back to 'submitted'."""
    _require(
        by, "plans.change_proposal", proposal, "提案を修正できるのは提案者です（判断前のみ）。"
    )
    if not policies:
        raise ValidationError({"policies": "基本方針を一つ以上選んでください。"})
    with transaction.atomic():
        was_returned = proposal.status == Proposal.Status.RETURNED
        proposal.status = Proposal.Status.SUBMITTED
        save_versioned(
            proposal,
            by=by,
            expected_version=expected_version,
            reason="再提出" if was_returned else "修正",
        )
        proposal.policies.set(policies)
        if was_returned:
            notify_many(
                recipients=_subcommittee_members(proposal.plan.office).exclude(pk=by.pk),
                message=f"差し戻した事業企画案「{proposal.title}」が再提出されました",
                url=proposal.get_absolute_url(),
            )
    return proposal


def _decide(proposal, *, by, status, comment, expected_version):
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "提案者へのコメント（理由）を入力してください。"})
    proposal.status = status
    proposal.decision_comment = comment
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    save_versioned(
        proposal, by=by, expected_version=expected_version, reason=Proposal.Status(status).label
    )
    notify(
        recipient=proposal.proposer,
        message=f"事業企画案「{proposal.title}」は「{proposal.get_status_display()}」となりました",
        url=proposal.get_absolute_url(),
    )


@transaction.atomic
def proposal_adopt(*, proposal, by, comment, code, working_group=None, expected_version=None):
    """Adopt the proposal into its plan: it becomes a project with its budget estimate as the
    requested budget."""
    _require(
        by,
        "plans.decide_proposal",
        proposal,
        "提案を判断できるのは推進部会の委員です（判断前のみ）。",
    )
    plan = proposal.plan
    if Stage(plan.stage) not in ADOPTABLE_STAGES:
        raise ValidationError("事業が承認された後の計画には、提案を採択できません。")
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": "事業コードを入力してください。"})
    if plan.projects.filter(code=code).exists():
        raise ValidationError({"code": f"事業コード「{code}」はこの計画ですでに使われています。"})
    project = Project(
        plan=plan,
        code=code,
        title=proposal.title,
        description=proposal.description,
        initiative_area_id=proposal.initiative_area_id,
        section_id=proposal.section_id,
        working_group=working_group or proposal.working_group,
        budget_requested=proposal.budget_estimate,
    )
    save_versioned(project, by=by, reason=f"事業企画案「{proposal.title}」を採択")
    project.policies.set(proposal.policies.all())
    proposal.project = project
    _decide(
        proposal,
        by=by,
        status=Proposal.Status.ADOPTED,
        comment=comment,
        expected_version=expected_version,
    )
    return project


@transaction.atomic
def proposal_return(*, proposal, by, comment, expected_version=None):
    _require(
        by,
        "plans.decide_proposal",
        proposal,
        "提案を判断できるのは推進部会の委員です（判断前のみ）。",
    )
    _decide(
        proposal,
        by=by,
        status=Proposal.Status.RETURNED,
        comment=comment,
        expected_version=expected_version,
    )


@transaction.atomic
def proposal_reject(*, proposal, by, comment, expected_version=None):
    _require(
        by,
        "plans.decide_proposal",
        proposal,
        "提案を判断できるのは推進部会の委員です（判断前のみ）。",
    )
    _decide(
        proposal,
        by=by,
        status=Proposal.Status.REJECTED,
        comment=comment,
        expected_version=expected_version,
    )


@transaction.atomic
def proposal_withdraw(*, proposal, by, expected_version=None):
    """The proposer takes back a proposal the subcommittee has not decided yet."""
    _require(
        by,
        "plans.withdraw_proposal",
        proposal,
        "提案を取り下げられるのは提案者です（部会の判断前のみ）。",
    )
    proposal.status = Proposal.Status.WITHDRAWN
    save_versioned(proposal, by=by, expected_version=expected_version, reason="取り下げ")
    # Taken off the council's undecided items: nothing is left there to decide.
    for item in proposal.agenda_items.filter(decision=AgendaItem.Decision.PENDING):
        item.proposals.remove(proposal)
    notify_many(
        recipients=_subcommittee_members(proposal.plan.office).exclude(pk=by.pk),
        message=f"事業企画案「{proposal.title}」は提案者が取り下げました",
        url=proposal.get_absolute_url(),
    )
    return proposal


@transaction.atomic
def proposal_move(*, proposal, by, plan, comment="", expected_version=None):
    """The subcommittee moves an undecided proposal to another plan of the office (typically
    next year's, when this year's is under way and no longer adopts proposals)."""
    _require(
        by,
        "plans.move_proposal",
        proposal,
        "提案を別の計画へ移せるのは推進部会の委員です（判断前のみ）。",
    )
    if plan.office_id != proposal.plan.office_id:
        raise ValidationError({"plan": "他の区役所の計画には移せません。"})
    if plan.pk == proposal.plan_id:
        raise ValidationError({"plan": "この提案はすでにその計画に出されています。"})
    if plan.stage == Stage.CLOSED:
        raise ValidationError({"plan": "年度末評価を終えた計画には移せません。"})
    old_title = proposal.plan.title
    proposal.plan = plan
    save_versioned(
        proposal,
        by=by,
        expected_version=expected_version,
        reason=f"「{old_title}」から「{plan.title}」へ移動",
    )
    for item in proposal.agenda_items.filter(decision=AgendaItem.Decision.PENDING):
        item.proposals.remove(proposal)
    comment = (comment or "").strip()
    notify(
        recipient=proposal.proposer,
        message=f"事業企画案「{proposal.title}」を「{plan.title}」へ移しました"
        + (f"（{comment}）" if comment else ""),
        url=proposal.get_absolute_url(),
    )
    return proposal


# ---------------------------------------------------------------------------------------------
# Individual improvements


def improvement_save(*, improvement, by, policies=(), expected_version=None):
    if improvement.pk is None:
        _require(by, "plans.add_improvement")
        improvement.author = by
        if improvement.section_id is None:
            if by.section_id is None:
                raise ValidationError(
                    "所属課が設定されていないため記録できません。管理者に連絡してください。"
                )
            improvement.section_id = by.section_id
    else:
        _require(
            by,
            "plans.change_improvement",
            improvement,
            "改善の記録を修正できるのは記録者です（課長の確認前のみ）。",
        )
    with transaction.atomic():
        save_versioned(improvement, by=by, expected_version=expected_version)
        improvement.policies.set(policies)
    return improvement


@transaction.atomic
def improvement_acknowledge(
    *, improvement, by, comment="", good_practice=False, expected_version=None
):
    _require(
        by,
        "plans.acknowledge_improvement",
        improvement,
        "改善の記録を確認できるのは、その課の課長です。",
    )
    if improvement.is_acknowledged:
        raise ValidationError("この改善はすでに確認済みです。")
    improvement.acknowledged_by = by
    improvement.acknowledged_at = timezone.now()
    improvement.manager_comment = comment
    improvement.is_good_practice = good_practice
    save_versioned(improvement, by=by, expected_version=expected_version, reason="課長確認")
    notify(
        recipient=improvement.author,
        message=f"改善の記録「{improvement.title}」を課長が確認しました"
        + ("（優良事例として共有）" if good_practice else ""),
        url=improvement.get_absolute_url(),
    )
    return improvement


# ---------------------------------------------------------------------------------------------
# Working groups


def working_group_save(*, group, by, members, expected_version=None):
    if group.pk is None:
        _require(
            by,
            "plans.add_working_group",
            message="ワーキンググループを設置できるのは推進部会の委員です。",
        )
    else:
        _require(
            by,
            "plans.change_working_group",
            group,
            "このワーキンググループを編集できるのは推進部会の委員とリーダーです。",
        )
    with transaction.atomic():
        save_versioned(group, by=by, expected_version=expected_version)
        group.members.set(members)
    return group


# ---------------------------------------------------------------------------------------------
# Council


def meeting_save(*, meeting, by):
    _require(
        by,
        "plans.change_meeting" if meeting.pk else "plans.add_meeting",
        meeting if meeting.pk else None,
        "会議を登録できるのは推進部会・区企画調整会議の委員です。",
    )
    meeting._history_user = by
    meeting.save()
    return meeting


# The report kinds that may be presented for each subject (any kind for "other").
SUBJECT_REPORT_KINDS = {
    AgendaItem.Subject.PLAN: {"annual_plan"},
    AgendaItem.Subject.PROJECTS: {"annual_plan", "proposals"},
    AgendaItem.Subject.PROPOSALS: {"proposals"},
}


def presented_plan_version(*, subject, plan, report_version, office_id):
    """The plan version an item presents: the one its report was made from when a report is
    presented (refused when the plan changed since, or the report is of another plan, kind or
    office), otherwise the plan's current version."""
    if report_version is None:
        return plan.version if plan is not None else None
    job = report_version.job
    if job.office_id != office_id:
        raise ValidationError({"report_version": "他の区役所の報告書は提示できません。"})
    kinds = SUBJECT_REPORT_KINDS.get(AgendaItem.Subject(subject))
    if kinds is not None and job.kind not in kinds:
        label = AgendaItem.Subject(subject).label
        raise ValidationError(
            {"report_version": f"「{label}」の議題には提示できない種類の報告書です。"}
        )
    # A report of a plan (the annual plan, the year-end evaluation) records in its facts the
    # plan version it was made from; other reports (a meeting's proposals) present the plan
    # as it is.
    made_from = report_version.snapshot.get("facts", {}).get("plan_version")
    if plan is None or made_from is None:
        return plan.version if plan is not None else None
    if job.params.get("plan") != plan.pk:
        raise ValidationError({"report_version": "選んだ計画とは別の計画の報告書です。"})
    if made_from != plan.version:
        raise ValidationError(
            {
                "report_version": "計画は報告書の作成後に変更されています"
                f"（報告書は第{made_from}版、現在は第{plan.version}版）。"
                "報告書を作り直してから提示してください。"
            }
        )
    return made_from


STALE_CONTENT = (
    "計画の事業・予算・指標が変更されています（会議に提示した内容確認コード {presented}、"
    "現在 {current}）。報告書を作り直し、改めて議題にしてください。"
)


def presented_plan_fingerprint(*, plan, report_version):
    """The content fingerprint an item presents: the one its report recorded when a report is
    presented (refused when the plan's projects, budgets or indicators changed since), else
    the plan's current one. Empty for an item without a plan."""
    from .fingerprint import plan_fingerprint, short

    if plan is None:
        return ""
    current = plan_fingerprint(plan)
    made_from = (
        report_version.snapshot.get("facts", {}).get("plan_fingerprint")
        if report_version is not None
        else None
    )
    if made_from is None:
        return current
    if made_from != current:
        raise ValidationError(
            {
                "report_version": "計画の事業・予算・指標は報告書の作成後に変更されています"
                f"（報告書は{short(made_from)}、現在は{short(current)}）。"
                "報告書を作り直してから提示してください。"
            }
        )
    return made_from


def agenda_item_content_changed(item):
    """True when the plan's content differs from what was presented (never for an item
    presented before fingerprints were recorded)."""
    from .fingerprint import plan_fingerprint

    return bool(
        item.plan_id
        and item.presented_fingerprint
        and plan_fingerprint(item.plan) != item.presented_fingerprint
    )


@transaction.atomic
def agenda_item_add(*, meeting, by, title, subject, plan=None, proposals=(), report_version=None):
    """Put an item on the agenda; for a plan, the version presented is the plan's current one
    (the one its report PDF was made from, when a report is presented)."""
    _require(
        by,
        "plans.change_meeting",
        meeting,
        "議題を追加できるのは推進部会・区企画調整会議の委員です。",
    )
    if subject in (AgendaItem.Subject.PLAN, AgendaItem.Subject.PROJECTS) and plan is None:
        raise ValidationError({"plan": "計画・事業の承認の議題には計画を選んでください。"})
    order = (meeting.items.count() or 0) + 1
    item = AgendaItem(
        meeting=meeting,
        order=order,
        title=title,
        subject=subject,
        plan=plan,
        presented_version=presented_plan_version(
            subject=subject, plan=plan, report_version=report_version, office_id=meeting.office_id
        ),
        report_version=report_version,
        presented_fingerprint=presented_plan_fingerprint(plan=plan, report_version=report_version),
    )
    item._history_user = by
    item.save()
    if proposals:
        item.proposals.set(proposals)
    return item


@transaction.atomic
def agenda_item_present_report(*, item, by, report_version):
    """Record the report PDF presented for an undecided item; for a plan, the presented version
    becomes the one the report was made from."""
    _require(
        by,
        "plans.change_meeting",
        item.meeting,
        "提示する報告書を登録できるのは推進部会・区企画調整会議の委員です。",
    )
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "plan")
        .get(pk=item.pk)
    )
    if item.is_decided:
        raise ValidationError("決定を記録した議題の報告書は変更できません。")
    item.presented_version = presented_plan_version(
        subject=item.subject,
        plan=item.plan,
        report_version=report_version,
        office_id=item.meeting.office_id,
    )
    item.presented_fingerprint = presented_plan_fingerprint(
        plan=item.plan, report_version=report_version
    )
    item.report_version = report_version
    item._history_user = by
    item.save()
    return item


EXPECTED_STAGE = {
    AgendaItem.Subject.PLAN: Stage.REPORTED,
    AgendaItem.Subject.PROJECTS: Stage.PROJECTS_DRAFTED,
}


@transaction.atomic
def agenda_item_decide(*, item, by, decision, comment):
    """Record the council's decision on an agenda item. For the plan's or the projects'
    approval, the plan moves with it (approved → next stage; returned → back one stage), and
    only when the plan is still the version that was presented."""
    _require(by, "plans.decide_agenda_item", item, "決定を記録できるのは区企画調整会議の委員です。")
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.is_decided:
        raise ValidationError("この議題の決定はすでに記録されています。")
    if decision == AgendaItem.Decision.PENDING:
        raise ValidationError({"decision": "決定を選んでください。"})
    comment = (comment or "").strip()
    if decision in (AgendaItem.Decision.CONDITIONAL, AgendaItem.Decision.RETURNED) and not comment:
        raise ValidationError(
            {"comment": "条件付き承認・差し戻しには、条件または理由を入力してください。"}
        )
    expected_stage = EXPECTED_STAGE.get(AgendaItem.Subject(item.subject))
    if expected_stage is not None:
        plan = AnnualPlan.objects.select_for_update().get(pk=item.plan_id)
        if plan.stage != expected_stage:
            raise ValidationError(
                f"計画は「{plan.get_stage_display()}」の段階にあり、この議題で決定できません"
                f"（「{expected_stage.label}」の段階で決定します）。"
            )
        if plan.version != item.presented_version:
            raise ValidationError(
                f"計画は会議に提示した版（第{item.presented_version}版）の後に変更されています"
                f"（現在 第{plan.version}版）。変更を確認し、改めて議題にしてください。"
            )
        if agenda_item_content_changed(item):
            from .fingerprint import plan_fingerprint, short

            raise ValidationError(
                STALE_CONTENT.format(
                    presented=short(item.presented_fingerprint),
                    current=short(plan_fingerprint(plan)),
                )
            )
    item.decision = decision
    item.decision_comment = comment
    item.decided_by = by
    item.decided_at = timezone.now()
    item._history_user = by
    item.save()
    if expected_stage is not None:
        text = f"{item.meeting.title}：{item.get_decision_display()}" + (
            f"（{comment}）" if comment else ""
        )
        if decision == AgendaItem.Decision.RETURNED:
            plan_send_back(plan=plan, by=by, reason=text, agenda_item=item)
        else:
            plan_advance(plan=plan, by=by, comment=text, agenda_item=item)
    return item


# ---------------------------------------------------------------------------------------------
# Project import (rows read and checked by plans.imports)


@transaction.atomic
def projects_import(*, plan, rows, by, source=""):
    """Create or update the plan's projects from checked import rows, all or nothing: a row
    with errors refuses the whole import, and so does a project someone else saved after the
    rows were checked (ConflictError). Rows without changes are not saved again."""
    _require(by, "plans.import_projects", plan, "事業を取り込めるのは推進部会の委員です。")
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.stage == Stage.CLOSED:
        raise ValidationError("年度末評価を終えた計画には取り込めません。")
    if not rows or any(row.errors or row.data is None for row in rows):
        raise ValidationError("取り込めない行があります。すべての行を直してから取り込みます。")
    reason = f"ファイル「{source}」から取込み" if source else "ファイルから取込み"
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        if row.existing is None:
            project = Project(plan=plan)
            row.data.apply_to(project)
            save_versioned(project, by=by, reason=reason)
            project.policies.set(row.data.policies)
            counts["created"] += 1
        elif row.changes:
            project = row.existing
            expected = project.version
            row.data.apply_to(project)
            save_versioned(project, by=by, expected_version=expected, reason=reason)
            if {p.pk for p in row.data.policies} != {p.pk for p in project.policies.all()}:
                project.policies.set(row.data.policies)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts
