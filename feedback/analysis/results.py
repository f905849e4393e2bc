"""Survey results in aggregate: pure functions over querysets, every number counted by the
database (GROUP BY with Avg / Count / Min / Max, TruncMonth), never by looping over answers.

Satisfaction is the mean of the 1–5 points of the satisfaction questions, and the share of
answers of 4 or 5 (満足・やや満足). A response's window is `Response.window` (the window the
resident used); responses without one are grouped as 「窓口の指定なし」.

Two levels:
- the office: `office_satisfaction(answers, fiscal_year)` over `satisfaction_answers(...)`
  filtered by section, window, survey and channel — by window, by section, by month, and this
  fiscal year against the last;
- one survey: `survey_results(survey)` — responses by channel and language, every question's
  distribution, satisfaction by window; `free_text_answers(...)` for the free-text list.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Max, Min, Q
from django.db.models.functions import TruncMonth

from takatsu_portal.accounts.models import Section
from takatsu_portal.core.fiscal import FiscalYear

from ..models import (
    LANGUAGES,
    SATISFACTION_LABELS,
    Answer,
    Question,
    Response,
    ServiceWindow,
)

SATISFIED_FROM = 4  # 4 = やや満足, 5 = 満足
POINTS = [5, 4, 3, 2, 1]
NO_WINDOW = "窓口の指定なし"
NO_SECTION = "課の指定なし（窓口の指定なし）"


@dataclass(frozen=True)
class Satisfaction:
    """Satisfaction over a group of answers."""

    count: int = 0
    mean: Decimal | None = None
    satisfied: int = 0  # answers of 4 or 5

    @classmethod
    def of(cls, values, prefix=""):
        return cls(
            count=values.get(f"{prefix}count") or 0,
            mean=values.get(f"{prefix}mean"),
            satisfied=values.get(f"{prefix}satisfied") or 0,
        )

    @property
    def share(self):
        """The share of 満足・やや満足 as a fraction (None without answers)."""
        return self.satisfied / self.count if self.count else None

    @property
    def percent(self):
        """The share in percent, rounded to one decimal."""
        return round(self.satisfied * 100 / self.count, 1) if self.count else None

    @property
    def mean_value(self):
        """The mean as shown (two decimals, rounded half up as the pages' floatformat does),
        as a float (charts, spreadsheets, differences)."""
        if self.mean is None:
            return None
        return float(Decimal(self.mean).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def satisfaction_aggregates(prefix="", condition=None):
    """Avg / Count / Count(4–5) of `number`, optionally only where `condition` holds."""
    where = condition if condition is not None else Q()
    return {
        f"{prefix}count": Count("number", filter=where),
        f"{prefix}mean": Avg("number", filter=where),
        f"{prefix}satisfied": Count("number", filter=where & Q(number__gte=SATISFIED_FROM)),
    }


@dataclass(frozen=True)
class Row:
    """One row of a table: what it counts (`key`, e.g. a window id), its label, the numbers."""

    key: object
    label: str
    satisfaction: Satisfaction
    detail: str = ""


# ---------------------------------------------------------------------------------------------
# Across the surveys of an office


def satisfaction_answers(
    office,
    *,
    offices=None,
    every_office=True,
    section=None,
    window=None,
    survey=None,
    channel=None,
):
    """The satisfaction answers of the office's surveys, narrowed by the filters. The
    questions are looked up first (one small query), so that the answers are found through
    their question index with the planner knowing how many to expect. `office` None means
    only those of `offices` when given (the city's comparison of offices), else every office
    (a user who may see every office: accounts/scope.py), or none with `every_office` False
    (a user who may see no office's records)."""
    questions = Question.objects.filter(kind=Question.Kind.SATISFACTION)
    if office is not None:
        questions = questions.for_office(office)
    elif offices is not None:
        questions = questions.city_wide("comparison of the offices in the reader's scope").filter(
            survey__office__in=offices
        )
    elif every_office:
        questions = questions.city_wide("accounts.see_every_office")
    else:
        questions = questions.none()
    if survey is not None:
        questions = questions.filter(survey=survey)
    qs = Answer.objects.to_questions(questions).filter(number__isnull=False)
    if section is not None:
        qs = qs.filter(response__window__section=section)
    if window is not None:
        qs = qs.filter(response__window=window)
    if channel:
        qs = qs.filter(response__channel=channel)
    return qs


def in_fiscal_year(answers, fiscal_year):
    return answers.filter(response__submitted_on__range=(fiscal_year.start, fiscal_year.end))


def overall(answers):
    """Satisfaction over all of `answers` (one query)."""
    return Satisfaction.of(answers.aggregate(**satisfaction_aggregates()))


def by_window(answers):
    """Satisfaction per window (in the windows' order; answers without a window last). The
    answers are grouped by window id alone; the windows' names come from a second, small
    query, so that the large GROUP BY carries no text and needs no sort."""
    rows = answers.values("response__window_id").annotate(**satisfaction_aggregates()).order_by()
    found = {row["response__window_id"]: Satisfaction.of(row) for row in rows}
    # The windows the answers in hand refer to (as `response.window` would read them).
    windows = ServiceWindow._base_manager.filter(pk__in=[pk for pk in found if pk is not None])
    windows = windows.select_related("section", "section__department").order_by(
        "section__department__sort_order", "section__sort_order", "sort_order", "id"
    )
    result = [
        Row(key=w.pk, label=w.name, detail=w.section.name, satisfaction=found[w.pk])
        for w in windows
    ]
    if None in found:
        result.append(Row(key=None, label=NO_WINDOW, satisfaction=found[None]))
    return result


def by_section(answers):
    """Satisfaction per section of the window (answers without a window last)."""
    rows = (
        answers.values("response__window__section_id")
        .annotate(**satisfaction_aggregates())
        .order_by()
    )
    found = {row["response__window__section_id"]: Satisfaction.of(row) for row in rows}
    # The sections the answers' windows refer to (as `window.section` would read them).
    sections = Section._base_manager.filter(pk__in=[pk for pk in found if pk is not None])
    sections = sections.select_related("department").order_by(
        "department__sort_order", "sort_order", "id"
    )
    result = [Row(key=s.pk, label=s.name, satisfaction=found[s.pk]) for s in sections]
    if None in found:
        result.append(Row(key=None, label=NO_SECTION, satisfaction=found[None]))
    return result


def month_label(day):
    return f"{day.year}年{day.month}月"


@dataclass(frozen=True)
class MonthRow:
    month: date  # first day of the month in the chosen fiscal year
    this_year: Satisfaction
    last_year: Satisfaction  # the same month a year earlier

    @property
    def label(self):
        return month_label(self.month)

    @property
    def short_label(self):
        return f"{self.month.month}月"


def by_month(answers, fiscal_year):
    """The twelve months of `fiscal_year`, each beside the same month of the year before
    (one query over both years, grouped by TruncMonth of the answer date)."""
    previous = fiscal_year.previous()
    rows = (
        answers.filter(response__submitted_on__range=(previous.start, fiscal_year.end))
        .annotate(month=TruncMonth("response__submitted_on"))
        .values("month")
        .annotate(**satisfaction_aggregates())
        .order_by("month")
    )
    found = {_as_date(row["month"]): Satisfaction.of(row) for row in rows}
    result = []
    for month in fiscal_year.months:
        a_year_before = month.replace(year=month.year - 1)
        result.append(
            MonthRow(
                month=month,
                this_year=found.get(month, Satisfaction()),
                last_year=found.get(a_year_before, Satisfaction()),
            )
        )
    return result


def _as_date(value):
    return value.date() if hasattr(value, "date") and callable(value.date) else value


@dataclass(frozen=True)
class FiscalComparison:
    this_year: FiscalYear
    last_year: FiscalYear
    this: Satisfaction
    last: Satisfaction

    @property
    def mean_change(self):
        if self.this.mean is None or self.last.mean is None:
            return None
        # From the figures shown beside it (3.82 and 3.70 give 0.12), never from the unrounded
        # means, whose difference can round otherwise.
        return round(self.this.mean_value - self.last.mean_value, 2)

    @property
    def percent_change(self):
        if self.this.percent is None or self.last.percent is None:
            return None
        return round(self.this.percent - self.last.percent, 1)

    def rows(self):
        return [
            Row(key=self.this_year.year, label=self.this_year.label, satisfaction=self.this),
            Row(key=self.last_year.year, label=self.last_year.label, satisfaction=self.last),
        ]


def fiscal_comparison(answers, fiscal_year):
    """This fiscal year against the one before, in one query (conditional aggregates)."""
    previous = fiscal_year.previous()
    values = answers.aggregate(
        **satisfaction_aggregates(
            "this_", Q(response__submitted_on__range=(fiscal_year.start, fiscal_year.end))
        ),
        **satisfaction_aggregates(
            "last_", Q(response__submitted_on__range=(previous.start, previous.end))
        ),
    )
    return FiscalComparison(
        this_year=fiscal_year,
        last_year=previous,
        this=Satisfaction.of(values, "this_"),
        last=Satisfaction.of(values, "last_"),
    )


@dataclass
class OfficeSatisfaction:
    fiscal_year: FiscalYear
    comparison: FiscalComparison
    windows: list
    sections: list
    months: list

    @property
    def total(self):
        return self.comparison.this


def office_satisfaction(answers, fiscal_year):
    """Everything the office analysis shows, for `answers` (from satisfaction_answers) in
    `fiscal_year`: four queries whatever the number of answers."""
    in_year = in_fiscal_year(answers, fiscal_year)
    return OfficeSatisfaction(
        fiscal_year=fiscal_year,
        comparison=fiscal_comparison(answers, fiscal_year),
        windows=by_window(in_year),
        sections=by_section(in_year),
        months=by_month(answers, fiscal_year),
    )


# ---------------------------------------------------------------------------------------------
# One survey


@dataclass(frozen=True)
class Tally:
    key: object
    label: str
    count: int
    share: float | None = None  # of the question's answers (or respondents), 0–1

    @property
    def percent(self):
        return round(self.share * 100, 1) if self.share is not None else None


@dataclass
class QuestionResult:
    question: Question
    number: int  # Q1, Q2 … in the survey's order
    answered: int = 0  # responses that answered the question
    satisfaction: Satisfaction | None = None
    points: list = field(default_factory=list)  # Tally per point, 5 → 1
    choices: list = field(default_factory=list)  # Tally per choice (or window), in order
    minimum: Decimal | None = None
    mean: Decimal | None = None
    maximum: Decimal | None = None
    text_count: int = 0

    @property
    def kind(self):
        return self.question.kind


@dataclass
class SurveyResults:
    survey: object
    total: int
    channels: list  # Tally per channel
    languages: list  # Tally per language that has responses
    questions: list  # QuestionResult in order
    satisfaction: Satisfaction
    windows: list  # Row per window


def survey_questions(survey):
    """The survey's questions in order, with their choices (two queries)."""
    return list(survey.questions.order_by("order", "id").prefetch_related("choices"))


def response_counts(responses):
    """Responses by channel and by language, from one GROUP BY over both."""
    rows = responses.values("channel", "language").annotate(count=Count("id")).order_by()
    by_channel, by_language = {}, {}
    for row in rows:  # at most channels × languages aggregated rows
        by_channel[row["channel"]] = by_channel.get(row["channel"], 0) + row["count"]
        by_language[row["language"]] = by_language.get(row["language"], 0) + row["count"]
    total = sum(by_channel.values())
    channels = [
        Tally(value, label, by_channel.get(value, 0), _share(by_channel.get(value, 0), total))
        for value, label in Response.Channel.choices
    ]
    languages = [
        Tally(code, label, by_language[code], _share(by_language[code], total))
        for code, label in LANGUAGES
        if code in by_language
    ]
    return total, channels, languages


def _share(part, whole):
    return part / whole if whole else None


def survey_results(survey, *, questions=None):
    """All the numbers of one survey's analysis page. Queries, each only when the survey has
    questions of that kind: the questions and their choices (2, unless given), responses by
    channel × language, number statistics, free-text counts, choice counts, satisfaction
    points, respondents of multiple-choice questions, window questions, satisfaction overall,
    by window (2) — fixed, whatever the number of answers."""
    questions = survey_questions(survey) if questions is None else questions
    total, channels, languages = response_counts(survey.responses.all())
    kinds = {}
    for question in questions:
        kinds.setdefault(question.kind, []).append(question)
    kind = Question.Kind
    answers = Answer.objects  # by the questions in hand (AnswerQuerySet.to_questions)
    choice_ids = [q.pk for q in kinds.get(kind.SINGLE, []) + kinds.get(kind.MULTIPLE, [])]

    # Numbers (satisfaction points and number answers): from the (question, number) index
    # alone, as only those two columns are read.
    number_ids = kinds.get(kind.SATISFACTION, []) + kinds.get(kind.NUMBER, [])
    stats = {}
    if number_ids:
        rows = (
            answers.to_questions(number_ids)
            .filter(number__isnull=False)
            .values("question_id")
            .annotate(minimum=Min("number"), maximum=Max("number"), **satisfaction_aggregates())
            .order_by()
        )
        stats = {row["question_id"]: row for row in rows}

    texts = {}
    if kinds.get(kind.TEXT):
        rows = (
            answers.to_questions(kinds[kind.TEXT])
            .exclude(text="")
            .values("question_id")
            .annotate(count=Count("id"))
            .order_by()
        )
        texts = {row["question_id"]: row["count"] for row in rows}

    # Choices: counted from the choice index alone (a choice belongs to one question).
    chosen = [c for q in questions if q.pk in choice_ids for c in q.choices.all()]
    choice_of = {c.pk: c.question_id for c in chosen}
    choice_counts = {}
    if choice_of:
        rows = (
            answers.with_choices(chosen)
            .values("choice_id")
            .annotate(count=Count("choice_id"))
            .order_by()
        )
        choice_counts = {(choice_of[r["choice_id"]], r["choice_id"]): r["count"] for r in rows}

    point_counts = {}
    if kinds.get(kind.SATISFACTION):
        rows = (
            answers.to_questions(kinds[kind.SATISFACTION])
            .filter(number__isnull=False)
            .values("question_id", "number")
            .annotate(count=Count("number"))
            .order_by()
        )
        point_counts = {(row["question_id"], int(row["number"])): row["count"] for row in rows}

    # Respondents of a multiple-choice question (the base of its shares): distinct responses.
    respondents = {}
    if kinds.get(kind.MULTIPLE):
        rows = (
            answers.to_questions(kinds[kind.MULTIPLE])
            .values("question_id")
            .annotate(count=Count("response_id", distinct=True))
            .order_by()
        )
        respondents = {row["question_id"]: row["count"] for row in rows}

    # A window question's answer holds the window's name (services.response_submit).
    window_counts = {}
    if kinds.get(kind.WINDOW):
        rows = (
            answers.to_questions(kinds[kind.WINDOW])
            .values("question_id", "text")
            .annotate(count=Count("id"))
            .order_by("-count", "text")
        )
        for row in rows:
            window_counts.setdefault(row["question_id"], []).append(row)

    results = []
    for number, question in enumerate(questions, start=1):
        result = QuestionResult(question=question, number=number)
        row = stats.get(question.pk, {})
        if question.kind == kind.SATISFACTION:
            result.satisfaction = Satisfaction.of(row)
            result.answered = result.satisfaction.count
            labels = SATISFACTION_LABELS["ja"]
            result.points = [
                Tally(
                    point,
                    f"{point} {labels[point - 1]}",
                    point_counts.get((question.pk, point), 0),
                    _share(point_counts.get((question.pk, point), 0), result.answered),
                )
                for point in POINTS
            ]
        elif question.kind == kind.NUMBER:
            result.answered = row.get("count", 0)
            result.minimum = row.get("minimum")
            result.mean = row.get("mean")
            result.maximum = row.get("maximum")
        elif question.kind == kind.TEXT:
            result.answered = texts.get(question.pk, 0)
            result.text_count = result.answered
        elif question.kind in (kind.SINGLE, kind.MULTIPLE):
            counts = [choice_counts.get((question.pk, c.pk), 0) for c in question.choices.all()]
            # One answer per respondent for a single choice: its respondents are the total of
            # the (already counted) choice rows.
            result.answered = (
                respondents.get(question.pk, 0) if question.kind == kind.MULTIPLE else sum(counts)
            )
            result.choices = [
                Tally(
                    choice.pk,
                    choice.text,
                    choice_counts.get((question.pk, choice.pk), 0),
                    _share(choice_counts.get((question.pk, choice.pk), 0), result.answered),
                )
                for choice in question.choices.all()
            ]
        elif question.kind == kind.WINDOW:
            rows = window_counts.get(question.pk, [])
            result.answered = sum(r["count"] for r in rows)
            result.choices = [
                Tally(
                    r["text"],
                    r["text"] or NO_WINDOW,
                    r["count"],
                    _share(r["count"], result.answered),
                )
                for r in rows
            ]
        results.append(result)

    satisfaction_ids = kinds.get(kind.SATISFACTION, [])
    sat_answers = answers.to_questions(satisfaction_ids).filter(number__isnull=False)
    return SurveyResults(
        survey=survey,
        total=total,
        channels=channels,
        languages=languages,
        questions=results,
        satisfaction=overall(sat_answers) if satisfaction_ids else Satisfaction(),
        windows=by_window(sat_answers) if satisfaction_ids else [],
    )


# ---------------------------------------------------------------------------------------------
# Free text


def parse_month(text):
    """ "2026-06" → (first day, last day) of that month, or None."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        return None
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def free_text_answers(survey, *, question=None, window=None, month=None, keyword=""):
    """The non-empty free-text answers of `survey`, newest first, narrowed by question, window
    (the response's), month ("YYYY-MM") and keyword; with what a list shows (question, window,
    and whether the answer is already a resident voice) loaded in the same query."""
    if question is not None:
        questions = [question] if question.survey_id == survey.pk else []
    else:
        questions = survey.questions.filter(kind=Question.Kind.TEXT)
    qs = (
        Answer.objects.to_questions(questions)
        .exclude(text="")
        .select_related("question", "response", "response__window", "voice")
        .order_by("-response__submitted_on", "-id")
    )
    if window is not None:
        qs = qs.filter(response__window=window)
    span = parse_month(month) if month else None
    if span is not None:
        qs = qs.filter(response__submitted_on__range=span)
    keyword = (keyword or "").strip()
    if keyword:
        qs = qs.filter(text__icontains=keyword)
    return qs
