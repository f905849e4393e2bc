"""Surveys and their questions: list, create, detail, edit (concurrent edits), questions with
choices and translations, locking once answered, copying; who may and who may not."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from feedback.models import Choice, Question, Response, Survey
from feedback.surveys import services as surveys_services
from tests.feedback.factories import (
    AnswerFactory,
    ChoiceFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("feedback:survey_list")
CREATE = reverse("feedback:survey_create")
LOCKED = "回答があるため質問は変更できません。複製して新しいアンケートを作成してください。"
MANAGE_REFUSAL = "アンケートを作成・編集できるのは推進部会の委員と課長です。"


def detail(survey):
    return reverse("feedback:survey_detail", args=[survey.pk])


def edit(survey):
    return reverse("feedback:survey_edit", args=[survey.pk])


def copy(survey):
    return reverse("feedback:survey_copy", args=[survey.pk])


def question_create(survey):
    return reverse("feedback:question_create", args=[survey.pk])


def question_edit(question):
    return reverse("feedback:question_edit", args=[question.pk])


def question_delete(question):
    return reverse("feedback:question_delete", args=[question.pk])


def question_move(question):
    return reverse("feedback:question_move", args=[question.pk])


def survey_data(survey=None, windows=(), **overrides):
    data = {
        "title": survey.title if survey else "転入手続きアンケート",
        "introduction": survey.introduction if survey else "転入手続きについてお聞かせください。",
        "opens_on": str(survey.opens_on) if survey else "2026-05-01",
        "closes_on": str(survey.closes_on) if survey else "2026-07-31",
        "windows": [w.pk for w in windows],
        "title_en": "Moving-in survey",
        "introduction_en": "",
        "title_ja_easy": "",
        "introduction_ja_easy": "",
    }
    if survey is not None:
        data["version"] = survey.version
    data.update(overrides)
    return data


def choice_rows(*texts, existing=()):
    """The management form and rows of the choices formset: existing choices first."""
    rows = list(existing) + [None] * len(texts)
    data = {
        "choices-TOTAL_FORMS": str(len(existing) + len(texts)),
        "choices-INITIAL_FORMS": str(len(existing)),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for index, choice in enumerate(existing):
        data[f"choices-{index}-id"] = str(choice.pk)
        data[f"choices-{index}-text"] = choice.text
        data[f"choices-{index}-order"] = str(choice.order)
    for offset, text in enumerate(texts):
        index = len(existing) + offset
        data[f"choices-{index}-text"] = text
        data[f"choices-{index}-order"] = ""
    assert len(rows) == int(data["choices-TOTAL_FORMS"])
    return data


def question_data(kind="single", text="ご用件は何でしたか。", **overrides):
    data = {
        "kind": kind,
        "text": text,
        "help_text": "",
        "required": "on",
        "min_value": "",
        "max_value": "",
        **choice_rows(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def answered(survey):
    """The survey with one answer: its questions are locked."""
    question = QuestionFactory(survey=survey, order=1, kind=Question.Kind.SATISFACTION)
    AnswerFactory(response=ResponseFactory(survey=survey), question=question, number=4)
    return question


# ---------------------------------------------------------------------------------------------
# List


def test_staff_see_the_surveys_with_status_and_response_count(client, people, office, survey):
    today = timezone.localdate()
    survey.opens_on, survey.closes_on = today - datetime.timedelta(days=5), today
    survey.save()
    ResponseFactory.create_batch(3, survey=survey, submitted_on=today)
    SurveyFactory(
        office=office,
        title="来年のアンケート",
        opens_on=today + datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )
    SurveyFactory(
        office=office,
        title="昨年のアンケート",
        opens_on=today - datetime.timedelta(days=400),
        closes_on=today - datetime.timedelta(days=300),
    )
    client.force_login(people.staff)
    html = client.get(LIST).content.decode()
    assert "窓口サービス満足度アンケート" in html and "3件" in html
    assert "実施中" in html and "準備中" in html and "終了" in html
    assert "アンケートを作成する" not in html
    filtered = client.get(LIST, {"status": "preparing"}).content.decode()
    assert "来年のアンケート" in filtered
    assert "昨年のアンケート" not in filtered and "窓口サービス満足度アンケート" not in filtered
    assert "昨年のアンケート" in client.get(LIST, {"status": "closed"}).content.decode()


def test_the_list_offers_creation_to_those_who_may(client, people, survey):
    client.force_login(people.manager)
    assert "アンケートを作成する" in client.get(LIST).content.decode()


def test_another_offices_surveys_are_not_listed(client, stranger, survey):
    client.force_login(stranger)
    assert "窓口サービス満足度アンケート" not in client.get(LIST).content.decode()


@pytest.mark.parametrize("count", [10, 200])
def test_the_list_runs_a_fixed_number_of_queries(
    client, people, office, count, django_assert_max_num_queries
):
    surveys = Survey.objects.bulk_create(
        Survey(
            office=office,
            title=f"アンケート{i}",
            opens_on=datetime.date(2026, 4, 1),
            closes_on=datetime.date(2026, 6, 30),
            created_by=people.subcommittee,
            token=f"token-{count}-{i}",
        )
        for i in range(count)
    )
    Response.objects.bulk_create(
        Response(
            survey=s,
            submitted_on=datetime.date(2026, 5, 1),
            channel="web",
            submission_key=f"k{s.pk}",
        )
        for s in surveys
    )
    client.force_login(people.staff)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


# ---------------------------------------------------------------------------------------------
# Create


def test_the_subcommittee_creates_a_survey_with_windows_and_translations(
    client, people, office, windows
):
    client.force_login(people.subcommittee)
    response = client.post(CREATE, survey_data(windows=[windows.jumin]))
    survey = Survey.objects.get(title="転入手続きアンケート")
    assert response.status_code == 302 and response.url == detail(survey)
    assert survey.office == office and survey.created_by == people.subcommittee
    assert list(survey.windows.all()) == [windows.jumin]
    assert survey.translations == {"en": {"title": "Moving-in survey"}}
    assert survey.version == 1
    assert len(survey.token) >= 16


def test_a_manager_creates_a_survey(client, people):
    client.force_login(people.manager)
    assert client.post(CREATE, survey_data()).status_code == 302
    assert Survey.objects.filter(title="転入手続きアンケート").exists()


def test_the_create_form_starts_today_for_three_months(client, people):
    client.force_login(people.subcommittee)
    html = client.get(CREATE).content.decode()
    today = timezone.localdate()
    assert f'value="{today:%Y-%m-%d}"' in html
    assert f'value="{surveys_services.add_months(today, 3):%Y-%m-%d}"' in html
    assert "English" in html and "やさしい日本語" in html


def test_a_survey_must_close_after_it_opens(client, people):
    client.force_login(people.subcommittee)
    response = client.post(CREATE, survey_data(opens_on="2026-07-01", closes_on="2026-06-30"))
    assert response.status_code == 200
    assert "終了日は開始日以降の日付にしてください。" in response.content.decode()
    assert not Survey.objects.filter(title="転入手続きアンケート").exists()


def test_another_offices_window_cannot_be_chosen(client, people, stranger):
    foreign = WindowFactory(section=stranger.section, name="宮前の窓口")
    client.force_login(people.subcommittee)
    response = client.post(CREATE, survey_data(windows=[foreign]))
    assert response.status_code == 200
    assert not Survey.objects.filter(title="転入手続きアンケート").exists()


@pytest.mark.parametrize("who", ["staff", "lead", "council", "admin"])
def test_others_may_not_create_surveys(client, people, who):
    client.force_login(getattr(people, who))
    response = client.get(CREATE)
    assert response.status_code == 403
    assert MANAGE_REFUSAL in response.content.decode()
    assert client.post(CREATE, survey_data()).status_code == 403


def test_survey_create_service_checks_the_office(stranger, office):
    with pytest.raises(PermissionDenied):
        surveys_services.survey_create(
            office=office,
            by=stranger,
            title="x",
            opens_on=datetime.date(2026, 4, 1),
            closes_on=datetime.date(2026, 4, 2),
        )


# ---------------------------------------------------------------------------------------------
# Detail


def test_the_detail_shows_questions_windows_public_address_and_poster(
    client, people, survey, settings
):
    settings.PORTAL_PUBLIC_BASE_URL = "https://portal.example.jp"
    question = QuestionFactory(
        survey=survey,
        kind=Question.Kind.SINGLE,
        text="ご用件は何でしたか。",
        translations={"en": {"text": "What did you come for?"}},
    )
    ChoiceFactory(question=question, text="転入・転出")
    client.force_login(people.staff)
    html = client.get(detail(survey)).content.decode()
    assert f"https://portal.example.jp/s/{survey.token}/" in html
    assert reverse("feedback:survey_poster", args=[survey.pk]) in html
    assert "住民記録窓口" in html and "国民健康保険窓口" in html
    assert "ご用件は何でしたか。" in html and "転入・転出" in html
    assert "翻訳：English" in html
    assert "回答 0件" in html
    assert LOCKED not in html
    # Staff read; they are offered no editing.
    assert edit(survey) not in html and question_edit(question) not in html


@pytest.mark.parametrize(
    ("address", "warned"),
    [("http://127.0.0.1:8000", True), ("https://enquete.takatsu.example.jp", False)],
)
def test_the_detail_warns_when_the_poster_would_point_at_this_computer(
    client, people, survey, settings, address, warned
):
    settings.PORTAL_PUBLIC_BASE_URL = address
    client.force_login(people.staff)
    html = client.get(detail(survey)).content.decode()
    assert ("このアドレスはこのコンピューターの中だけを指しています" in html) is warned


@pytest.mark.parametrize(
    ("setting", "own", "warned"),
    [
        ("http://127.0.0.1:8000", "https://enquete.takatsu.example.jp", False),
        ("https://enquete.city.example.jp", "http://localhost:8000", True),
    ],
)
def test_the_warning_reads_the_address_the_offices_poster_prints(
    client, people, survey, settings, setting, own, warned
):
    """A ward with its own public address (Office.public_base_url) prints that one on its
    posters: the warning is about it, not about PORTAL_PUBLIC_BASE_URL."""
    settings.PORTAL_PUBLIC_BASE_URL = setting
    survey.office.public_base_url = own
    survey.office.save()
    client.force_login(people.staff)
    html = client.get(detail(survey)).content.decode()
    assert own in html
    assert ("このアドレスはこのコンピューターの中だけを指しています" in html) is warned


def test_the_detail_offers_question_editing_to_a_manager(client, people, survey):
    question = QuestionFactory(survey=survey)
    client.force_login(people.manager)
    html = client.get(detail(survey)).content.decode()
    assert question_edit(question) in html and question_create(survey) in html


def test_the_detail_of_an_answered_survey_says_it_is_locked(client, people, survey, answered):
    client.force_login(people.subcommittee)
    html = client.get(detail(survey)).content.decode()
    assert LOCKED in html
    assert "回答 1件" in html
    assert question_edit(answered) not in html
    assert copy(survey) in html


def test_another_offices_survey_is_not_found(client, stranger, survey):
    client.force_login(stranger)
    assert client.get(detail(survey)).status_code == 404
    assert client.get(edit(survey)).status_code == 404
    assert client.post(copy(survey)).status_code == 404
    assert client.get(question_create(survey)).status_code == 404


# ---------------------------------------------------------------------------------------------
# Edit


def test_the_subcommittee_edits_a_survey(client, people, survey, windows):
    client.force_login(people.subcommittee)
    response = client.post(
        edit(survey),
        survey_data(
            survey, windows=[windows.hoken], title="満足度アンケート（改）", title_en="Survey"
        ),
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.title == "満足度アンケート（改）"
    assert list(survey.windows.all()) == [windows.hoken]
    assert survey.translations == {"en": {"title": "Survey"}}
    assert survey.version == 2


def test_an_answered_survey_may_still_get_a_longer_period(client, people, survey, answered):
    client.force_login(people.manager)
    response = client.post(edit(survey), survey_data(survey, closes_on="2027-06-30"))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.closes_on == datetime.date(2027, 6, 30)


def test_a_second_editor_is_told_of_the_first_ones_save(client, people, survey):
    client.force_login(people.subcommittee)
    stale = survey_data(survey, title="後から保存")
    client.post(edit(survey), survey_data(survey, title="先に保存"))
    response = client.post(edit(survey), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "他の人が先に保存した変更" in html
    survey.refresh_from_db()
    assert survey.title == "先に保存"
    # Saving again after seeing the change is a deliberate overwrite.
    current = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert current == "2"
    client.post(edit(survey), {**stale, "version": current})
    survey.refresh_from_db()
    assert survey.title == "後から保存"


@pytest.mark.parametrize("who", ["staff", "council", "lead"])
def test_others_may_not_edit_a_survey(client, people, survey, who):
    client.force_login(getattr(people, who))
    assert client.get(edit(survey)).status_code == 403
    assert client.post(edit(survey), survey_data(survey, title="x")).status_code == 403
    survey.refresh_from_db()
    assert survey.title == "窓口サービス満足度アンケート"


# ---------------------------------------------------------------------------------------------
# Questions


def test_a_manager_adds_a_question_with_choices_and_translations(client, people, survey):
    client.force_login(people.manager)
    response = client.post(
        question_create(survey),
        question_data(
            text="ご用件は何でしたか。",
            help_text="一つ選んでください。",
            text_en="What did you come for?",
            help_text_en="",
            choices_en="Moving\n\nCertificates",
            **choice_rows("転入・転出", "住民票", "証明書"),
        ),
    )
    question = Question.objects.get(survey=survey)
    assert response.status_code == 302
    assert response.url == f"{detail(survey)}#question-{question.pk}"
    assert question.kind == "single" and question.required and question.order == 1
    assert question.translations == {"en": {"text": "What did you come for?"}}
    choices = list(question.choices.order_by("order"))
    assert [c.text for c in choices] == ["転入・転出", "住民票", "証明書"]
    assert [c.translations for c in choices] == [
        {"en": {"text": "Moving"}},
        {},
        {"en": {"text": "Certificates"}},
    ]


def test_new_questions_go_last(client, people, survey):
    QuestionFactory(survey=survey, order=1)
    QuestionFactory(survey=survey, order=2)
    client.force_login(people.subcommittee)
    client.post(question_create(survey), question_data(kind="text", text="ご意見"))
    assert Question.objects.get(text="ご意見").order == 3


def test_a_choice_question_needs_two_choices(client, people, survey):
    client.force_login(people.subcommittee)
    response = client.post(question_create(survey), question_data(**choice_rows("一つだけ")))
    assert response.status_code == 200
    assert "選択肢を二つ以上入力してください。" in response.content.decode()
    assert not Question.objects.exists()


def test_more_translated_lines_than_choices_are_refused(client, people, survey):
    client.force_login(people.subcommittee)
    response = client.post(
        question_create(survey), question_data(choices_en="A\nB\nC", **choice_rows("甲", "乙"))
    )
    assert response.status_code == 200
    assert "選択肢の数（2）より多くなっています" in response.content.decode()
    assert not Question.objects.exists()


def test_a_number_question_keeps_its_range_and_checks_it(client, people, survey):
    client.force_login(people.subcommittee)
    bad = client.post(
        question_create(survey), question_data(kind="number", min_value="10", max_value="5")
    )
    assert "最大値は最小値以上にしてください。" in bad.content.decode()
    client.post(
        question_create(survey),
        question_data(kind="number", text="待ち時間（分）", min_value="0", max_value="600"),
    )
    question = Question.objects.get(text="待ち時間（分）")
    assert (question.min_value, question.max_value) == (0, 600)


def test_a_survey_has_at_most_one_window_question(client, people, survey):
    QuestionFactory(survey=survey, kind=Question.Kind.WINDOW, text="窓口")
    client.force_login(people.subcommittee)
    response = client.post(question_create(survey), question_data(kind="window", text="窓口2"))
    assert response.status_code == 200
    assert "一つのアンケートに一つだけ" in response.content.decode()


def test_adding_a_choice_row_redraws_the_form(client, people, survey):
    client.force_login(people.subcommittee)
    data = question_data(**choice_rows("甲", "乙"))
    response = client.post(question_create(survey), {**data, "add_choice": "1"})
    assert response.status_code == 200
    assert 'name="choices-2-text"' in response.content.decode()
    assert not Question.objects.exists()


def test_editing_a_question_updates_reorders_and_deletes_choices(client, people, survey):
    question = QuestionFactory(survey=survey, kind=Question.Kind.SINGLE, text="ご用件")
    first = ChoiceFactory(question=question, order=1, text="甲")
    second = ChoiceFactory(
        question=question, order=2, text="乙", translations={"en": {"text": "B"}}
    )
    third = ChoiceFactory(question=question, order=3, text="丙")
    client.force_login(people.manager)
    form = client.get(question_edit(question)).content.decode()
    assert "\n\nB</textarea>" in form or "\nB</textarea>" in form
    data = question_data(text="ご用件（改）", choices_en="B2\nA2\nD2")
    data.update(choice_rows("丁", existing=[first, second, third]))
    data["choices-0-order"] = "2"
    data["choices-1-order"] = "1"
    data["choices-2-DELETE"] = "on"
    response = client.post(question_edit(question), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "ご用件（改）"
    rows = list(question.choices.order_by("order").values_list("pk", "text", "translations"))
    assert [r[1] for r in rows] == ["乙", "甲", "丁"]
    assert rows[0][0] == second.pk and rows[1][0] == first.pk
    assert [r[2] for r in rows] == [
        {"en": {"text": "B2"}},
        {"en": {"text": "A2"}},
        {"en": {"text": "D2"}},
    ]
    assert not Choice.objects.filter(pk=third.pk).exists()


def test_questions_move_up_and_down(client, people, survey):
    one = QuestionFactory(survey=survey, order=1, text="一")
    two = QuestionFactory(survey=survey, order=2, text="二")
    three = QuestionFactory(survey=survey, order=3, text="三")
    client.force_login(people.subcommittee)
    client.post(question_move(three), {"direction": "up"})
    assert list(survey.questions.order_by("order").values_list("text", flat=True)) == [
        "一",
        "三",
        "二",
    ]
    client.post(question_move(one), {"direction": "down"})
    assert list(survey.questions.order_by("order").values_list("text", flat=True)) == [
        "三",
        "一",
        "二",
    ]
    # Past the end nothing moves.
    client.post(question_move(two), {"direction": "down"})
    assert list(survey.questions.order_by("order").values_list("text", flat=True)) == [
        "三",
        "一",
        "二",
    ]


def test_moving_needs_a_post(client, people, survey):
    question = QuestionFactory(survey=survey)
    client.force_login(people.subcommittee)
    assert client.get(question_move(question)).status_code == 405
    assert client.get(question_delete(question)).status_code == 405


def test_a_question_is_deleted_and_the_rest_renumbered(client, people, survey):
    one = QuestionFactory(survey=survey, order=1, text="一")
    two = QuestionFactory(survey=survey, order=2, text="二")
    client.force_login(people.manager)
    response = client.post(question_delete(one))
    assert response.status_code == 302
    assert not Question.objects.filter(pk=one.pk).exists()
    two.refresh_from_db()
    assert two.order == 1


@pytest.mark.parametrize("who", ["staff", "council", "lead", "admin"])
def test_others_may_not_change_questions(client, people, survey, who):
    question = QuestionFactory(survey=survey, text="元の質問")
    client.force_login(getattr(people, who))
    assert client.get(question_create(survey)).status_code == 403
    assert client.get(question_edit(question)).status_code == 403
    assert client.post(question_edit(question), question_data(kind="text")).status_code == 403
    assert client.post(question_delete(question)).status_code == 403
    assert client.post(question_move(question), {"direction": "up"}).status_code == 403
    assert Question.objects.get(pk=question.pk).text == "元の質問"


def test_another_offices_question_is_not_found(client, stranger, survey):
    question = QuestionFactory(survey=survey)
    client.force_login(stranger)
    assert client.get(question_edit(question)).status_code == 404
    assert client.post(question_delete(question)).status_code == 404
    assert client.post(question_move(question), {"direction": "up"}).status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()


# ---------------------------------------------------------------------------------------------
# Locked once answered


def test_no_question_may_be_added_once_answered(client, people, survey, answered):
    client.force_login(people.subcommittee)
    for response in (
        client.get(question_create(survey), follow=True),
        client.post(question_create(survey), question_data(kind="text"), follow=True),
    ):
        assert LOCKED in response.content.decode()
    assert survey.questions.count() == 1


def test_no_question_may_be_edited_deleted_or_moved_once_answered(client, people, survey, answered):
    client.force_login(people.subcommittee)
    response = client.get(question_edit(answered))
    assert response.status_code == 302 and response.url == detail(survey)
    response = client.post(
        question_edit(answered), question_data(kind="text", text="変更"), follow=True
    )
    assert LOCKED in response.content.decode()
    response = client.post(question_delete(answered), follow=True)
    assert LOCKED in response.content.decode()
    response = client.post(question_move(answered), {"direction": "down"}, follow=True)
    assert LOCKED in response.content.decode()
    answered.refresh_from_db()
    assert answered.text == "本日の窓口の対応に満足しましたか。"


def test_an_answer_that_comes_in_while_a_question_is_saved_refuses_the_save_on_the_survey(
    client, people, survey, answered, monkeypatch
):
    """The page checked the survey before the first answer came in; the service, which locks
    the survey row, sees it and refuses: the person lands on the survey with the reason."""
    monkeypatch.setattr(Survey, "is_locked", property(lambda survey: False))
    client.force_login(people.subcommittee)
    response = client.post(question_edit(answered), question_data(kind="text", text="変更"))
    assert (response.status_code, response.url) == (302, detail(survey))
    response = client.post(question_create(survey), question_data(kind="text"), follow=True)
    assert response.redirect_chain == [(detail(survey), 302)]
    assert LOCKED in response.content.decode()
    answered.refresh_from_db()
    assert answered.text == "本日の窓口の対応に満足しましたか。"
    assert survey.questions.count() == 1


def test_the_services_refuse_question_changes_once_answered(people, survey, answered):
    for call in (
        lambda: surveys_services.question_save(
            question=Question(survey=survey, kind="text", text="追加"), by=people.subcommittee
        ),
        lambda: surveys_services.question_delete(question=answered, by=people.subcommittee),
        lambda: surveys_services.question_move(
            question=answered, by=people.subcommittee, direction="up"
        ),
    ):
        with pytest.raises(ValidationError) as excinfo:
            call()
        assert excinfo.value.messages == [LOCKED]


# ---------------------------------------------------------------------------------------------
# Copy


def test_a_copy_has_everything_but_the_answers_and_can_be_edited(
    client, people, survey, answered, windows
):
    survey.translations = {"en": {"title": "Survey"}}
    survey.save()
    single = QuestionFactory(
        survey=survey,
        order=2,
        kind=Question.Kind.SINGLE,
        text="ご用件",
        help_text="一つ",
        required=False,
        translations={"en": {"text": "Purpose"}},
    )
    ChoiceFactory(question=single, order=1, text="甲", translations={"en": {"text": "A"}})
    ChoiceFactory(question=single, order=2, text="乙")
    client.force_login(people.manager)
    response = client.post(copy(survey))
    new = Survey.objects.exclude(pk=survey.pk).get()
    assert response.status_code == 302 and response.url == detail(new)
    today = timezone.localdate()
    assert new.copied_from == survey
    assert new.token != survey.token
    assert new.title == "窓口サービス満足度アンケート（複製）"
    assert new.translations == {"en": {"title": "Survey"}}
    assert (new.opens_on, new.closes_on) == (today, surveys_services.add_months(today, 3))
    assert new.created_by == people.manager
    assert set(new.windows.all()) == {windows.jumin, windows.hoken}
    assert not new.responses.exists() and not new.is_locked
    copied = list(new.questions.order_by("order"))
    assert [(q.kind, q.text, q.required) for q in copied] == [
        ("satisfaction", "本日の窓口の対応に満足しましたか。", True),
        ("single", "ご用件", False),
    ]
    assert copied[1].translations == {"en": {"text": "Purpose"}}
    assert copied[1].help_text == "一つ"
    assert [(c.text, c.translations) for c in copied[1].choices.order_by("order")] == [
        ("甲", {"en": {"text": "A"}}),
        ("乙", {}),
    ]
    # The copy's questions can be changed; the original's stay.
    assert client.get(question_edit(copied[0])).status_code == 200


def test_copying_needs_a_post_and_the_permission(client, people, survey):
    client.force_login(people.subcommittee)
    assert client.get(copy(survey)).status_code == 405
    client.force_login(people.staff)
    response = client.post(copy(survey))
    assert response.status_code == 403
    assert MANAGE_REFUSAL in response.content.decode()
    assert Survey.objects.count() == 1


def test_add_months_keeps_to_the_end_of_short_months():
    assert surveys_services.add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)
    assert surveys_services.add_months(datetime.date(2026, 1, 15), 3) == datetime.date(2026, 4, 15)
