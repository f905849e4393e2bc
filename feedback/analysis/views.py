"""Survey results: satisfaction across the office's surveys (by window, section, month, this
fiscal year against the last), one survey's results, its free-text answers, and the exports
of both (audited). Every number is counted by the database (feedback/analysis.py)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import mark_safe

from takatsu_portal.accounts.permissions import require_perm, user_may
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core import charts
from takatsu_portal.core.audit import record_event
from takatsu_portal.core.downloads import csv_download, xlsx_download
from takatsu_portal.core.export_views import (
    Link,
    csv_encoding,
    query_without,
    unencodable_response,
)
from takatsu_portal.core.shared_cache import compact, shared_value
from takatsu_portal.core.tabular import UnencodableError

from ..access import get_survey_for_user
from ..models import Question
from ..navigation import feedback_crumb
from ..responses import spreadsheet as imports
from . import results as analysis
from .forms import AnalysisFilterForm, FreeTextFilterForm

RESULTS_REFUSAL = (
    "アンケートの集計結果を見られるのは、推進部会の委員・課長・区企画調整会議の委員・管理者です。"
)
EXPORT_REFUSAL = "アンケートの集計結果を出力できるのは、推進部会の委員と課長です。"
FREE_TEXT_REFUSAL = (
    "自由記述の回答を読めるのは、推進部会の委員と課長です"
    "（個人に関わる記述が含まれることがあるため）。"
)
FREE_TEXT_PER_PAGE = 20


def _analysis_crumb():
    return ("集計・分析", reverse("feedback:analysis"))


def _survey_crumbs(survey, *tail):
    return [
        feedback_crumb(),
        ("アンケート", reverse("feedback:survey_list")),
        (survey.title, survey.get_absolute_url()),
        *tail,
    ]


def _unencodable(request, error, crumbs):
    return unencodable_response(
        request,
        error,
        subject="行",
        key_label="行",
        links=[Link("CSV出力（UTF-8）", request.path)],
        breadcrumbs=crumbs,
    )


# ---------------------------------------------------------------------------------------------
# Across the office


def _office_results(request):
    form = AnalysisFilterForm(request.GET or None, user=request.user)
    fiscal_year, filters = form.filters()
    scope = office_scope_of(request.user)
    # No office and no city-wide permission: nobody's answers.
    answers = analysis.satisfaction_answers(
        scope.office, every_office=scope.every_office, **filters
    )
    return form, fiscal_year, filters, analysis.office_satisfaction(answers, fiscal_year)


def _office_figures(results):
    fy = results.fiscal_year
    months = results.months
    month_labels = [row.short_label for row in months]
    share_by_month = charts.line_figure(
        title=f"月別の満足度（満足・やや満足の割合）{fy.era_label}と前年度",
        labels=month_labels,
        series=[
            charts.Series(fy.era_label, [row.this_year.percent for row in months]),
            charts.Series(fy.previous().era_label, [row.last_year.percent for row in months]),
        ],
        unit="%",
        row_header="月",
        y_range=(0, 100),
        chart_id="chart-months",
    )
    windows = [row for row in results.windows if row.satisfaction.count]
    by_window = charts.bar_figure(
        title=f"窓口別の満足・やや満足の割合（{fy.era_label}）",
        labels=[row.label for row in windows],
        values=[row.satisfaction.percent for row in windows],
        value_header="満足・やや満足の割合",
        unit="%",
        row_header="窓口",
        chart_id="chart-windows",
    )
    return {"month_figure": share_by_month, "window_figure": by_window}


@require_perm("feedback.view_results", RESULTS_REFUSAL)
def office_analysis(request):
    form, fiscal_year, filters, results = _office_results(request)
    return render(
        request,
        "feedback/analysis/office.html",
        {
            "form": form,
            "results": results,
            "fiscal_year": fiscal_year,
            "filtered": any(filters.values()),
            "export_query": query_without(request, "encoding"),
            **_office_figures(results),
            "breadcrumbs": [feedback_crumb(), ("集計・分析", None)],
        },
    )


@require_perm("feedback.export_results", EXPORT_REFUSAL)
def office_analysis_export_csv(request):
    encoding = csv_encoding(request)
    form, fiscal_year, filters, results = _office_results(request)
    tables = imports.office_tables(results)
    try:
        content = imports.tables_csv(tables, encoding=encoding)
    except UnencodableError as error:
        return _unencodable(
            request, error, [feedback_crumb(), _analysis_crumb(), ("CSV出力", None)]
        )
    _record_office_export(request, fiscal_year, filters, tables, f"csv-{encoding}")
    return csv_download(
        content,
        encoding=encoding,
        filename=f"survey-analysis-{fiscal_year.year}.csv",
        filename_ja=f"アンケート集計_{fiscal_year.era_label}.csv",
    )


@require_perm("feedback.export_results", EXPORT_REFUSAL)
def office_analysis_export_xlsx(request):
    form, fiscal_year, filters, results = _office_results(request)
    tables = imports.office_tables(results)
    content = imports.tables_xlsx(tables)
    _record_office_export(request, fiscal_year, filters, tables, "xlsx")
    return xlsx_download(
        content,
        filename=f"survey-analysis-{fiscal_year.year}.xlsx",
        filename_ja=f"アンケート集計_{fiscal_year.era_label}.xlsx",
    )


def _record_office_export(request, fiscal_year, filters, tables, fmt):
    record_event(
        "export",
        request=request,
        what="survey_analysis",
        rows=sum(len(table.rows) for table in tables),
        format=fmt,
        fiscal_year=fiscal_year.year,
        filters={key: str(getattr(value, "pk", value)) for key, value in filters.items() if value},
    )


# ---------------------------------------------------------------------------------------------
# One survey


def _results_survey(request, pk, perm=("feedback.view_results", RESULTS_REFUSAL), **kwargs):
    return get_survey_for_user(request.user, pk, perm=perm[0], message=perm[1], **kwargs)


def _survey_figures(results):
    figures = {}
    if results.total:
        figures["channel_figure"] = charts.bar_figure(
            title="回答方法別の回答者数",
            labels=[row.label for row in results.channels],
            values=[row.count for row in results.channels],
            value_header="回答者数",
            unit="件",
            row_header="回答方法",
            chart_id="chart-channels",
        )
    windows = [row for row in results.windows if row.satisfaction.count]
    if windows:
        figures["window_figure"] = charts.bar_figure(
            title="窓口別の満足・やや満足の割合",
            labels=[row.label for row in windows],
            values=[row.satisfaction.percent for row in windows],
            value_header="満足・やや満足の割合",
            unit="%",
            row_header="窓口",
            chart_id="chart-survey-windows",
        )
    question_figures = {}
    for result in results.questions:
        rows = result.points or result.choices
        if not rows or not result.answered:
            continue
        question_figures[result.question.pk] = charts.bar_figure(
            title=f"Q{result.number} {result.question.text}",
            labels=[row.label for row in rows],
            values=[row.count for row in rows],
            value_header="回答件数",
            unit="件",
            row_header="回答",
            chart_id=f"chart-q{result.question.pk}",
        )
    for result in results.questions:
        result.figure = question_figures.get(result.question.pk)
    return figures


@require_perm("feedback.view_results", RESULTS_REFUSAL)
def survey_analysis(request, pk):
    # The page reads the survey's own columns only (title, dates, version): no join.
    survey = _results_survey(request, pk, newest_response=True, related=())
    # The same numbers for everyone: kept until an answer comes in (the newest response's id is
    # in the key: one index step, where counting the responses read them all) or the survey,
    # its questions or windows change. Responses are only added by the services; one deleted
    # in the admin moves the data generation (core/apps.py), as every change made there.
    key = (survey.pk, survey.version, survey.newest_response_id)
    may_read_free_text = user_may(request.user, "feedback.read_free_text", survey)

    # The body (charts, their tables, every question) is made from the numbers alone: its
    # HTML is kept on the same key with the total the heading shows, so a request neither
    # reads the numbers back nor draws a chart nor renders a table.
    def body():
        results = shared_value("survey-results", key, lambda: analysis.survey_results(survey))
        context = {
            "survey": survey,
            "results": results,
            **_survey_figures(results),
            "may_read_free_text": may_read_free_text,
        }
        # Without the request, as core/shared_cache.py renders shared content.
        html = compact(render_to_string("feedback/analysis/_survey_body.html", context))
        return results.total, html

    total, html = shared_value("survey-analysis-page", (*key, may_read_free_text), body)
    return render(
        request,
        "feedback/analysis/survey.html",
        {
            "survey": survey,
            "total": total,
            "survey_body": mark_safe(html),  # noqa: S308  (rendered by the template above)
            "may_read_free_text": may_read_free_text,
            "may_export": user_may(request.user, "feedback.export_results", survey),
            "breadcrumbs": _survey_crumbs(survey, ("集計", None)),
        },
    )


@require_perm("feedback.read_free_text", FREE_TEXT_REFUSAL)
def survey_free_text(request, pk):
    """The free-text answers of a survey, filtered and paginated; each can be registered as a
    resident voice (the voice form takes the answer's id)."""
    survey = _results_survey(request, pk, ("feedback.read_free_text", FREE_TEXT_REFUSAL))
    form = FreeTextFilterForm(request.GET or None, survey=survey, user=request.user)
    answers = analysis.free_text_answers(survey, **form.filters())
    page = Paginator(answers, FREE_TEXT_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/analysis/free_text.html",
        {
            "survey": survey,
            "form": form,
            "page_obj": page,
            "may_record_voice": user_may(request.user, "feedback.record_voice"),
            "has_text_questions": survey.questions.filter(kind=Question.Kind.TEXT).exists(),
            "breadcrumbs": _survey_crumbs(
                survey,
                ("集計", reverse("feedback:survey_analysis", args=[survey.pk])),
                ("自由記述", None),
            ),
        },
    )


def _responses_export(request, pk):
    survey = _results_survey(request, pk, ("feedback.export_results", EXPORT_REFUSAL))
    include_text = user_may(request.user, "feedback.read_free_text", survey)
    table = imports.responses_table(survey, include_text=include_text)
    return survey, include_text, table


def _record_responses_export(request, survey, table, include_text, fmt):
    record_event(
        "export",
        request=request,
        what="survey_responses",
        survey=survey.pk,
        rows=len(table.rows),
        format=fmt,
        free_text=include_text,
    )


@require_perm("feedback.export_results", EXPORT_REFUSAL)
def survey_responses_export_csv(request, pk):
    encoding = csv_encoding(request)
    survey, include_text, table = _responses_export(request, pk)
    try:
        content = imports.tables_csv([table], encoding=encoding)
    except UnencodableError as error:
        return _unencodable(
            request,
            error,
            _survey_crumbs(
                survey,
                ("集計", reverse("feedback:survey_analysis", args=[survey.pk])),
                ("CSV出力", None),
            ),
        )
    _record_responses_export(request, survey, table, include_text, f"csv-{encoding}")
    return csv_download(
        content,
        encoding=encoding,
        filename=f"survey-{survey.pk}-responses.csv",
        filename_ja=f"{survey.title}_回答一覧.csv",
    )


@require_perm("feedback.export_results", EXPORT_REFUSAL)
def survey_responses_export_xlsx(request, pk):
    survey, include_text, table = _responses_export(request, pk)
    content = imports.tables_xlsx([table])
    _record_responses_export(request, survey, table, include_text, "xlsx")
    return xlsx_download(
        content,
        filename=f"survey-{survey.pk}-responses.xlsx",
        filename_ja=f"{survey.title}_回答一覧.xlsx",
    )


urlpatterns = [
    path("analysis/", office_analysis, name="analysis"),
    path("analysis/export.csv", office_analysis_export_csv, name="analysis_export_csv"),
    path("analysis/export.xlsx", office_analysis_export_xlsx, name="analysis_export_xlsx"),
    path("surveys/<int:pk>/analysis/", survey_analysis, name="survey_analysis"),
    path("surveys/<int:pk>/free-text/", survey_free_text, name="survey_free_text"),
    path(
        "surveys/<int:pk>/responses.csv",
        survey_responses_export_csv,
        name="survey_responses_export_csv",
    ),
    path(
        "surveys/<int:pk>/responses.xlsx",
        survey_responses_export_xlsx,
        name="survey_responses_export_xlsx",
    ),
]
