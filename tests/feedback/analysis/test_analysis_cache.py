"""A survey's analysis (the same numbers for everyone who may read them) is computed once and
kept in the cache until an answer comes in or the survey, its questions or windows change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import Question
from tests.feedback.factories import AnswerFactory, QuestionFactory, ResponseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(survey):
    return QuestionFactory(survey=survey, kind=Question.Kind.NUMBER, text="待ち時間（分）")


def answer(survey, question, minutes):
    response = ResponseFactory(survey=survey)
    AnswerFactory(response=response, question=question, number=minutes)


def analysis(client, user, survey):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("feedback:survey_analysis", args=[survey.pk]))
    assert response.status_code == 200
    answer_queries = [q for q in captured.captured_queries if "feedback_answer" in q["sql"]]
    # The number of respondents the page shows (its body may come from the kept copy).
    return response.context["total"], answer_queries


def test_the_numbers_are_computed_once_for_everyone(client, people, survey, question):
    answer(survey, question, 10)
    first, computed = analysis(client, people.subcommittee, survey)
    second, cached = analysis(client, people.manager, survey)
    assert first == second == 1
    assert computed
    assert cached == []


def test_a_new_answer_is_counted_at_once(client, people, survey, question):
    answer(survey, question, 10)
    assert analysis(client, people.subcommittee, survey)[0] == 1
    answer(survey, question, 30)
    total, computed = analysis(client, people.subcommittee, survey)
    assert total == 2
    assert computed


def test_a_question_added_before_any_answer_is_shown_at_once(client, people, survey, question):
    from feedback.surveys.services import question_save

    analysis(client, people.subcommittee, survey)
    added = Question(survey=survey, order=2, kind=Question.Kind.NUMBER, text="同伴者の人数")
    question_save(question=added, by=people.subcommittee)
    client.force_login(people.subcommittee)
    page = client.get(reverse("feedback:survey_analysis", args=[survey.pk])).content.decode()
    assert "同伴者の人数" in page


def test_the_newest_response_of_each_survey_is_found_among_others_answers(survey, question):
    from feedback.models import Response
    from tests.feedback.factories import SurveyFactory

    other = SurveyFactory(office=survey.office)
    assert Response.objects.newest_id(survey) is None
    mine = [ResponseFactory(survey=survey).pk for _ in range(2)]
    theirs = ResponseFactory(survey=other).pk
    assert Response.objects.newest_id(survey) == max(mine)
    assert Response.objects.newest_id(other) == theirs
