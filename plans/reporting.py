"""What the plans app's report kinds share: the plan of a job's params, this fiscal year's
plan for a command run with no option, and the form that chooses a plan."""

from django import forms

from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.reports.kinds import ReportForm

from .access import plans_for
from .models import AnnualPlan

# The labels of the facts the plans' kinds record (the job's page shows them).
FACT_LABELS = {
    "plan": "計画",
    "plan_version": "計画の版",
    "plan_fingerprint": "計画の内容確認コード（事業・予算・指標）",
    "stage": "計画の段階",
    "meeting": "会議",
    "period": "報告期間",
    "projects": "事業数",
    "proposals": "事業企画案の数",
    "budget_requested": "予算要求額の合計（円）",
    "evaluations": "評価済みの事業数",
    "overdue": "期限を過ぎた報告の数",
}


def plan_of(params):
    # The kind's form took the plan from the requester's scope; the worker renders any office's.
    return (
        AnnualPlan.objects.city_wide("report conditions")
        .select_related("office")
        .get(pk=params["plan"])
    )


def current_plan(office=None):
    """This fiscal year's plan (of `office`), else the newest; ValueError when none."""
    if office is not None:
        qs = AnnualPlan.objects.for_office(office)
    else:
        qs = AnnualPlan.objects.city_wide("every office's, for the city")
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


class PlanReportForm(ReportForm):
    """The form of a report about one plan (the annual plan, the year-end evaluation): the
    plan, chosen among the user's plans."""

    plan = plan_field()

    def limit(self, user):
        self.fields["plan"].queryset = user_plans(user)
