"""The registry of report kinds: kind → label, permission, and a function of the job's
parameters that returns the report's title and HTML. Other apps add kinds with `register`."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Sum
from django.template.loader import render_to_string

from takatsu_portal.core.fiscal import FiscalYear, today, wareki


@dataclass(frozen=True)
class ReportKind:
    key: str
    label: str
    permission: str
    build: Callable[[dict], tuple[str, str]]
    office_of: Callable[[dict], int]


REGISTRY: dict[str, ReportKind] = {}


def register(kind):
    REGISTRY[kind.key] = kind
    return kind


def get_kind(key):
    try:
        return REGISTRY[key]
    except KeyError:
        raise ValueError(f"unknown report kind: {key!r}") from None


# 区役所サービス向上計画 (annual improvement plan) for council approval.


def _plan(params):
    from plans.models import AnnualPlan

    return AnnualPlan.objects.select_related("office").get(pk=params["plan"])


def annual_plan_context(plan):
    from plans.models import Project
    from takatsu_portal.core.models import InitiativeArea, Policy

    projects = list(
        Project.objects.for_plan(plan)
        .for_list()
        .prefetch_related("indicators")
        .order_by("initiative_area__number", "code", "id")
    )
    areas = []
    by_area = {}
    for project in projects:
        entry = by_area.get(project.initiative_area_id)
        if entry is None:
            entry = {"area": project.initiative_area, "projects": [], "requested": 0, "approved": 0}
            by_area[project.initiative_area_id] = entry
            areas.append(entry)
        entry["projects"].append(project)
        entry["requested"] += project.budget_requested
        entry["approved"] += project.budget_approved or 0
    totals = Project.objects.for_plan(plan).aggregate(
        requested=Sum("budget_requested"), approved=Sum("budget_approved")
    )
    fiscal_year = FiscalYear(plan.fiscal_year)
    return {
        "plan": plan,
        "office": plan.office,
        "fiscal_year": fiscal_year,
        "made_on": wareki(today()),
        "policies": list(Policy.objects.all()),
        "all_areas": list(InitiativeArea.objects.all()),
        "areas": areas,
        "project_count": len(projects),
        "total_requested": totals["requested"] or 0,
        "total_approved": totals["approved"] or 0,
        "title": f"{fiscal_year.era_label} {plan.office.name} 区役所サービス向上計画",
    }


def build_annual_plan(params):
    plan = _plan(params)
    context = annual_plan_context(plan)
    return context["title"], render_to_string("reports/annual_plan.html", context)


def current_plan_params(office=None):
    """The current fiscal year's plan (of `office`), for a command run with no option."""
    from plans.models import AnnualPlan

    qs = AnnualPlan.objects.filter(fiscal_year=FiscalYear.current().year)
    if office is not None:
        qs = qs.filter(office=office)
    plan = qs.order_by("office__sort_order", "id").first()
    if plan is None:
        raise ValueError("今年度の計画がありません。--plan で計画を指定してください。")
    return {"plan": plan.pk}


register(
    ReportKind(
        key="annual_plan",
        label="区役所サービス向上計画（区企画調整会議 承認用）",
        permission="portal.view_reports",
        build=build_annual_plan,
        office_of=lambda params: _plan(params).office_id,
    )
)
