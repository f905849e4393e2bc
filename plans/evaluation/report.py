"""年度末評価報告書 (the year-end evaluation of a plan) for the council: cover, contents, the
counts by grade (with a chart and its table), by next-year decision and by initiative area,
then every project by initiative area with its indicators (baseline → target and the latest
filed actual value), grade, reason and decision; projects not yet evaluated say so (未評価).
The evaluation feeds next year's plan (guideline section 3 (4), PDCA)."""

from collections import Counter

from django.db.models import OuterRef, Prefetch, Subquery
from django.template.loader import render_to_string

from takatsu_portal.core.charts import bar_figure, format_number
from takatsu_portal.core.fiscal import FiscalYear, today, wareki
from takatsu_portal.core.models import InitiativeArea
from takatsu_portal.reports.kinds import Built, Param, ReportKind, register

from ..models import Indicator, IndicatorValue, ProgressReport, Project, YearEndEvaluation
from ..reporting import FACT_LABELS, PlanReportForm, current_plan, plan_of
from .services import achievement

KEY = "evaluation"
TITLE = "年度末評価報告書"
NOT_EVALUATED = "未評価"
Grade = YearEndEvaluation.Grade
Decision = YearEndEvaluation.Decision
# A value counts once its report is filed: submitted, or accepted by the subcommittee.
FILED = (ProgressReport.State.SUBMITTED, ProgressReport.State.ACCEPTED)
# Beyond these a project's row may not fit on one page (about 16 characters a line in the
# reason's column, 5 lines an indicator).
LONG_REASON = 300
MANY_INDICATORS = 4


def indicators_with_latest_actual():
    """Indicators annotated with the actual value of the newest filed report that has one
    (and that report's period label): the database picks it, one query for all projects."""
    latest = IndicatorValue.objects.filter(
        indicator=OuterRef("pk"), report__state__in=FILED
    ).order_by("-report__period__number", "-report_id")
    return Indicator.objects.annotate(
        latest_actual=Subquery(latest.values("actual")[:1]),
        latest_period=Subquery(latest.values("report__period__label")[:1]),
    ).order_by("id")


def evaluation_context(plan):
    projects = list(
        Project.objects.for_plan(plan)
        .select_related("initiative_area", "section", "working_group", "evaluation")
        .prefetch_related(Prefetch("indicators", queryset=indicators_with_latest_actual()))
        .order_by("initiative_area__number", "code", "id")
    )
    areas, by_area = [], {}
    grades, decisions, area_grades = Counter(), Counter(), Counter()
    for project in projects:
        evaluation = getattr(project, "evaluation", None)
        grade = evaluation.grade if evaluation else None
        grades[grade] += 1
        area_grades[(project.initiative_area_id, grade)] += 1
        if evaluation:
            decisions[evaluation.decision] += 1
        indicators = [
            {
                "indicator": indicator,
                "baseline": format_number(indicator.baseline),
                "target": format_number(indicator.target),
                "actual": indicator.latest_actual,
                "actual_text": format_number(indicator.latest_actual),
                "period": indicator.latest_period,
                "achievement": achievement(indicator, indicator.latest_actual),
            }
            for indicator in project.indicators.all()
        ]
        entry = by_area.get(project.initiative_area_id)
        if entry is None:
            entry = {"area": project.initiative_area, "projects": []}
            by_area[project.initiative_area_id] = entry
            areas.append(entry)
        entry["projects"].append(
            {
                "project": project,
                "evaluation": evaluation,
                "indicators": indicators,
                "may_break": _is_long(evaluation, indicators),
            }
        )
    grade_keys = [*Grade.values, None]
    grade_labels = [Grade(g).label for g in Grade.values] + [NOT_EVALUATED]
    grade_counts = [grades[g] for g in grade_keys]
    area_rows = []
    for area in InitiativeArea.objects.for_office(plan.office):
        cells = [area_grades[(area.pk, g)] for g in grade_keys]
        area_rows.append({"area": area, "cells": cells, "total": sum(cells)})
    evaluated = len(projects) - grades[None]
    figure = bar_figure(
        title="評価別の事業数",
        labels=grade_labels,
        values=grade_counts,
        value_header="事業数",
        unit="件",
        row_header="評価",
        chart_id="grade-chart",
    )
    fiscal_year = FiscalYear(plan.fiscal_year)
    return {
        "plan": plan,
        "office": plan.office,
        "fiscal_year": fiscal_year,
        "made_on": wareki(today()),
        "areas": areas,
        "project_count": len(projects),
        "evaluated": evaluated,
        "not_evaluated": grades[None],
        # The chart's table, with each grade's share of the projects beside its count.
        "grade_figure": figure,
        "grade_rows": [
            {"label": label, "cells": cells, "share": _share(count, len(projects))}
            for (label, cells), count in zip(figure.table.rows, grade_counts, strict=True)
        ],
        "decision_rows": [
            {"label": label, "count": count, "share": _share(count, len(projects))}
            for label, count in [
                *((d.label, decisions[d.value]) for d in Decision),
                (NOT_EVALUATED, grades[None]),
            ]
        ],
        "grade_columns": [*Grade.values, NOT_EVALUATED],
        "area_rows": area_rows,
        "grade_totals": grade_counts,
        "title": f"{fiscal_year.era_label} {plan.office.name} {TITLE}",
    }


def _is_long(evaluation, indicators):
    """Whether a project's row may be too tall for one page: such a row may break across
    pages (the others are kept whole, which reads better; a row taller than a page that may
    not break leaves a blank page before it and loses the repeated table header)."""
    reason = len(evaluation.reason) if evaluation else 0
    return reason > LONG_REASON or len(indicators) > MANY_INDICATORS


def _share(count, total):
    """count / total in percent with one decimal, as text ("—" when total is 0)."""
    if not total:
        return "—"
    return f"{count * 100 / total:.1f}"


def build_evaluation(params):
    plan = plan_of(params)
    context = evaluation_context(plan)
    return Built(
        title=context["title"],
        html=render_to_string("plans/evaluation/report.html", context),
        facts={
            "fiscal_year": plan.fiscal_year,
            "plan": plan.title,
            "plan_version": plan.version,
            "projects": context["project_count"],
            "evaluations": context["evaluated"],
        },
    )


register(
    ReportKind(
        key=KEY,
        fact_labels=FACT_LABELS,
        label=TITLE,
        description=(
            "評価（A〜D）別・次年度の方針別の事業数とグラフ、取組別の事業ごとの指標の実績、"
            "評価と理由、次年度の方針（未評価の事業も表示）。"
        ),
        build=build_evaluation,
        office_of=lambda params: plan_of(params).office_id,
        form=PlanReportForm,
        default_params=lambda office=None: {"plan": current_plan(office).pk},
        params=(Param("plan", "計画のID（省略時は今年度の計画）"),),
        order=40,
    )
)
