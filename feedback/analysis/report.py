"""区民満足度調査報告書 (the resident satisfaction survey report) for the ward council.

One report per office and fiscal year, because the council reads the year's overall picture
across the office's surveys (this fiscal year against the last; by window, section and month)
and then each survey's detail, rather than one survey at a time. Its parameters:

- `fiscal_year` (int): on the reports page, a choice among the fiscal years that have answers
  at the user's office;
- `office` (an Office id): not a choice for a member of an office — the form adds the user's
  own office, so nobody can ask for another office's report; a user without an office (an
  administrator) chooses one. `render_report satisfaction` with no option takes the current
  fiscal year (the newest with answers when the current one has none) of the first office;
  `--fiscal-year` and `--office` choose (a missing `--office` is the first office).

The surveys of a year are the office's surveys whose period overlaps it or that have an answer
dated in it. The office-wide figures count the answers dated in the fiscal year; each survey's
detail (`analysis.survey_results`) covers all of that survey's answers, as its results page
does, and the report says so.

Every number is counted by the database: `feedback.analysis` (office_satisfaction,
response_counts, survey_results) and, for resident voices, the counts of the voices'
「月別の統計」 page (`voice_statistics_data`). The number of queries does not depend on the
number of answers (a fixed number, plus a fixed number per survey).

Nothing a resident wrote is printed: free-text answers are counted, not quoted, and resident
voices appear only as counts by category, month and section — never their summary, body,
name or contact.

Permissions: reading the versions takes `feedback.view_results`, the rule that already governs
survey results on the analysis pages (subcommittee, section managers, council,
administrators), so the PDF and the pages never disagree; asking for one takes
`portal.request_reports`, as for every council paper.
"""

from collections import defaultdict

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string

from takatsu_portal.accounts.models import Office
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core import charts
from takatsu_portal.core.fiscal import FiscalYear, today, wareki
from takatsu_portal.reports.kinds import Built, Param, ReportForm, ReportKind, register

from ..models import Question, ResidentVoice, Response, Survey
from ..voices import statistics as voices_statistics
from . import results as analysis

KEY = "satisfaction"
REPORT_NAME = "区民満足度調査報告書"
# Bars per chart: 20 bars (about 20 cm drawn) fit an A4 page under a heading.
CHART_BARS = 20


# ---------------------------------------------------------------------------------------------
# Parameters


def answer_years(office=None):
    """The fiscal years in which a survey of `office` (every office when None) that has at
    least one response was open (up to today), newest first. Read from the surveys' dates,
    with an index lookup per survey for "has a response": the cost does not grow with the
    number of answers (the form is on the reports page, loaded often)."""
    if office is not None:
        surveys = Survey.objects.for_office(office)
    else:
        surveys = Survey.objects.city_wide("every office's years, for the city")
    surveys = surveys.filter(Exists(Response.objects.filter(survey=OuterRef("pk"))))
    last_day = today()
    years = set()
    for opens_on, closes_on in surveys.values_list("opens_on", "closes_on"):
        first = FiscalYear.of(opens_on).year
        last = FiscalYear.of(max(opens_on, min(closes_on, last_day))).year
        years.update(range(first, last + 1))
    return sorted(years, reverse=True)


def first_office():
    office = Office.objects.order_by("sort_order", "id").first()
    if office is None:
        raise ValueError("区役所が登録されていません。")
    return office


def office_of(params):
    """The office of a job's params (the first office when none is given, as on the command
    line with only --fiscal-year)."""
    pk = params.get("office")
    return Office.objects.get(pk=pk) if pk else first_office()


def fiscal_year_of(params):
    return FiscalYear(int(params.get("fiscal_year") or FiscalYear.current().year))


def default_params(office=None):
    """The current fiscal year of `office` (else the first office); the newest fiscal year
    with answers when the current one has none."""
    if office is None:
        office = first_office()
    elif not isinstance(office, Office):
        office = Office.objects.get(pk=office)
    current = FiscalYear.current().year
    years = answer_years(office)
    year = current if current in years or not years else years[0]
    return {"fiscal_year": year, "office": office.pk}


class SatisfactionForm(ReportForm):
    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int)

    def limit(self, user):
        office = user.office
        years = answer_years(office)
        field = self.fields["fiscal_year"]
        field.choices = [(year, FiscalYear(year).label) for year in years]
        current = FiscalYear.current().year
        field.initial = current if current in years else (years[0] if years else None)
        if not years:
            field.help_text = "アンケートの回答がある年度がありません。"
        if office is None:
            # A user without an office who may see every office (an administrator) chooses
            # whose report it is; anyone else without an office has no office to choose.
            self.fields["office"] = forms.ModelChoiceField(
                label="区役所",
                queryset=office_scope_of(user).apply(Office.objects.order_by("sort_order", "id")),
                empty_label=None,
            )

    def params(self):
        params = super().params()
        if self.user.office is not None:
            params["office"] = self.user.office.pk
        return params


# ---------------------------------------------------------------------------------------------
# Content


def year_surveys(office, fiscal_year):
    """The office's surveys whose period overlaps the fiscal year or that have an answer dated
    in it (paper sheets entered late), oldest first; with their windows (two queries)."""
    span = (fiscal_year.start, fiscal_year.end)
    answered = Response.objects.filter(survey=OuterRef("pk"), submitted_on__range=span)
    return list(
        Survey.objects.for_office(office)
        .filter(
            Q(opens_on__lte=fiscal_year.end, closes_on__gte=fiscal_year.start) | Exists(answered)
        )
        .prefetch_related("windows")
        .order_by("opens_on", "id")
    )


def questions_by_survey(surveys):
    """Each survey's questions in order with their choices, for all surveys at once (two
    queries instead of two per survey)."""
    found = defaultdict(list)
    questions = (
        Question.objects.filter(survey__in=surveys)
        .order_by("survey_id", "order", "id")
        .prefetch_related("choices")
    )
    for question in questions:
        found[question.survey_id].append(question)
    return found


def bar_figures(*, title, labels, values, chart_id, **kwargs):
    """Bar charts of at most CHART_BARS bars each, so that no chart is taller than a page
    (a chart is kept whole on one page); their tables carry every row in one table."""
    labels, values = list(labels), list(values)
    starts = range(0, len(labels), CHART_BARS)
    return [
        charts.bar_figure(
            title=title if len(starts) == 1 else f"{title}（{index}/{len(starts)}）",
            labels=labels[start : start + CHART_BARS],
            values=values[start : start + CHART_BARS],
            chart_id=f"{chart_id}-{index}",
            **kwargs,
        )
        for index, start in enumerate(starts, start=1)
    ]


def _percent_bars(*, title, rows, row_header, chart_id):
    """Bar charts of the share of 満足・やや満足 of the rows that have answers."""
    rows = [row for row in rows if row.satisfaction.count]
    return bar_figures(
        title=title,
        labels=[row.label for row in rows],
        values=[row.satisfaction.percent for row in rows],
        value_header="満足・やや満足の割合",
        unit="%",
        row_header=row_header,
        chart_id=chart_id,
    )


def _month_figure(results):
    fy = results.fiscal_year
    months = results.months
    if not any(row.this_year.count or row.last_year.count for row in months):
        return None
    return charts.line_figure(
        title=f"月別の満足・やや満足の割合（{fy.era_label}と{fy.previous().era_label}）",
        labels=[row.short_label for row in months],
        series=[
            charts.Series(fy.era_label, [row.this_year.percent for row in months]),
            charts.Series(fy.previous().era_label, [row.last_year.percent for row in months]),
        ],
        unit="%",
        row_header="月",
        y_range=(0, 100),
        chart_id="sat-months",
    )


def _question_figures(result, survey_number):
    rows = result.points or result.choices
    if not rows or not result.answered:
        return []
    return bar_figures(
        title=f"Q{result.number} {result.question.text}",
        labels=[row.label for row in rows],
        values=[row.count for row in rows],
        value_header="回答件数",
        unit="件",
        row_header="回答",
        chart_id=f"sat-s{survey_number}-q{result.number}",
    )


def _survey_entries(surveys):
    questions = questions_by_survey(surveys)
    entries = []
    for number, survey in enumerate(surveys, start=1):
        results = analysis.survey_results(survey, questions=questions.get(survey.pk, []))
        entries.append(
            {
                "number": number,
                "survey": survey,
                "results": results,
                "questions": [
                    {
                        "result": result,
                        "figures": _question_figures(result, number),
                        "caption": f"Q{result.number} {result.question.text}（表）",
                    }
                    for result in results.questions
                ],
            }
        )
    return entries


def _voice_statistics(office, fiscal_year):
    """Counts of the year's resident voices by category, month and section (the numbers of
    the voices' statistics page; no voice's text or personal data is read)."""
    data = voices_statistics.voice_statistics_data(
        ResidentVoice.objects.for_office(office), fiscal_year
    )
    figures = []
    if data["total"]:
        figures = bar_figures(
            title=f"{fiscal_year.era_label}の区民の声の受付件数（分類別）",
            labels=[label for label, _, _ in data["by_category"]],
            values=[total for _, _, total in data["by_category"]],
            value_header="受付件数",
            unit="件",
            row_header="分類",
            chart_id="sat-voices",
        )
    return {**data, "figures": figures}


def comparison_sentence(comparison):
    """The comparison in one sentence: this year's share of 満足・やや満足 and its change."""
    this_year, last_year = comparison.this_year.era_label, comparison.last_year.era_label
    this, last, change = comparison.this, comparison.last, comparison.percent_change
    if not this.count:
        return f"{this_year}の満足度の設問への回答はありません。"
    head = (
        f"{this_year}の「満足」「やや満足」の割合は{this.percent:.1f}%（平均{this.mean_value:.2f}）"
    )
    if change is None:
        return f"{head}です（{last_year}の回答はありません）。"
    head = f"{head}で、{last_year}の{last.percent:.1f}%から"
    if change > 0:
        return f"{head}{change:.1f}ポイント上がりました。"
    if change < 0:
        return f"{head}{-change:.1f}ポイント下がりました。"
    return f"{head}変わりませんでした。"


def satisfaction_context(office, fiscal_year):
    surveys = year_surveys(office, fiscal_year)
    if not surveys:
        raise ValueError(
            f"{office.name}には{fiscal_year.label}のアンケートがありません。"
            "--fiscal-year で年度を指定してください。"
        )
    answers = analysis.satisfaction_answers(office)
    results = analysis.office_satisfaction(answers, fiscal_year)
    total, channels, languages = analysis.response_counts(
        Response.objects.for_office(office).filter(
            submitted_on__range=(fiscal_year.start, fiscal_year.end)
        )
    )
    return {
        "title": f"{office.name} {REPORT_NAME}（{fiscal_year.era_label}）",
        "office": office,
        "fiscal_year": fiscal_year,
        "previous_year": fiscal_year.previous(),
        "start": wareki(fiscal_year.start),
        "end": wareki(fiscal_year.end),
        "made_on": wareki(today()),
        "responses": total,
        "channels": channels,
        "languages": languages,
        "results": results,
        "comparison": results.comparison,
        "comparison_sentence": comparison_sentence(results.comparison),
        "windows": [row for row in results.windows if row.satisfaction.count],
        "sections": [row for row in results.sections if row.satisfaction.count],
        "window_figures": _percent_bars(
            title=f"窓口別の満足・やや満足の割合（{fiscal_year.era_label}）",
            rows=results.windows,
            row_header="窓口",
            chart_id="sat-windows",
        ),
        "section_figures": _percent_bars(
            title=f"課別の満足・やや満足の割合（{fiscal_year.era_label}）",
            rows=results.sections,
            row_header="課",
            chart_id="sat-sections",
        ),
        "month_figure": _month_figure(results),
        "surveys": _survey_entries(surveys),
        "voices": _voice_statistics(office, fiscal_year),
    }


def build_satisfaction(params):
    office = office_of(params)
    fiscal_year = fiscal_year_of(params)
    context = satisfaction_context(office, fiscal_year)
    return Built(
        title=context["title"],
        html=render_to_string("feedback/analysis/report.html", context),
        facts={
            "fiscal_year": fiscal_year.year,
            "surveys": len(context["surveys"]),
            "responses": context["responses"],
        },
    )


register(
    ReportKind(
        key=KEY,
        fact_labels={"survey": "アンケート", "surveys": "アンケート数", "responses": "回答者数"},
        label=f"{REPORT_NAME}（区企画調整会議 報告用）",
        description=(
            "年度の満足度（前年度比較、窓口別・課別・月別）、アンケートごとの設問別の回答、"
            "区民の声の分類別の件数。自由記述と個人情報は掲載しません。"
        ),
        build=build_satisfaction,
        office_of=lambda params: office_of(params).pk,
        form=SatisfactionForm,
        default_params=default_params,
        params=(
            Param("fiscal_year", "年度（開始年。例：2026。省略時は今年度）"),
            Param("office", "区役所のID（省略時は最初の区役所）"),
        ),
        permission="feedback.view_results",
        request_permission="portal.request_reports",
        order=50,
    )
)
