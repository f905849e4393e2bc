"""Home-page attention item of the council: undecided agenda items of upcoming meetings."""

from django.urls import reverse

from takatsu_portal.accounts.permissions import is_council
from takatsu_portal.core.attention import AttentionItem, register
from takatsu_portal.core.fiscal import today, wareki

from ..access import meetings_for
from ..models import AgendaItem


@register
def agenda_items_waiting_for_the_council(user):
    """Council members: undecided items of their office's upcoming meetings (today onwards),
    linked to the meeting when they are all on one, else to the meeting list narrowed to the
    upcoming meetings with undecided items (#10.9)."""
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
    meetings = {meeting_id for meeting_id, _ in waiting}
    url = (
        reverse("plans:meeting_detail", args=[waiting[0][0]])
        if len(meetings) == 1
        else f"{reverse('plans:meeting_list')}?waiting=1"
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
