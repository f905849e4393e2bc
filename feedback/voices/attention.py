"""Home-page attention items of the resident voices (one query each): overdue voices of the
user's section, open voices assigned to the user, voices of a manager's section waiting for an
assignee, and, for the subcommittee, overdue voices of the whole office."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode

from takatsu_portal.accounts.permissions import has_role, is_section_manager, is_subcommittee
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.attention import AttentionItem, register
from takatsu_portal.core.fiscal import today

from ..access import voices_for
from ..models import ResidentVoice

AREA = "区民の声"
# Those who handle their section's voices; the council and the administrators (read-only here,
# or about accounts and master data) are not asked to.
handles_section_voices = has_role(Role.STAFF, Role.WG_LEAD, Role.SECTION_MANAGER, Role.SUBCOMMITTEE)


def _list_url(**query):
    return f"{reverse('feedback:voice_list')}?{urlencode(query)}"


@register
def voices_of_my_section(user):
    """Members of a section who handle its voices: its overdue voices (danger), the open
    voices assigned to the user (warning) and, for its manager, the voices nobody has been
    assigned to yet (warning)."""
    if user.section_id is None or not handles_section_voices(user):
        return []
    manager = is_section_manager(user)
    open_voices = Q(state__in=[ResidentVoice.State.RECEIVED, ResidentVoice.State.ASSIGNED])
    counts = (
        ResidentVoice.objects.for_office(user.office)
        .filter(Q(section_id=user.section_id) | Q(assignee_id=user.pk), open_voices)
        .aggregate(
            overdue=Count("id", filter=Q(section_id=user.section_id, due_on__lt=today())),
            mine=Count("id", filter=Q(assignee_id=user.pk)),
            unassigned=Count(
                "id", filter=Q(section_id=user.section_id, state=ResidentVoice.State.RECEIVED)
            ),
        )
    )
    items = []
    if counts["overdue"]:
        items.append(
            AttentionItem(
                title=f"{user.section}の区民の声で、回答期限を過ぎたものが{counts['overdue']}件あります",
                url=_list_url(section=user.section_id, overdue="on"),
                detail="担当者を決めて、できるだけ早く回答してください。",
                level="danger",
                area=AREA,
            )
        )
    if counts["mine"]:
        items.append(
            AttentionItem(
                title=f"あなたが担当の区民の声（未回答）が{counts['mine']}件あります",
                url=_list_url(mine="on", state="open"),
                detail="回答期限までに回答を記録してください。",
                level="warning",
                area=AREA,
            )
        )
    if manager and counts["unassigned"]:
        items.append(
            AttentionItem(
                title=f"担当者が決まっていない区民の声が{counts['unassigned']}件あります",
                url=_list_url(section=user.section_id, state=ResidentVoice.State.RECEIVED),
                detail=f"{user.section}の職員から担当者を決めてください。担当者にお知らせが届きます。",
                level="warning",
                area=AREA,
            )
        )
    return items


@register
def overdue_voices_office_wide(user):
    """Subcommittee members: overdue voices of the whole office."""
    if not is_subcommittee(user):
        return []
    count = voices_for(user).overdue(today()).count()
    if not count:
        return []
    return [
        AttentionItem(
            title=f"区役所全体で、回答期限を過ぎた区民の声が{count}件あります",
            url=_list_url(overdue="on"),
            detail="担当課の対応状況を確かめてください。",
            level="danger",
            area=AREA,
        )
    ]
