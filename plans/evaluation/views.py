"""The year-end evaluation (年度末評価): a project's grade, reason and decision for next year,
recorded by the subcommittee while the plan is in progress, and the plan's summary by grade.

The decision is what "start next year" follows (Project.carries_over): 継続 and 見直して継続
carry the project over, 終了 does not.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Case, Count, IntegerField, When
from django.db.models import Value as V
from django.shortcuts import redirect, render
from django.urls import path, reverse

from takatsu_portal.accounts.permissions import check_perm, user_may
from takatsu_portal.core.charts import bar_figure
from takatsu_portal.core.editing import conflict_context, save_or_explain
from takatsu_portal.core.history import history_entries
from takatsu_portal.core.models import InitiativeArea, Policy
from takatsu_portal.core.versioning import ConflictError

from ..access import get_plan_for_user, get_project_for_user
from ..models import IndicatorValue, ProgressReport, Stage, YearEndEvaluation
from ..progress import services as progress_services
from ..progress.board_views import PROGRESS_REFUSAL, board_crumb
from . import services
from .forms import EvaluationForm

EVALUATE_REFUSAL = "年度末評価を記録できるのは推進部会の委員です（事業実施中の計画のみ）。"
PER_PAGE = 50
Grade = YearEndEvaluation.Grade
Decision = YearEndEvaluation.Decision
NOT_EVALUATED = "未評価"


def _evaluation_of(project):
    return (
        YearEndEvaluation.objects.for_office(project.plan.office_id)
        .filter(project=project)
        .select_related("evaluated_by")
        .first()
    )


def indicator_rows(project):
    """Each indicator with its baseline, target, latest actual (from the newest filed report
    that has a value) and achievement in percent."""
    latest = {}
    values = (
        IndicatorValue.objects.for_office(project.plan.office_id)
        .filter(indicator__project=project)
        .exclude(report__state=ProgressReport.State.DRAFT)
        .select_related("report__period")
        .order_by("indicator_id", "-report__period__number")
    )
    for value in values:
        latest.setdefault(value.indicator_id, value)
    rows = []
    for indicator in project.indicators.all():
        value = latest.get(indicator.pk)
        actual = value.actual if value else None
        rows.append(
            {
                "indicator": indicator,
                "actual": actual,
                "period": value.report.period if value else None,
                "achievement": progress_services.achievement(indicator, actual),
            }
        )
    return rows


def _save(request, project, evaluation, form):
    """Save through the service; (saved evaluation or None, extra context)."""
    version = form.cleaned_data.get("version")
    if evaluation is not None and version is None:
        # The form was opened for a first evaluation, and someone has recorded one since.
        return None, conflict_context(request, form, ConflictError(evaluation, 0))
    saved = []

    def save():
        try:
            saved.append(
                services.evaluation_save(
                    project=project,
                    by=request.user,
                    grade=form.cleaned_data["grade"],
                    reason=form.cleaned_data["reason"],
                    decision=form.cleaned_data["decision"],
                    expected_version=version,
                )
            )
        except IntegrityError:
            # Two first evaluations at the same moment: the other one won.
            raise ConflictError(_evaluation_of(project), 0) from None

    context = save_or_explain(request, form, save)
    return (saved[0], {}) if context is None else (None, context)


def project_evaluation(request, pk):
    project = get_project_for_user(
        request.user, pk, perm="plans.view_progress", message=PROGRESS_REFUSAL
    )
    may_evaluate = user_may(request.user, "plans.evaluate_project", project)
    if request.method == "POST":
        check_perm(request.user, "plans.evaluate_project", project, EVALUATE_REFUSAL)
    evaluation = _evaluation_of(project)
    form = None
    context = {}
    if may_evaluate:
        form = EvaluationForm(request.POST or None, instance=evaluation)
        if form.is_bound and evaluation is not None and not form.data.get("version"):
            form.fields["version"].required = False  # see _save: a conflict, not an error
        if request.method == "POST" and form.is_valid():
            saved, context = _save(request, project, evaluation, form)
            if saved is not None:
                messages.success(
                    request,
                    f"{project.code}の年度末評価を記録しました"
                    f"（{saved.get_grade_display()}・{saved.get_decision_display()}）。",
                )
                return redirect("plans:project_evaluation", pk=project.pk)
        if form.is_bound:
            # The form put the editor's values on the instance: show the saved evaluation.
            evaluation = _evaluation_of(project)
    return render(
        request,
        "plans/evaluation/project.html",
        {
            "project": project,
            "evaluation": evaluation,
            "indicators": indicator_rows(project),
            "form": form,
            "plan_in_progress": project.plan.stage == Stage.IN_PROGRESS,
            "history": history_entries(evaluation, limit=5) if evaluation else [],
            "breadcrumbs": [
                board_crumb(project.plan),
                (project.code, reverse("plans:project_timeline", args=[project.pk])),
                ("年度末評価", None),
            ],
            **context,
        },
    )


# ---------------------------------------------------------------------------------------------
# The plan's summary


GRADE_KEYS = [*Grade.values, None]


def _grade_columns():
    return [(g.value, g.value) for g in Grade] + [(None, NOT_EVALUATED)]


def _pivot(rows, key, masters):
    """Rows of (master object, [count per grade..., not evaluated], total) from the database's
    counts by (key, grade); every master row is listed, with zeros."""
    counts = {}
    for row in rows:
        counts[(row[key], row["evaluation__grade"])] = row["n"]
    table = []
    for master in masters:
        cells = [counts.get((master.pk, grade), 0) for grade in GRADE_KEYS]
        table.append({"label": str(master), "cells": cells, "total": sum(cells)})
    return table


def plan_evaluation(request, pk):
    plan = get_plan_for_user(request.user, pk, perm="plans.view_progress", message=PROGRESS_REFUSAL)
    projects = plan.projects.all()
    by_grade = {
        row["evaluation__grade"]: row["n"]
        for row in projects.order_by().values("evaluation__grade").annotate(n=Count("pk"))
    }
    grade_counts = [by_grade.get(grade, 0) for grade in GRADE_KEYS]
    by_policy = _pivot(
        projects.order_by().values("policies", "evaluation__grade").annotate(n=Count("pk")),
        "policies",
        Policy.objects.for_office(plan.office),
    )
    by_area = _pivot(
        projects.order_by().values("initiative_area", "evaluation__grade").annotate(n=Count("pk")),
        "initiative_area",
        InitiativeArea.objects.for_office(plan.office),
    )
    by_decision = {
        row["decision"]: row["n"]
        for row in YearEndEvaluation.objects.filter(project__in=projects)
        .order_by()
        .values("decision")
        .annotate(n=Count("pk"))
    }
    listed = (
        projects.select_related("evaluation", "evaluation__evaluated_by", "working_group")
        .annotate(
            evaluated=Case(
                When(evaluation__isnull=True, then=V(0)), default=V(1), output_field=IntegerField()
            )
        )
        .order_by("evaluated", "evaluation__grade", "code", "pk")
    )
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    labels = [Grade(g).label for g in Grade.values] + [NOT_EVALUATED]
    return render(
        request,
        "plans/evaluation/plan.html",
        {
            "plan": plan,
            "total": sum(grade_counts),
            "not_evaluated": by_grade.get(None, 0),
            "grade_columns": _grade_columns(),
            "grade_figure": bar_figure(
                title="評価別の事業数",
                labels=labels,
                values=grade_counts,
                value_header="事業数",
                unit="件",
                row_header="評価",
                chart_id="grade-chart",
            ),
            "breakdowns": [
                ("基本方針別の評価", "policy", by_policy),
                ("具体的な取組別の評価", "area", by_area),
            ],
            "decisions": [(d.label, by_decision.get(d.value, 0)) for d in Decision],
            "page_obj": page,
            "in_progress": plan.stage == Stage.IN_PROGRESS,
            "breadcrumbs": [
                ("計画", reverse("plans:index")),
                (plan.fy.label, plan.get_absolute_url()),
                ("年度末評価", None),
            ],
        },
    )


urlpatterns = [
    path("projects/<int:pk>/evaluation/", project_evaluation, name="project_evaluation"),
    path("<int:pk>/evaluation/", plan_evaluation, name="plan_evaluation"),
]
