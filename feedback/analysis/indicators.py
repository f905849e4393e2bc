"""What feedback measures for the indicators of plan projects: the share of satisfied answers
(満足・やや満足) of a satisfaction question, registered with the floor's indicator sources so
that the plans app reads it without importing feedback."""

from decimal import Decimal

from django.db.models import Count, Q

from takatsu_portal.core import indicators

from ..models import Answer, Question
from .results import SATISFIED_FROM

SURVEY_SATISFACTION = "survey_satisfaction"


def _id(ref):
    try:
        return int(ref)
    except (TypeError, ValueError):
        return None


def satisfied_share(ref, *, section=None, office=None, starts_on, ends_on):
    """The share (%) of satisfied answers (SATISFIED_FROM or more of 5) to the question `ref`
    (its id, as text) among the responses of the period at the windows of `section` (else of
    `office`, else everywhere); None without any answer or for a ref that names no question.
    One aggregate query."""
    question_id = _id(ref)
    if question_id is None:
        return None
    if office is not None:
        answers = Answer.objects.for_office(office)
    else:
        answers = Answer.objects.city_wide("every office's, for the city")
    answers = answers.filter(
        question_id=question_id,
        number__isnull=False,
        response__submitted_on__range=(starts_on, ends_on),
    )
    if section is not None:
        answers = answers.filter(response__window__section=section)
    totals = answers.aggregate(
        all=Count("id"), satisfied=Count("id", filter=Q(number__gte=SATISFIED_FROM))
    )
    if not totals["all"]:
        return None
    return (Decimal(totals["satisfied"]) * 100 / totals["all"]).quantize(Decimal("0.1"))


def satisfaction_questions(office):
    return (
        Question.objects.for_office(office)
        .filter(kind=Question.Kind.SATISFACTION)
        .select_related("survey")
    )


indicators.register(
    indicators.IndicatorSource(
        key=SURVEY_SATISFACTION,
        label="アンケートの「満足・やや満足」の割合",
        unit="%",
        value=satisfied_share,
        options=satisfaction_questions,
        option_label=lambda question: f"{question.survey.title}：{question.text}",
    )
)
