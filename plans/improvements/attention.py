"""Home-page attention item of improvements: those waiting for the section manager's
acknowledgement."""

from django.urls import reverse
from django.utils.http import urlencode

from takatsu_portal.accounts.permissions import is_section_manager
from takatsu_portal.core.attention import AttentionItem, register

from ..models import Improvement


@register
def improvements_waiting_for_acknowledgement(user):
    """Section managers: their section's improvements that are not yet acknowledged."""
    if user.section_id is None or not is_section_manager(user):
        return []
    # The user's own section is narrower than the office scope of improvements_for().
    count = (
        Improvement.objects.for_office(user.office)
        .filter(section_id=user.section_id, acknowledged_at__isnull=True)
        .count()
    )
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
