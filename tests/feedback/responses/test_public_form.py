"""The public answer form at /s/<token>/: no login, languages, validation, anonymity and the
defences against abuse (signed key, honeypot, rate limit, double submit, tampered forms)."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Answer, Question, Response
from feedback.responses import forms as public_forms
from feedback.responses import public_views as public
from tests.feedback.factories import ChoiceFactory, QuestionFactory, SurveyFactory, WindowFactory

pytestmark = pytest.mark.django_db

ADDRESS = "127.0.0.1"


@pytest.fixture(autouse=True)
def fresh_rate_counter():
    """The rate limit counts in the (shared) cache: start every test from zero."""
    cache.delete(public.rate_key(ADDRESS))
    yield
    cache.delete(public.rate_key(ADDRESS))


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def questionnaire(survey, today):
    """An open survey with English texts for some of its parts, and one question of each kind
    but the window question."""
    survey.opens_on = today - datetime.timedelta(days=10)
    survey.closes_on = today + datetime.timedelta(days=10)
    survey.translations = {
        "en": {"title": "Window service survey", "introduction": "Tell us about today."}
    }
    survey.save()
    satisfaction = QuestionFactory(
        survey=survey,
        order=1,
        kind=Question.Kind.SATISFACTION,
        text="本日の窓口の対応に満足しましたか。",
        required=True,
        translations={"en": {"text": "Were you satisfied with our service today?"}},
    )
    single = QuestionFactory(
        survey=survey,
        order=2,
        kind=Question.Kind.SINGLE,
        text="ご用件は何でしたか。",
        required=False,
        translations={"en": {"text": "What did you come for?"}},
    )
    moving = ChoiceFactory(
        question=single, order=1, text="転入・転出", translations={"en": {"text": "Moving"}}
    )
    other = ChoiceFactory(question=single, order=2, text="その他")
    multiple = QuestionFactory(
        survey=survey,
        order=3,
        kind=Question.Kind.MULTIPLE,
        text="よかった点を選んでください。",
        required=False,
    )
    polite = ChoiceFactory(question=multiple, order=1, text="丁寧な説明")
    quick = ChoiceFactory(question=multiple, order=2, text="待ち時間が短い")
    number = QuestionFactory(
        survey=survey,
        order=4,
        kind=Question.Kind.NUMBER,
        text="待ち時間は何分でしたか。",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("600"),
    )
    text = QuestionFactory(
        survey=survey,
        order=5,
        kind=Question.Kind.TEXT,
        text="ご意見をお聞かせください。",
        required=False,
    )
    return {
        "survey": survey,
        "satisfaction": satisfaction,
        "single": single,
        "moving": moving,
        "other": other,
        "multiple": multiple,
        "polite": polite,
        "quick": quick,
        "number": number,
        "text": text,
    }


def url(survey, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("public_survey", args=[survey.token]) + (f"?{query}" if query else "")


def key_from(response):
    return re.search(r'name="key" value="([^"]+)"', response.content.decode()).group(1)


def field(question):
    return f"q{question.pk}"


def answer(client, q, lang=None, **overrides):
    """GET the form, then POST a complete answer built on its key."""
    params = {"lang": lang} if lang else {}
    page = client.get(url(q["survey"], **params))
    data = {
        "key": key_from(page),
        field(q["satisfaction"]): "4",
        field(q["single"]): str(q["moving"].pk),
        field(q["multiple"]): [str(q["polite"].pk), str(q["quick"].pk)],
        field(q["number"]): "15",
        field(q["text"]): "案内が分かりやすかったです。",
        "website": "",
    }
    data.update(overrides)
    return client.post(url(q["survey"], **params), {k: v for k, v in data.items() if v is not None})


# ---------------------------------------------------------------------------------------------
# Open to everyone, and nothing of the intranet on it


def test_the_form_opens_without_login(client, questionnaire):
    response = client.get(url(questionnaire["survey"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "窓口サービス満足度アンケート" in html
    assert "本日の窓口の対応に満足しましたか。" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert response["Cache-Control"].startswith("max-age=0")
    assert "noindex" in response["X-Robots-Tag"]


def test_the_public_address_is_at_the_site_root(questionnaire):
    assert url(questionnaire["survey"]) == f"/s/{questionnaire['survey'].token}/"


def test_the_form_shows_nothing_of_the_intranet(client, questionnaire, people):
    html = client.get(url(questionnaire["survey"])).content.decode()
    for intranet in (
        "/feedback/",
        "/plans/",
        "/accounts/",
        "ログアウト",
        "サービスポータル",
        "ホーム",
    ):
        assert intranet not in html
    assert people.subcommittee.full_name not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(h.startswith(("?", "#", "/static/", "data:")) for h in hrefs), hrefs


def test_the_form_works_for_a_signed_in_member_of_staff_too(client, questionnaire, people):
    client.force_login(people.staff)
    assert answer(client, questionnaire).status_code == 200
    assert Response.objects.get().entered_by is None


def test_an_unknown_token_answers_a_polite_404_without_intranet_links(client, db):
    response = client.get("/s/no-such-survey/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "アンケートが見つかりません" in html
    assert "/feedback/" not in html and "ログイン" not in html


def test_an_unknown_token_answers_in_the_language_asked_for(client, db):
    response = client.get("/s/no-such-survey/?lang=en")
    assert response.status_code == 404
    assert "Survey not found" in response.content.decode()


def test_the_form_has_its_questions_as_fieldsets_and_labels(client, questionnaire):
    html = client.get(url(questionnaire["survey"])).content.decode()
    assert html.count("<fieldset") == 3  # satisfaction, single, multiple
    assert f'<label class="pub-label" for="id_{field(questionnaire["number"])}">' in html
    assert 'maxlength="2000"' in html
    assert "必須" in html
    assert "いくつでも選べます" in html


def test_satisfaction_is_offered_from_satisfied_to_dissatisfied(client, questionnaire):
    html = client.get(url(questionnaire["survey"])).content.decode()
    labels = ["満足", "やや満足", "ふつう", "やや不満", "不満"]
    positions = [html.index(f">{label}</label>") for label in labels]
    assert positions == sorted(positions)
    name = field(questionnaire["satisfaction"])
    assert re.findall(rf'name="{name}"\s+id="[^"]+"\s+value="(\d)"', html) == list("54321")


# ---------------------------------------------------------------------------------------------
# Answering


def test_an_answer_is_stored_as_one_anonymous_response(client, questionnaire, today):
    response = answer(client, questionnaire)
    assert response.status_code == 200
    assert "ご協力ありがとうございました" in response.content.decode()
    stored = Response.objects.get()
    assert stored.survey == questionnaire["survey"]
    assert stored.channel == Response.Channel.WEB
    assert stored.language == "ja"
    assert stored.submitted_on == today
    assert stored.window is None and stored.entered_by is None
    rows = {
        (a.question_id, a.choice_id, a.number, a.text)
        for a in Answer.objects.filter(response=stored)
    }
    q = questionnaire
    assert rows == {
        (q["satisfaction"].pk, None, Decimal("4.00"), ""),
        (q["single"].pk, q["moving"].pk, None, ""),
        (q["multiple"].pk, q["polite"].pk, None, ""),
        (q["multiple"].pk, q["quick"].pk, None, ""),
        (q["number"].pk, None, Decimal("15.00"), ""),
        (q["text"].pk, None, None, "案内が分かりやすかったです。"),
    }


def test_the_response_row_has_only_the_allowed_fields():
    names = {f.name for f in Response._meta.concrete_fields}
    assert names == {
        "id",
        "survey",
        "submitted_on",
        "channel",
        "language",
        "window",
        "submission_key",
        "entered_by",
    }


def test_no_address_user_agent_or_cookie_is_stored_anywhere(questionnaire):
    client = Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="ResidentPhone/9.9")
    cache.delete(public.rate_key("203.0.113.77"))
    answer(client, questionnaire)
    assert Response.objects.count() == 1
    csrf_cookie = client.cookies["csrftoken"].value
    for model in apps.get_models():
        dump = serializers.serialize("json", model._default_manager.all())
        for secret in ("203.0.113.77", "ResidentPhone", csrf_cookie):
            assert secret not in dump, f"{secret} stored in {model._meta.label}"
    assert Session.objects.count() == 0
    cache.delete(public.rate_key("203.0.113.77"))


def test_the_stored_submission_key_is_the_random_part_only(client, questionnaire):
    answer(client, questionnaire)
    key = Response.objects.get().submission_key
    assert 20 <= len(key) <= 64
    assert str(questionnaire["survey"].pk) + ":" not in key


def test_optional_questions_may_stay_empty(client, questionnaire):
    q = questionnaire
    response = answer(
        client,
        q,
        **{
            field(q["single"]): None,
            field(q["multiple"]): None,
            field(q["number"]): "",
            field(q["text"]): "",
        },
    )
    assert response.status_code == 200
    assert Answer.objects.count() == 1


def test_the_same_form_sent_twice_is_stored_once(client, questionnaire):
    q = questionnaire
    page = client.get(url(q["survey"]))
    data = {"key": key_from(page), field(q["satisfaction"]): "5"}
    first = client.post(url(q["survey"]), data)
    second = client.post(url(q["survey"]), {**data, field(q["satisfaction"]): "1"})
    assert first.status_code == second.status_code == 200
    assert "ご協力ありがとうございました" in second.content.decode()
    assert Response.objects.count() == 1
    assert Answer.objects.get().number == 5


def test_each_opening_of_the_form_gets_its_own_key(client, questionnaire):
    first = key_from(client.get(url(questionnaire["survey"])))
    second = key_from(client.get(url(questionnaire["survey"])))
    assert first != second


def test_the_form_is_a_normal_csrf_protected_form(questionnaire):
    client = Client(enforce_csrf_checks=True)
    q = questionnaire
    page = client.get(url(q["survey"]))
    data = {"key": key_from(page), field(q["satisfaction"]): "5"}
    assert client.post(url(q["survey"]), data).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    data["csrfmiddlewaretoken"] = token.group(1)
    assert client.post(url(q["survey"]), data).status_code == 200
    assert Response.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Languages


def test_english_shows_english_texts_and_falls_back_to_japanese(client, questionnaire):
    html = client.get(url(questionnaire["survey"], lang="en")).content.decode()
    assert '<html lang="en">' in html
    assert "Window service survey" in html
    assert "Tell us about today." in html
    assert "Were you satisfied with our service today?" in html
    assert ">Moving</label>" in html
    # Not translated: shown in Japanese.
    assert ">その他</label>" in html
    assert "よかった点を選んでください。" in html
    assert ">Satisfied</label>" in html and ">Dissatisfied</label>" in html
    assert "Required" in html
    assert "Send my answers" in html


def test_japanese_shown_on_an_english_page_is_marked_as_japanese(client, questionnaire):
    q = questionnaire
    html = client.get(url(q["survey"], lang="en")).content.decode()
    assert '<span lang="ja">よかった点を選んでください。</span>' in html
    assert '<span lang="en">Were you satisfied with our service today?</span>' in html
    assert re.search(r'lang="ja">その他</label>', html)
    assert re.search(r'lang="en">Moving</label>', html)
    assert re.search(r'lang="en">Satisfied</label>', html)
    assert '<h1 lang="en">Window service survey</h1>' in html


def test_an_answer_in_english_is_stored_with_its_language_and_thanked_in_english(
    client, questionnaire
):
    response = answer(client, questionnaire, lang="en")
    assert "Thank you for your answers" in response.content.decode()
    assert '<html lang="en">' in response.content.decode()
    assert Response.objects.get().language == "en"


def test_the_switcher_offers_japanese_and_the_translated_languages_only(client, questionnaire):
    html = client.get(url(questionnaire["survey"])).content.decode()
    assert re.findall(r'href="\?lang=([a-z-]+)"', html) == ["ja", "en"]
    assert re.search(r'lang="en"\s+hreflang="en"', html)
    assert re.search(r'href="\?lang=ja"[^>]*aria-current="true"', html)


def test_a_language_without_translation_shows_the_japanese_form(client, questionnaire):
    html = client.get(url(questionnaire["survey"], lang="ko")).content.decode()
    assert '<html lang="ja">' in html
    assert "窓口サービス満足度アンケート" in html


def test_easy_japanese_pages_are_marked_as_japanese(client, questionnaire):
    survey = questionnaire["survey"]
    survey.translations["ja-easy"] = {"title": "まどぐの アンケート"}
    survey.save()
    response = answer(client, questionnaire, lang="ja-easy")
    html = client.get(url(survey, lang="ja-easy")).content.decode()
    assert '<html lang="ja">' in html
    assert "まどぐの アンケート" in html
    assert ">よい</label>" in html
    assert "ありがとう ございました" in response.content.decode()
    assert Response.objects.get().language == "ja-easy"


# ---------------------------------------------------------------------------------------------
# Mistakes a person makes: the form again, with the errors


def test_a_missing_required_answer_shows_the_form_with_errors(client, questionnaire):
    q = questionnaire
    response = answer(client, q, **{field(q["satisfaction"]): None})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>エラー：" in html
    assert "入力内容を確認してください" in html
    assert "この質問にお答えください。" in html
    error_id = f"id_{field(q['satisfaction'])}-error"
    assert f'aria-describedby="{error_id}"' in html
    assert f'id="{error_id}"' in html
    # The summary links to the first option of the question, and takes the focus.
    assert f'href="#id_{field(q["satisfaction"])}-0"' in html
    assert re.search(r'class="pub-error-summary"\s+tabindex="-1"\s+autofocus', html)
    # What was answered stays.
    assert "案内が分かりやすかったです。" in html
    assert Response.objects.count() == 0


def test_errors_are_in_the_chosen_language(client, questionnaire):
    q = questionnaire
    response = answer(client, q, lang="en", **{field(q["satisfaction"]): None})
    html = response.content.decode()
    assert "Please check your answers" in html
    assert "Please answer this question." in html


def test_a_number_out_of_range_is_refused_with_the_limit(client, questionnaire):
    q = questionnaire
    response = answer(client, q, **{field(q["number"]): "601"})
    assert response.status_code == 200
    assert "600以下の数字を入力してください。" in response.content.decode()
    response = answer(client, q, lang="en", **{field(q["number"]): "-1"})
    assert "Please enter a number of 0 or more." in response.content.decode()
    assert Response.objects.count() == 0


def test_a_number_that_is_not_a_number_is_refused(client, questionnaire):
    q = questionnaire
    response = answer(client, q, **{field(q["number"]): "十五"})
    assert "数字を入力してください。" in response.content.decode()
    assert Response.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# What only an altered page sends: 400


def test_an_unknown_choice_is_refused_with_400(client, questionnaire):
    q = questionnaire
    foreign = ChoiceFactory(text="他の質問の選択肢")
    response = answer(client, q, **{field(q["single"]): str(foreign.pk)})
    assert response.status_code == 400
    assert "受け付けられない回答" in response.content.decode()
    assert Response.objects.count() == 0


def test_a_satisfaction_outside_one_to_five_is_refused_with_400(client, questionnaire):
    q = questionnaire
    response = answer(client, q, **{field(q["satisfaction"]): "6"})
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_a_choice_of_another_question_is_refused_in_a_multiple_answer(client, questionnaire):
    q = questionnaire
    response = answer(
        client, q, **{field(q["multiple"]): [str(q["polite"].pk), str(q["moving"].pk)]}
    )
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_an_oversize_text_is_refused_with_400(client, questionnaire):
    q = questionnaire
    response = answer(client, q, **{field(q["text"]): "あ" * 2001})
    assert response.status_code == 400
    assert "2000文字以内で入力してください（現在2001文字）。" in response.content.decode()
    assert Response.objects.count() == 0


def test_a_text_of_exactly_the_limit_is_accepted(client, questionnaire):
    q = questionnaire
    assert answer(client, q, **{field(q["text"]): "あ" * 2000}).status_code == 200
    assert Answer.objects.get(question=q["text"]).text == "あ" * 2000


def test_a_forged_key_is_refused(client, questionnaire):
    response = answer(client, questionnaire, key="not-a-signed-key")
    assert response.status_code == 400
    html = response.content.decode()
    assert "送信内容を受け付けられませんでした" in html
    assert "アンケートを開き直す" in html
    assert Response.objects.count() == 0


def test_a_missing_key_is_refused(client, questionnaire):
    q = questionnaire
    response = client.post(url(q["survey"]), {field(q["satisfaction"]): "5"})
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_a_key_issued_for_another_survey_is_refused(client, questionnaire, office, people):
    other = SurveyFactory(
        office=office,
        created_by=people.subcommittee,
        opens_on=questionnaire["survey"].opens_on,
        closes_on=questionnaire["survey"].closes_on,
    )
    response = answer(client, questionnaire, key=public_forms.issue_key(other))
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_an_expired_key_keeps_the_answers_and_asks_to_send_again(client, questionnaire):
    q = questionnaire
    page = client.get(url(q["survey"]))
    old_key = key_from(page)
    later = timezone.now() + datetime.timedelta(seconds=public_forms.KEY_MAX_AGE + 60)
    data = {"key": old_key, field(q["satisfaction"]): "3", field(q["text"]): "長く開いていました"}
    with time_machine.travel(later, tick=False):
        response = client.post(url(q["survey"]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "フォームを開いてから時間がたったため" in html
    assert "長く開いていました" in html
    new_key = key_from(response)
    assert new_key != old_key
    assert Response.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Robots and floods


def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(client, questionnaire):
    response = answer(client, questionnaire, website="http://spam.example/")
    assert response.status_code == 200
    assert "ご協力ありがとうございました" in response.content.decode()
    assert Response.objects.count() == 0


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, questionnaire):
    html = client.get(url(questionnaire["survey"])).content.decode()
    trap = re.search(r'<div class="pub-trap" aria-hidden="true">(.*?)</div>', html, re.S).group(1)
    assert 'tabindex="-1"' in trap and 'autocomplete="off"' in trap and 'name="website"' in trap


def test_too_many_submissions_from_one_address_are_refused_with_429(
    client, questionnaire, monkeypatch
):
    monkeypatch.setattr(public, "RATE_LIMIT", 2)
    assert answer(client, questionnaire).status_code == 200
    assert answer(client, questionnaire).status_code == 200
    response = answer(client, questionnaire)
    assert response.status_code == 429
    assert "しばらくしてから送信してください" in response.content.decode()
    assert Response.objects.count() == 2


def test_the_rate_limit_counts_each_address_apart(questionnaire, monkeypatch):
    monkeypatch.setattr(public, "RATE_LIMIT", 1)
    first, second = Client(REMOTE_ADDR="198.51.100.1"), Client(REMOTE_ADDR="198.51.100.2")
    for address in ("198.51.100.1", "198.51.100.2"):
        cache.delete(public.rate_key(address))
    assert answer(first, questionnaire).status_code == 200
    assert answer(second, questionnaire).status_code == 200
    assert answer(first, questionnaire).status_code == 429
    for address in ("198.51.100.1", "198.51.100.2"):
        cache.delete(public.rate_key(address))


def test_the_rate_counter_key_does_not_hold_the_address():
    key = public.rate_key("203.0.113.9")
    assert "203.0.113.9" not in key
    assert key != public.rate_key("203.0.113.10")


def test_reading_the_form_is_not_counted(client, questionnaire, monkeypatch):
    monkeypatch.setattr(public, "RATE_LIMIT", 1)
    for _ in range(3):
        client.get(url(questionnaire["survey"]))
    assert answer(client, questionnaire).status_code == 200


# ---------------------------------------------------------------------------------------------
# Closed surveys


def test_a_survey_not_yet_open_says_when_it_opens_and_shows_no_form(client, questionnaire, today):
    survey = questionnaire["survey"]
    survey.opens_on = today + datetime.timedelta(days=3)
    survey.closes_on = today + datetime.timedelta(days=30)
    survey.save()
    response = client.get(url(survey))
    assert response.status_code == 200
    html = response.content.decode()
    assert "受付期間外" in html
    assert f"{survey.opens_on.year}年{survey.opens_on.month}月{survey.opens_on.day}日から" in html
    assert "<form" not in html


def test_a_closed_survey_says_so_in_english_and_stores_nothing(client, questionnaire, today):
    survey = questionnaire["survey"]
    page = client.get(url(survey))
    survey.opens_on = today - datetime.timedelta(days=30)
    survey.closes_on = today - datetime.timedelta(days=1)
    survey.save()
    html = client.get(url(survey, lang="en")).content.decode()
    assert "This survey closed on" in html
    q = questionnaire
    response = client.post(url(survey), {"key": key_from(page), field(q["satisfaction"]): "5"})
    assert "<form" not in response.content.decode()
    assert Response.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Windows


@pytest.fixture
def window_question(questionnaire):
    return QuestionFactory(
        survey=questionnaire["survey"],
        order=6,
        kind=Question.Kind.WINDOW,
        text="利用した窓口を選んでください。",
        required=False,
    )


def test_a_window_question_lists_the_surveys_windows_and_sets_the_responses_window(
    client, questionnaire, window_question, windows
):
    html = client.get(url(questionnaire["survey"])).content.decode()
    assert "<select" in html and "住民記録窓口" in html and "国民健康保険窓口" in html
    answer(client, questionnaire, **{field(window_question): str(windows.hoken.pk)})
    stored = Response.objects.get()
    assert stored.window == windows.hoken
    assert Answer.objects.get(question=window_question).text == "国民健康保険窓口"


def test_a_window_outside_the_survey_is_refused(client, questionnaire, window_question, sections):
    elsewhere = WindowFactory(section=sections.kumin, name="別の窓口")
    response = answer(client, questionnaire, **{field(window_question): str(elsewhere.pk)})
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_the_posters_window_is_preselected_in_the_window_question(
    client, questionnaire, window_question, windows
):
    html = client.get(url(questionnaire["survey"], window=windows.jumin.pk)).content.decode()
    assert re.search(rf'<option value="{windows.jumin.pk}"\s+lang="ja"\s+selected>', html)


def test_the_posters_window_is_recorded_when_no_question_asks_for_it(
    client, questionnaire, windows
):
    survey = questionnaire["survey"]
    page = client.get(url(survey, window=windows.hoken.pk))
    assert f'name="window" value="{windows.hoken.pk}"' in page.content.decode()
    q = questionnaire
    client.post(
        url(survey, window=windows.hoken.pk),
        {"key": key_from(page), field(q["satisfaction"]): "5", "window": str(windows.hoken.pk)},
    )
    assert Response.objects.get().window == windows.hoken


def test_an_unknown_window_in_the_address_is_ignored(client, questionnaire):
    html = client.get(url(questionnaire["survey"], window=999999)).content.decode()
    assert 'name="window"' not in html


def test_a_tampered_hidden_window_is_refused(client, questionnaire, sections):
    elsewhere = WindowFactory(section=sections.kumin, name="別の窓口")
    response = answer(client, questionnaire, window=str(elsewhere.pk))
    assert response.status_code == 400
    assert Response.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# response_submit, the one way answers enter the database (the public form, paper, import)


def submit(survey, answers, **overrides):
    from feedback.responses.services import response_submit

    kwargs = {
        "survey": survey,
        "answers": answers,
        "channel": Response.Channel.WEB,
        "language": "ja",
        "submitted_on": survey.opens_on,
        "submission_key": "key-1",
    }
    kwargs.update(overrides)
    return response_submit(**kwargs)


def errors_of(excinfo):
    return excinfo.value.message_dict


def test_response_submit_stores_every_kind(questionnaire, window_question, windows):
    q = questionnaire
    response = submit(
        q["survey"],
        {
            q["satisfaction"].pk: 2,
            q["single"].pk: q["other"].pk,
            q["multiple"].pk: [q["quick"].pk, q["polite"].pk, q["quick"].pk],
            q["number"].pk: Decimal("12.5"),
            q["text"].pk: "  待ち時間が長い  ",
            window_question.pk: windows.jumin.pk,
        },
    )
    assert response.window == windows.jumin
    answers = Answer.objects.filter(response=response)
    assert answers.count() == 7
    assert sorted(
        answers.filter(question=q["multiple"]).values_list("choice__text", flat=True)
    ) == [
        "丁寧な説明",
        "待ち時間が短い",
    ]
    assert answers.get(question=q["number"]).number == Decimal("12.50")
    assert answers.get(question=q["text"]).text == "待ち時間が長い"


def test_response_submit_lists_every_problem_per_question(questionnaire):
    from django.core.exceptions import ValidationError

    q = questionnaire
    with pytest.raises(ValidationError) as excinfo:
        submit(
            q["survey"],
            {
                q["single"].pk: q["polite"].pk,
                q["multiple"].pk: [q["polite"].pk, 999999],
                q["number"].pk: Decimal("600.01"),
                q["text"].pk: "x" * 2001,
            },
        )
    errors = errors_of(excinfo)
    assert errors[field(q["satisfaction"])] == ["この質問への回答は必須です。"]
    assert errors[field(q["single"])] == ["選択肢にない回答です。"]
    assert errors[field(q["multiple"])] == ["選択肢にない回答です。"]
    assert errors[field(q["number"])] == ["600以下の数値を入力してください。"]
    assert errors[field(q["text"])] == ["2000文字以内で入力してください（現在2001文字）。"]
    assert Response.objects.count() == 0


@pytest.mark.parametrize("value", [0, 6, "5.5", True, None, "", [5]])
def test_response_submit_refuses_a_satisfaction_outside_one_to_five(questionnaire, value):
    from django.core.exceptions import ValidationError

    q = questionnaire
    with pytest.raises(ValidationError) as excinfo:
        submit(q["survey"], {q["satisfaction"].pk: value})
    assert field(q["satisfaction"]) in errors_of(excinfo)


@pytest.mark.parametrize(
    "value, message",
    [
        ("abc", "数値を入力してください。"),
        (Decimal("1.234"), "数値は小数点以下2桁まで、10桁以内で入力してください。"),
        (Decimal("-0.5"), "0以上の数値を入力してください。"),
        (Decimal("NaN"), "数値を入力してください。"),
    ],
)
def test_response_submit_checks_numbers(questionnaire, value, message):
    from django.core.exceptions import ValidationError

    q = questionnaire
    with pytest.raises(ValidationError) as excinfo:
        submit(q["survey"], {q["satisfaction"].pk: 3, q["number"].pk: value})
    assert errors_of(excinfo)[field(q["number"])] == [message]


def test_response_submit_refuses_answers_to_questions_of_another_survey(questionnaire):
    from django.core.exceptions import ValidationError

    stray = QuestionFactory(kind=Question.Kind.SATISFACTION)
    q = questionnaire
    with pytest.raises(ValidationError) as excinfo:
        submit(q["survey"], {q["satisfaction"].pk: 3, stray.pk: 3})
    assert "このアンケートにない質問への回答が含まれています。" in errors_of(excinfo)["__all__"]


def test_response_submit_refuses_a_text_that_is_not_text(questionnaire):
    from django.core.exceptions import ValidationError

    q = questionnaire
    with pytest.raises(ValidationError):
        submit(q["survey"], {q["satisfaction"].pk: 3, q["text"].pk: ["a", "b"]})


def test_response_submit_returns_the_stored_response_for_a_repeated_key(questionnaire):
    q = questionnaire
    first = submit(q["survey"], {q["satisfaction"].pk: 5})
    again = submit(q["survey"], {q["satisfaction"].pk: 1})
    assert again.pk == first.pk
    assert Response.objects.count() == 1
    assert Answer.objects.get().number == 5


def test_response_submit_refuses_a_day_outside_the_survey(questionnaire):
    from django.core.exceptions import ValidationError

    q = questionnaire
    with pytest.raises(ValidationError) as excinfo:
        submit(
            q["survey"],
            {q["satisfaction"].pk: 5},
            submitted_on=q["survey"].closes_on + datetime.timedelta(days=1),
        )
    assert "submitted_on" in errors_of(excinfo)


def test_response_submit_refuses_an_unknown_language_and_channel(questionnaire):
    from django.core.exceptions import ValidationError

    q = questionnaire
    with pytest.raises(ValidationError) as excinfo:
        submit(q["survey"], {q["satisfaction"].pk: 5}, language="fr", channel="fax")
    assert {"language", "channel"} <= set(errors_of(excinfo))


def test_response_submit_takes_the_window_given_when_no_question_names_one(
    questionnaire, windows, sections
):
    from django.core.exceptions import ValidationError

    q = questionnaire
    assert submit(q["survey"], {q["satisfaction"].pk: 5}, window=windows.hoken).window == (
        windows.hoken
    )
    assert (
        submit(
            q["survey"], {q["satisfaction"].pk: 5}, window=windows.jumin.pk, submission_key="key-2"
        ).window
        == windows.jumin
    )
    elsewhere = WindowFactory(section=sections.kumin, name="別の窓口")
    with pytest.raises(ValidationError) as excinfo:
        submit(q["survey"], {q["satisfaction"].pk: 5}, window=elsewhere, submission_key="key-3")
    assert "window" in errors_of(excinfo)


def test_paper_answers_need_someone_allowed_to_enter_them(questionnaire, people, stranger):
    from django.core.exceptions import PermissionDenied

    q = questionnaire
    stored = submit(
        q["survey"],
        {q["satisfaction"].pk: 4},
        channel=Response.Channel.PAPER,
        entered_by=people.staff,
    )
    assert stored.entered_by == people.staff
    with pytest.raises(ValueError):
        submit(q["survey"], {q["satisfaction"].pk: 4}, channel="paper", submission_key="k2")
    with pytest.raises(PermissionDenied):
        submit(
            q["survey"],
            {q["satisfaction"].pk: 4},
            channel="paper",
            entered_by=stranger,
            submission_key="k3",
        )
    with pytest.raises(PermissionDenied):
        submit(
            q["survey"],
            {q["satisfaction"].pk: 4},
            channel="import",
            entered_by=people.staff,
            submission_key="k4",
        )
    with pytest.raises(ValueError):
        submit(q["survey"], {q["satisfaction"].pk: 4}, entered_by=people.staff, submission_key="k5")
