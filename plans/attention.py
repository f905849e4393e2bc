"""Home-page attention items of the plans app (one query each): the plan's deadline,
proposals waiting for the subcommittee's decision, and improvements waiting for the section
manager's acknowledgement."""

from django.urls import reverse
from django.utils.http import urlencode

from takatsu_portal.accounts.permissions import is_council, is_section_manager, is_subcommittee
from takatsu_portal.core.attention import AttentionItem, register
from takatsu_portal.core.fiscal import FiscalYear, today

from .access import meetings_for, plans_for, proposals_for
from .models import AgendaItem, Improvement, Proposal


@register
def proposals_waiting_for_decision(user):
    """Subcommittee members: submitted proposals of their office that nobody has decided."""
    if not is_subcommittee(user):
        return []
    count = proposals_for(user).filter(status=Proposal.Status.SUBMITTED).count()
    if not count:
        return []
    query = urlencode({"plan": "", "status": Proposal.Status.SUBMITTED})
    return [
        AttentionItem(
            title=f"推進部会の判断を待っている事業企画案が{count}件あります",
            url=f"{reverse('plans:proposal_list')}?{query}",
            detail="採択・差し戻し・不採択を判断してください。提案者にお知らせが届きます。",
            level="warning",
            area="事業企画案",
        )
    ]


@register
def improvements_waiting_for_acknowledgement(user):
    """Section managers: their section's improvements that are not yet acknowledged."""
    if user.section_id is None or not is_section_manager(user):
        return []
    # The user's own section is narrower than the office scope of improvements_for().
    count = Improvement.objects.filter(
        section_id=user.section_id, acknowledged_at__isnull=True
    ).count()
    if not count:
        return []
    query = urlencode({"scope": "section", "status": "pending"})
    return [
        AttentionItem(
            title=f"課長の確認を待っている改善の記録が{count}件あります",
            url=f"{reverse('plans:improvement_list')}?{query}",
            detail="内容を確認し、他の課の参考になるものは優良事例として共有してください。",
            level="warning",
            area="個別業務の改善",
        )
    ]


@register
def plan_deadline(user):
    """Subcommittee and council: the current year's plan and the guideline's deadline (end of
    April) until the council approves it; a missing plan once the fiscal year has begun."""
    if not (is_subcommittee(user) or is_council(user)):
        return []
    fiscal_year = FiscalYear.current()
    day = today()
    plan = plans_for(user).filter(fiscal_year=fiscal_year.year).first()
    due = fiscal_year.start.replace(day=30)
    if plan is None:
        if not is_subcommittee(user):
            return []
        days = (due - day).days
        return [
            AttentionItem(
                title=f"{fiscal_year.label}の計画がまだ作成されていません",
                url=reverse("plans:plan_create"),
                detail=_deadline_text(due, days),
                level="danger" if days < 0 else "warning",
                area="計画",
            )
        ]
    days = plan.days_to_due(day)
    if days is None:
        return []
    return [
        AttentionItem(
            title=f"「{plan}」は「{plan.get_stage_display()}」の段階です",
            url=plan.get_absolute_url(),
            detail=_deadline_text(plan.due_date, days),
            level="danger" if days < 0 else "warning",
            area="計画",
        )
    ]


def _deadline_text(due, days):
    from takatsu_portal.core.fiscal import wareki

    if days < 0:
        return f"作成期限（{wareki(due)}）を{-days}日過ぎています。"
    return f"作成期限は{wareki(due)}です（あと{days}日）。"


@register
def agenda_items_waiting_for_the_council(user):
    """Council members: undecided items of their office's upcoming meetings (today onwards),
    linked to the meeting when they are all on one, else to the meeting list (#10.9)."""
    if not is_council(user):
        return []
    waiting = list(
        AgendaItem.objects.filter(
            meeting__in=meetings_for(user),
            meeting__held_on__gte=today(),
            decision=AgendaItem.Decision.PENDING,
        )
        .order_by("meeting__held_on", "order")
        .values_list("meeting_id", "meeting__held_on")
    )
    if not waiting:
        return []
    from takatsu_portal.core.fiscal import wareki

    meetings = {meeting_id for meeting_id, _ in waiting}
    url = (
        reverse("plans:meeting_detail", args=[waiting[0][0]])
        if len(meetings) == 1
        else reverse("plans:meeting_list")
    )
    return [
        AttentionItem(
            title=f"区企画調整会議の決定を待っている議題が{len(waiting)}件あります",
            url=url,
            detail=f"次の会議は{wareki(waiting[0][1])}です。会議で決定を記録してください。",
            level="warning",
            area="区企画調整会議",
        )
    ]
