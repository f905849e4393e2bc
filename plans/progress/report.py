"""進捗状況報告書: the PDCA progress of a plan's projects as of the end of a reporting period,
for the subcommittee and the council. Cover, contents, the board's summary (table and bar
chart), the matrix of report states (projects × periods up to the chosen one), each project's
latest report (P/D/C/A, progress, status, the reviewer's comment), the indicator charts and
the overdue reports with their leads.

Everything is read "as of" the period: reports of later periods are left out, and a report
counts as overdue when it was due before the period's end (or today, if earlier) and is still
not submitted or accepted. The data comes in a fixed number of queries (plans/board.py's),
whatever the number of projects and periods.
"""

import base64
from collections import defaultdict

from django import forms
from django.template.loader import render_to_string

from takatsu_portal.core.charts import bar_figure
from takatsu_portal.core.fiscal import FiscalYear, today, wareki
from takatsu_portal.reports.kinds import Built, Param, ReportForm, ReportKind, register

from ..models import Indicator, ProgressReport, Project, ReportingPeriod
from ..reporting import FACT_LABELS, current_plan, user_plans
from .board import (
    CELL_BADGES,
    State,
    board_projects,
    board_rows,
    board_summary,
    indicator_figures,
    short_label,
)

KEY = "progress"


def period_of(params):
    # The kind's form took the period from the requester's plans; the worker renders any office's.
    return (
        ReportingPeriod.objects.city_wide("report conditions")
        .select_related("plan__office")
        .get(pk=params["period"])
    )


def default_period(office=None):
    """This fiscal year's plan's latest period that has ended, else its first; ValueError
    when the plan has no periods."""
    plan = current_plan(office)
    period = (
        plan.periods.filter(ends_on__lt=today()).order_by("-number").first()
        or plan.periods.order_by("number").first()
    )
    if period is None:
        raise ValueError(
            f"「{plan.title}」には報告期間がありません。計画のページで報告期間を設定するか、"
            "--period で報告期間を指定してください。"
        )
    return period


def _overdue_items(rows, *, on):
    """Every overdue cell of the matrix as a line of the list, the longest overdue first."""
    items = []
    for row in rows:
        project = row.project
        for cell in row.cells:
            if cell["badge"].key != "overdue":
                continue
            group = project.working_group
            items.append(
                {
                    "project": project,
                    "period": cell["period"],
                    "lead": group.lead if group else None,
                    "days": (on - cell["period"].due_on).days,
                    "note": cell["note"],
                }
            )
    items.sort(key=lambda item: (item["period"].number, item["project"].code, item["project"].pk))
    return items


def image(svg):
    """A chart's SVG as a data: image. Inline, each of its elements would cost WeasyPrint a
    computed style and six pseudo-element styles: at 150 charts that is a fifth of the
    document's elements and about 50 MB. The SVG's texts were escaped by core/charts.py, and
    the fetcher reads data: images only."""
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode()).decode("ascii")


def across(figure):
    """An indicator chart's table on its side, for the page: a column per period with its
    actual value (実績値), then the target and the baseline once each (the chart's own table
    repeats them in every period). Twelve months take two lines instead of thirteen."""
    table = figure.table
    name, *references = table.columns
    rows = table.rows
    return {
        "figure": figure,
        "src": image(figure.svg),
        "name": name,
        "labels": [label for label, _ in rows],
        "actuals": [cells[0] for _, cells in rows],
        "references": list(zip(references, rows[0][1][1:] if rows else [], strict=False)),
    }


def progress_context(period):
    plan = period.plan
    on = min(period.ends_on, today())
    periods = list(plan.periods.filter(number__lte=period.number).order_by("number"))
    for each in periods:
        each.short_label = short_label(each)
    annotated = board_projects(
        Project.objects.for_plan(plan).select_related("section", "working_group__lead"),
        on=on,
        through=period,
    )
    projects = list(annotated)
    summary = board_summary(annotated)
    reports = list(
        ProgressReport.objects.filter(project__plan=plan, period__number__lte=period.number)
        .exclude(state=State.DRAFT)
        .select_related("period", "reviewed_by")
        .prefetch_related("values")
        .order_by("period__number")
    )
    rows = board_rows(projects, periods, on=on, latest={r.pk: r for r in reports})

    reports_of = defaultdict(list)
    for report in reports:
        reports_of[report.project_id].append(report)
    indicators_of = defaultdict(list)
    for indicator in Indicator.objects.filter(project__plan=plan).order_by("id"):
        indicators_of[indicator.project_id].append(indicator)
    by_code = sorted(rows, key=lambda row: (row.project.code, row.project.pk))
    charts = [
        {
            "project": row.project,
            "figures": [
                across(figure)
                for figure in indicator_figures(
                    indicators_of[row.project.pk], periods, reports_of[row.project.pk]
                )
            ],
        }
        for row in by_code
        if indicators_of[row.project.pk]
    ]

    statuses = summary["statuses"]
    total = summary["total"]
    status_figure = bar_figure(
        title="最新の報告の状況別の事業数",
        labels=[badge.label for badge, _ in statuses],
        values=[count for _, count in statuses],
        value_header="事業数",
        unit="件",
        row_header="状況",
        chart_id="status-counts",
    )
    fiscal_year = FiscalYear(plan.fiscal_year)
    overdue = _overdue_items(rows, on=on)
    return {
        "plan": plan,
        "office": plan.office,
        "period": period,
        "periods": periods,
        "fiscal_year": fiscal_year,
        "as_of": on,
        "made_on": wareki(today()),
        "summary": summary,
        "status_rows": [
            (badge, count, round(count * 100 / total) if total else 0) for badge, count in statuses
        ],
        "status_figure": status_figure,
        "status_src": image(status_figure.svg),
        "legend": [badge for key, badge in CELL_BADGES.items() if key != "due_soon"],
        "rows": rows,
        "by_code": by_code,
        "charts": charts,
        "overdue": overdue,
        "project_count": len(projects),
        "title": f"{fiscal_year.era_label} {plan.office.name} 進捗状況報告書（{period.label}）",
    }


def build_progress(params):
    period = period_of(params)
    context = progress_context(period)
    return Built(
        title=context["title"],
        html=render_to_string("plans/progress/report.html", context),
        facts={
            "fiscal_year": period.plan.fiscal_year,
            "plan": period.plan.title,
            "period": period.label,
            "as_of": context["as_of"].isoformat(),
            "projects": context["project_count"],
            "overdue": len(context["overdue"]),
        },
    )


class ProgressForm(ReportForm):
    period = forms.ModelChoiceField(
        queryset=ReportingPeriod.objects.none(), label="報告期間", empty_label=None
    )

    def limit(self, user):
        field = self.fields["period"]
        field.queryset = (
            ReportingPeriod.objects.filter(plan__in=user_plans(user))
            .select_related("plan")
            .order_by("-plan__fiscal_year", "plan__office__sort_order", "plan_id", "number")
        )
        field.label_from_instance = lambda p: f"{p.plan.fy.era_label} {p.plan.title}：{p.label}"


register(
    ReportKind(
        key=KEY,
        fact_labels=FACT_LABELS,
        label="進捗状況報告書（報告期間ごと）",
        description="報告期間の終わり時点の事業の状況、報告の提出状況、各事業の最新の報告"
        "（計画・実施・評価・改善）、指標の推移のグラフ、期限を過ぎた報告の一覧。",
        build=build_progress,
        office_of=lambda params: period_of(params).plan.office_id,
        form=ProgressForm,
        default_params=lambda office=None: {"period": default_period(office).pk},
        params=(Param("period", "報告期間のID（省略時は今年度の計画の、終わった最新の期間）"),),
        order=30,
    )
)
