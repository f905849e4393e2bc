"""Home-page attention items of the plans app (one query each): proposals waiting for the
subcommittee's decision, and improvements waiting for the section manager's acknowledgement."""

from django.urls import reverse
from django.utils.http import urlencode

from takatsu_portal.accounts.permissions import is_section_manager, is_subcommittee
from takatsu_portal.core.attention import AttentionItem, register

from .access import proposals_for
from .models import Improvement, Proposal


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
