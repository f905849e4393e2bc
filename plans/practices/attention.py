"""Home-page attention item of good practices shared city-wide: planners (the subcommittee
and working-group leads, who draft the plan and its projects) hear of the practices other
wards shared in the last days."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from takatsu_portal.accounts.permissions import is_subcommittee, is_wg_lead
from takatsu_portal.core.attention import AttentionItem, register

from ..access import citywide_practices_for

NEW_DAYS = 14


@register
def practices_newly_shared(user):
    """Practices shared city-wide by other wards within NEW_DAYS days (one query)."""
    if user.section_id is None or not (is_subcommittee(user) or is_wg_lead(user)):
        return []
    since = timezone.now() - timedelta(days=NEW_DAYS)
    count = citywide_practices_for(user).filter(shared_citywide_at__gte=since).count()
    if not count:
        return []
    return [
        AttentionItem(
            title=f"他区の優良事例が{count}件、新しく共有されました",
            url=reverse("plans:practice_list"),
            detail=f"この{NEW_DAYS}日間に他区が全市に共有した改善です。"
            "自分の区でも使えるものは、事業企画案として取り込めます。",
            level="info",
            area="他区の優良事例",
        )
    ]
