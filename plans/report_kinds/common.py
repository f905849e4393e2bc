"""What the plans app's report kinds share: the plan of a job's params, this fiscal year's
plan for a command run with no option, and the plan choice of their forms."""

from django import forms

from takatsu_portal.core.fiscal import FiscalYear

from ..access import plans_for
from ..models import AnnualPlan


def plan_of(params):
    return AnnualPlan.objects.select_related("office").get(pk=params["plan"])


def current_plan(office=None):
    """This fiscal year's plan (of `office`), else the newest; ValueError when none."""
    qs = AnnualPlan.objects.all()
    if office is not None:
        qs = qs.filter(office=office)
    plan = (
        qs.filter(fiscal_year=FiscalYear.current().year)
        .order_by("office__sort_order", "id")
        .first()
        or qs.order_by("-fiscal_year", "office__sort_order", "id").first()
    )
    if plan is None:
        raise ValueError("計画がありません。--plan で計画を指定してください。")
    return plan


def plan_field():
    field = forms.ModelChoiceField(
        queryset=AnnualPlan.objects.none(), label="計画", empty_label=None
    )
    field.label_from_instance = lambda p: f"{p.fy.label} {p.title}"
    return field


def user_plans(user):
    return plans_for(user).order_by("-fiscal_year", "office__sort_order", "id")
