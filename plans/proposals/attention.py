"""Home-page attention item of proposals: those waiting for the subcommittee's decision."""

from django.urls import reverse
from django.utils.http import urlencode

from takatsu_portal.accounts.permissions import is_subcommittee
from takatsu_portal.core.attention import AttentionItem, register

from ..access import proposals_for
from ..models import Proposal


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
