"""Home-page attention items: overdue findings for the responsible section (its members and
manager) and for the subcommittee (the whole office). One query each."""

from django.urls import reverse
from django.utils.http import urlencode

from takatsu_portal.accounts.permissions import is_staff_member, is_subcommittee
from takatsu_portal.core.attention import AttentionItem, register

from .models import Finding


@register
def overdue_findings_of_section(user):
    if user.section_id is None or not is_staff_member(user):
        return []
    findings = Finding.objects.for_office(user.office).filter(section_id=user.section_id)
    count = findings.overdue().count()
    if not count:
        return []
    query = urlencode({"section": user.section_id, "overdue": "on"})
    return [
        AttentionItem(
            title=f"担当課のバリアフリー点検の指摘事項が{count}件、対応期限を過ぎています",
            url=f"{reverse('inspections:finding_list')}?{query}",
            detail="是正を記録するか、事業企画案として提案してください。",
            level="danger",
            area="バリアフリー点検",
        )
    ]


@register
def overdue_findings_of_office(user):
    if not is_subcommittee(user) or user.office is None:
        return []
    count = Finding.objects.for_office(user.office).overdue().count()
    if not count:
        return []
    return [
        AttentionItem(
            title=f"区役所全体で対応期限を過ぎた点検の指摘事項が{count}件あります",
            url=f"{reverse('inspections:finding_list')}?overdue=on",
            detail="担当課に状況を確認してください。",
            level="danger",
            area="バリアフリー点検",
        )
    ]
