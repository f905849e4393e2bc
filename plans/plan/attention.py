"""Home-page attention item of the annual plan: its deadline."""

from django.urls import reverse

from takatsu_portal.accounts.permissions import is_council, is_subcommittee
from takatsu_portal.core.attention import AttentionItem, register
from takatsu_portal.core.fiscal import FiscalYear, today

from ..access import plans_for


@register
def plan_deadline(user):
    """Subcommittee and council: the current year's plan and the guideline's deadline (end of
    April) until the council approves it; a missing plan once the fiscal year has begun."""
    if not (is_subcommittee(user) or is_council(user)):
        return []
    fiscal_year = FiscalYear.current()
    day = today()
    plan = plans_for(user).filter(fiscal_year=fiscal_year.year).select_related("office").first()
    office = user.office
    # The office's own deadline (by default the guideline's end of April).
    due = (
        office.plan_due_date(fiscal_year.year)
        if office is not None
        else fiscal_year.start.replace(day=30)
    )
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
