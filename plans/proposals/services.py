"""Workflows of project proposals (事業企画案): submit, resubmit, withdraw, move, and the
subcommittee's decision (adopt as a project, with the plan's next free project code; return,
reject).

Every workflow takes keyword arguments, checks the permission of `by` itself (so that no
caller can forget), runs in one transaction, and records who did it in the history.
"""

import re
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from takatsu_portal.accounts.permissions import check_perm
from takatsu_portal.core.models import Notification
from takatsu_portal.core.notifications import notify, notify_many
from takatsu_portal.core.versioning import save_versioned

from ..access import subcommittee_members
from ..models import AgendaItem, Project, Proposal, Stage

# ---------------------------------------------------------------------------------------------
# Proposals

ADOPTABLE_STAGES = {Stage.DRAFT, Stage.REPORTED, Stage.PLAN_APPROVED, Stage.PROJECTS_DRAFTED}


def proposal_submit(*, proposal, by, policies):
    """A section or working group submits a proposal; the subcommittee is told."""
    check_perm(by, "plans.add_proposal")
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
            recipients=subcommittee_members(proposal.plan.office).exclude(pk=by.pk),
            message=f"事業企画案「{proposal.title}」が提出されました",
            url=proposal.get_absolute_url(),
        )
    return proposal


def proposal_resubmit(*, proposal, by, policies, expected_version):
    """The proposer edits a submitted or returned proposal; it goes back to 'submitted'."""
    check_perm(
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
                recipients=subcommittee_members(proposal.plan.office).exclude(pk=by.pk),
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
    check_perm(
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
    check_perm(
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
    check_perm(
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


CODE_PATTERN = re.compile(r"^(.*?)(\d+)$")


def suggest_project_code(plan):
    """The next free project code of a plan, following the numbering its codes already use
    ("R8-06" → "R8-07"); for a plan without projects, "R<令和の年>-01"."""
    codes = sorted(plan.projects.values_list("code", flat=True))
    numbered = [(m[1], m[2]) for code in codes if (m := CODE_PATTERN.match(code))]
    reiwa = plan.fiscal_year - 2018
    if reiwa > 0 and any(prefix.startswith("R") for prefix, _ in numbered):
        # Projects carried over keep the code of the year they began ("R8-03" in 令和9年度's
        # plan): a new project takes the plan's own year (#10.1).
        numbered = [(p, n) for p, n in numbered if p == f"R{reiwa}-"]
    if numbered:
        prefix = Counter(prefix for prefix, _ in numbered).most_common(1)[0][0]
        numbers = [number for p, number in numbered if p == prefix]
        width = max(len(number) for number in numbers)
        following = max(int(number) for number in numbers) + 1
    else:
        prefix, width, following = (f"R{reiwa}-" if reiwa > 0 else f"{plan.fiscal_year}-"), 2, 1
    taken = set(codes)
    while (code := f"{prefix}{following:0{width}d}") in taken:
        following += 1
    return code


@transaction.atomic
def proposal_withdraw(*, proposal, by, reason, expected_version=None):
    """The proposer takes back a proposal the subcommittee has not decided yet, saying why:
    the reason is kept on the proposal (and so in its history) and sent to the
    subcommittee."""
    check_perm(
        by,
        "plans.withdraw_proposal",
        proposal,
        "提案を取り下げられるのは提案者です（部会の判断前のみ）。",
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "取り下げる理由を入力してください。"})
    proposal.status = Proposal.Status.WITHDRAWN
    proposal.withdrawal_reason = reason
    save_versioned(proposal, by=by, expected_version=expected_version, reason="取り下げ")
    # Taken off the council's undecided items: nothing is left there to decide.
    for item in proposal.agenda_items.filter(decision=AgendaItem.Decision.PENDING):
        item.proposals.remove(proposal)
    notify_many(
        recipients=subcommittee_members(proposal.plan.office).exclude(pk=by.pk),
        message=Truncator(
            f"事業企画案「{proposal.title}」は提案者が取り下げました（理由：{reason}）"
        ).chars(Notification._meta.get_field("message").max_length),
        url=proposal.get_absolute_url(),
    )
    return proposal


@transaction.atomic
def proposal_move(*, proposal, by, plan, comment="", expected_version=None):
    """The subcommittee moves an undecided proposal to another plan of the office (typically
    next year's, when this year's is under way and no longer adopts proposals)."""
    check_perm(
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
