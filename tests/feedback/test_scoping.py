"""The office-scope guard on a survey's questions, choices, responses and answers (issue 15):
in a request, a query of them that no office scopes raises; the pages that read them answer
for their own office and give 404 for another office's id.

The views below are added to the portal's URLs for these tests only."""

import datetime

import pytest
from django.http import HttpResponse
from django.urls import path, reverse

from feedback.models import Answer, Choice, Question, Response
from feedback.surveys.forms import BaseChoiceFormSet
from takatsu_portal.core.scoping import UnscopedQueryError
from takatsu_portal.urls import urlpatterns as portal_urlpatterns

from .factories import (
    AnswerFactory,
    ChoiceFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
)
from .surveys.test_surveys import choice_rows, question_data

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

MODELS = {"question": Question, "choice": Choice, "response": Response, "answer": Answer}


def unscoped(request, model, pk):
    # A hand-typed id is not a scope.
    return HttpResponse(str(MODELS[model].objects.filter(pk=pk).count()))


def scoped(request, model, pk):
    rows = MODELS[model].objects.for_office(request.user.office).filter(pk=pk)
    return HttpResponse(str(rows.count()))


def answers_of_held_questions(request, pk):
    # The answers to questions loaded through a scoped query (AnswerQuerySet.to_questions).
    questions = Question.objects.for_office(request.user.office).filter(survey_id=pk)
    return HttpResponse(str(Answer.objects.to_questions(list(questions)).count()))


def answers_of_unscoped_questions(request, pk):
    return HttpResponse(str(Answer.objects.to_questions(Question.objects.filter(pk=pk)).count()))


def answers_of_question_ids(request, pk):
    return HttpResponse(str(Answer.objects.to_questions([pk]).count()))


urlpatterns = [
    *portal_urlpatterns,
    path("guard/<str:model>/<int:pk>/unscoped/", unscoped),
    path("guard/<str:model>/<int:pk>/scoped/", scoped),
    path("guard/held/<int:pk>/", answers_of_held_questions),
    path("guard/unscoped-questions/<int:pk>/", answers_of_unscoped_questions),
    path("guard/question-ids/<int:pk>/", answers_of_question_ids),
]


def _answered(survey):
    """A single-choice question and a free-text question of `survey`, one response with an
    answer to each."""
    single = QuestionFactory(survey=survey, kind=Question.Kind.SINGLE, text="ご用件")
    choice = ChoiceFactory(question=single, order=1, text="転入の届出")
    text = QuestionFactory(survey=survey, kind=Question.Kind.TEXT, text="ご意見をどうぞ")
    response = ResponseFactory(survey=survey, submitted_on=datetime.date(2026, 6, 1))
    chosen = AnswerFactory(response=response, question=single, choice=choice)
    written = AnswerFactory(response=response, question=text, text=f"{survey.office.name}の案内")
    return {"question": single, "choice": choice, "response": response, "answer": chosen} | {
        "text": written
    }


@pytest.fixture
def ours(survey):
    return _answered(survey)


@pytest.fixture
def theirs(stranger):
    return _answered(SurveyFactory(office=stranger.office, created_by=stranger))


@pytest.mark.parametrize("model", sorted(MODELS))
def test_an_unscoped_query_of_a_surveys_records_raises_in_a_request(
    client, people, ours, theirs, model
):
    client.force_login(people.subcommittee)
    with pytest.raises(UnscopedQueryError, match=rf"feedback\.{MODELS[model].__name__}"):
        client.get(f"/guard/{model}/{ours[model].pk}/unscoped/")
    # Scoped by the user's office: their own row, not the other ward's.
    assert client.get(f"/guard/{model}/{ours[model].pk}/scoped/").content == b"1"
    assert client.get(f"/guard/{model}/{theirs[model].pk}/scoped/").content == b"0"


def test_answers_to_questions_in_hand_are_scoped_as_the_questions_are(
    client, people, survey, ours, theirs
):
    client.force_login(people.subcommittee)
    assert client.get(f"/guard/held/{survey.pk}/").content == b"2"
    assert client.get(f"/guard/held/{theirs['question'].survey_id}/").content == b"0"
    with pytest.raises(UnscopedQueryError, match=r"feedback\.Question"):
        client.get(f"/guard/unscoped-questions/{ours['question'].pk}/")
    with pytest.raises(TypeError):  # an id is not a question in hand
        client.get(f"/guard/question-ids/{ours['question'].pk}/")


def _unanswered_question(office, author):
    survey = SurveyFactory(office=office, created_by=author)  # no answers: still editable
    question = QuestionFactory(survey=survey, kind=Question.Kind.SINGLE, text="ご用件")
    return question, ChoiceFactory(question=question, order=1, text=f"{office.name}の手続き")


def test_a_question_and_its_choices_are_edited_in_their_own_office_only(
    client, people, office, stranger
):
    # Question and Choice: the question editor reads the question and its choices (formset).
    question, choice = _unanswered_question(office, people.subcommittee)
    other, _ = _unanswered_question(stranger.office, stranger)
    client.force_login(people.manager)
    url = reverse("feedback:question_edit", args=[question.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert choice.text in response.content.decode()
    assert list(response.context["formset"].get_queryset()) == [choice]
    assert client.get(reverse("feedback:question_edit", args=[other.pk])).status_code == 404


def test_a_surveys_responses_are_counted_and_exported_in_their_own_office_only(
    client, people, survey, ours, theirs
):
    # Response: the analysis counts them, the export lists them.
    client.force_login(people.subcommittee)
    analysis = client.get(reverse("feedback:survey_analysis", args=[survey.pk]))
    assert analysis.status_code == 200 and analysis.context["total"] == 1
    export = client.get(reverse("feedback:survey_responses_export_csv", args=[survey.pk]))
    assert export.status_code == 200
    assert str(ours["response"].pk) in export.content.decode("utf-8-sig")
    other = theirs["response"].survey_id
    assert client.get(reverse("feedback:survey_analysis", args=[other])).status_code == 404
    export_url = reverse("feedback:survey_responses_export_csv", args=[other])
    assert client.get(export_url).status_code == 404


def test_free_text_answers_are_read_in_their_own_office_only(
    client, people, survey, office, ours, theirs
):
    # Answer: the free-text list, and a voice recorded from one answer by its id.
    client.force_login(people.manager)
    page = client.get(reverse("feedback:survey_free_text", args=[survey.pk]))
    assert page.status_code == 200
    assert [a.text for a in page.context["page_obj"].object_list] == [ours["text"].text]
    other = theirs["text"].response.survey_id
    assert client.get(reverse("feedback:survey_free_text", args=[other])).status_code == 404
    create = reverse("feedback:voice_create")
    form = client.get(f"{create}?answer={ours['text'].pk}")
    assert form.status_code == 200
    assert form.context["form"]["body"].value() == f"{office.name}の案内"
    assert client.get(f"{create}?answer={theirs['text'].pk}").status_code == 404


def test_a_choice_row_of_another_wards_question_is_refused_and_left_alone(
    client, people, office, stranger
):
    question, _ = _unanswered_question(office, people.subcommittee)
    _, theirs = _unanswered_question(stranger.office, stranger)
    client.force_login(people.manager)
    data = question_data(text="ご用件（改）")
    data.update(choice_rows(existing=[theirs]))
    data["choices-0-text"] = "書き換え"
    response = client.post(reverse("feedback:question_edit", args=[question.pk]), data)
    assert response.status_code == 200  # the form again, with the row's error
    assert response.context["formset"].errors[0]["id"] == [BaseChoiceFormSet.row_gone]
    assert BaseChoiceFormSet.row_gone in response.content.decode()
    theirs.refresh_from_db()
    question.refresh_from_db()
    assert (theirs.text, theirs.question.survey.office) == (
        f"{stranger.office.name}の手続き",
        stranger.office,
    )
    assert question.text == "ご用件"
