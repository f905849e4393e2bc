"""区役所サービス向上計画 (the annual improvement plan) for the council's approval: cover, table
of contents, the five policies, projects by initiative area with section, working group,
budget and indicators, and the budget totals."""

from django.db.models import Sum
from django.template.loader import render_to_string

from takatsu_portal.core.fiscal import FiscalYear, today, wareki
from takatsu_portal.core.models import InitiativeArea, Policy
from takatsu_portal.reports.kinds import Built, Param, ReportKind, register

from ..fingerprint import plan_fingerprint, short
from ..models import Project
from ..reporting import FACT_LABELS, PlanReportForm, current_plan, plan_of

KEY = "annual_plan"


def annual_plan_context(plan):
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
        "policies": list(Policy.objects.for_office(plan.office)),
        "all_areas": list(InitiativeArea.objects.for_office(plan.office)),
        "areas": areas,
        "project_count": len(projects),
        "total_requested": totals["requested"] or 0,
        "total_approved": totals["approved"] or 0,
        "title": f"{fiscal_year.era_label} {plan.office.name} 区役所サービス向上計画",
    }


def build_annual_plan(params):
    plan = plan_of(params)
    context = annual_plan_context(plan)
    fingerprint = plan_fingerprint(plan)
    # Printed on the cover: two versions of the plan never look identical on paper.
    context.update(
        job_number=params.get("job"), fingerprint=fingerprint, content_code=short(fingerprint)
    )
    return Built(
        title=context["title"],
        html=render_to_string("plans/plan/report.html", context),
        facts={
            "fiscal_year": plan.fiscal_year,
            "plan": plan.title,
            "plan_version": plan.version,
            "plan_fingerprint": fingerprint,
            "stage": plan.get_stage_display(),
            "projects": context["project_count"],
            "budget_requested": context["total_requested"],
        },
    )


register(
    ReportKind(
        key=KEY,
        fact_labels=FACT_LABELS,
        label="区役所サービス向上計画（区企画調整会議 承認用）",
        description="計画の概要、5つの基本方針、取組別の事業（所管課・予算・指標）、予算の合計。",
        build=build_annual_plan,
        office_of=lambda params: plan_of(params).office_id,
        form=PlanReportForm,
        default_params=lambda office=None: {"plan": current_plan(office).pk},
        params=(Param("plan", "計画のID（省略時は今年度の計画）"),),
        order=10,
    )
)
