"""The indicator source feedback registers with the floor: the share of satisfied answers of a
satisfaction question, named by its id as text, counted at one section's windows or in one
office."""

import datetime
from decimal import Decimal

import pytest

from feedback.analysis.indicators import SURVEY_SATISFACTION
from feedback.models import Question
from takatsu_portal.core import indicators
from tests.factories import DepartmentFactory, SectionFactory
from tests.feedback.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db

PERIOD = {"starts_on": datetime.date(2026, 4, 1), "ends_on": datetime.date(2026, 6, 30)}


@pytest.fixture
def question(office, people, sections):
    survey = SurveyFactory(office=office, created_by=people.subcommittee)
    question = QuestionFactory(survey=survey, kind=Question.Kind.SATISFACTION)
    kumin, hoken = WindowFactory(section=sections.kumin), WindowFactory(section=sections.hoken)
    for points, window in ((5, kumin), (2, kumin), (4, hoken), (4, hoken)):
        response = ResponseFactory(
            survey=survey, window=window, submitted_on=datetime.date(2026, 5, 10)
        )
        AnswerFactory(response=response, question=question, number=points)
    return question


def test_the_source_is_registered_with_a_text_ref_and_office_options(office, question, stranger):
    source = indicators.get(SURVEY_SATISFACTION)
    assert source.unit == "%" and source.per_section
    assert [str(q.pk) for q in source.options(office)] == [str(question.pk)]
    assert list(source.options(stranger.office)) == []
    assert indicators.choices(office)[0][1][0][0] == f"{SURVEY_SATISFACTION}:{question.pk}"


def test_the_share_counts_one_sections_windows_or_the_whole_office(office, question, sections):
    ref = str(question.pk)
    source = indicators.get(SURVEY_SATISFACTION)
    assert source.value(ref, section=sections.kumin, **PERIOD) == Decimal("50.0")
    assert source.value(ref, section=sections.hoken, office=office, **PERIOD) == Decimal("100.0")
    assert source.value(ref, office=office, **PERIOD) == Decimal("75.0")
    elsewhere = SectionFactory(department=DepartmentFactory())
    assert source.value(ref, section=elsewhere, **PERIOD) is None
    assert source.value("no-such-question", office=office, **PERIOD) is None
