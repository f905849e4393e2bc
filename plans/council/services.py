"""Workflows of the council (区企画調整会議): meetings, agenda items, the report version
presented with an item, and the decision that moves the plan on or back.

Every function takes keyword arguments, checks the permission of `by` itself (so that no
caller can forget), runs in one transaction, and records who did it in the history.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from takatsu_portal.accounts.permissions import check_perm
from takatsu_portal.core import attention

from ..fingerprint import plan_fingerprint, short
from ..models import AgendaItem, AnnualPlan, Stage
from ..plan.services import plan_advance, plan_send_back

# ---------------------------------------------------------------------------------------------
# Council


@transaction.atomic
def meeting_save(*, meeting, by):
    """Create or edit a meeting (one transaction, its history records who did it)."""
    attention.changed(office=meeting.office_id)
    check_perm(
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


def agenda_item_content_changed(item, *, fingerprints=None):
    """True when the plan's content differs from what was presented (never for an item
    presented before fingerprints were recorded). `fingerprints` ({plan pk: fingerprint}), when
    given, keeps each plan's fingerprint for the next items of a page: one computation a plan."""
    if not (item.plan_id and item.presented_fingerprint):
        return False
    if fingerprints is None:
        return plan_fingerprint(item.plan) != item.presented_fingerprint
    if item.plan_id not in fingerprints:
        fingerprints[item.plan_id] = plan_fingerprint(item.plan)
    return fingerprints[item.plan_id] != item.presented_fingerprint


@transaction.atomic
def agenda_item_add(*, meeting, by, title, subject, plan=None, proposals=(), report_version=None):
    """Put an item on the agenda; for a plan, the version presented is the plan's current one
    (the one its report PDF was made from, when a report is presented)."""
    attention.changed(office=meeting.office_id)
    check_perm(
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
    check_perm(
        by,
        "plans.change_meeting",
        item.meeting,
        "提示する報告書を登録できるのは推進部会・区企画調整会議の委員です。",
    )
    item = (
        AgendaItem._base_manager.select_for_update(of=("self",))
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
    attention.changed(office=item.meeting.office_id)
    check_perm(
        by, "plans.decide_agenda_item", item, "決定を記録できるのは区企画調整会議の委員です。"
    )
    item = AgendaItem._base_manager.select_for_update().get(pk=item.pk)
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
        plan = AnnualPlan._base_manager.select_for_update().get(pk=item.plan_id)
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
