"""Foreign residents can answer the "which window" question (#10.3): window names and the
office's public name are translated like questions, with the Japanese beside the translation
(or alone when there is none); the survey page lists what is not translated yet; the
やさしい日本語 thank-you page says 「まどぐち」."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Question, ServiceWindow
from feedback.responses.forms import TEXTS
from tests.feedback.factories import QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_survey(survey, office):
    today = timezone.localdate()
    survey.opens_on = today - datetime.timedelta(days=1)
    survey.closes_on = today + datetime.timedelta(days=10)
    survey.translations = {"en": {"title": "Survey"}, "ja-easy": {"title": "アンケート"}}
    survey.save()
    QuestionFactory(
        survey=survey,
        order=1,
        kind=Question.Kind.WINDOW,
        text="利用した窓口を選んでください。",
        required=True,
        translations={"en": {"text": "Which window did you use?"}},
    )
    return survey


def page(client, survey, lang):
    url = reverse("public_survey", args=[survey.token]) + f"?lang={lang}"
    return client.get(url).content.decode()


def test_a_translated_window_shows_its_translation_with_the_japanese_beside_it(
    client, open_survey, windows
):
    windows.jumin.translations = {"en": {"name": "Resident Records"}}
    windows.jumin.save()
    html = page(client, open_survey, "en")
    assert "Resident Records（住民記録窓口）" in html
    # Not translated: the Japanese name alone, marked as Japanese for screen readers.
    assert re.search(r'lang="ja"\s*>国民健康保険窓口</option>', html)
    assert re.search(r'lang="en"\s*>Resident Records（住民記録窓口）</option>', html)


def test_the_offices_public_name_is_translated_with_the_japanese_beside_it(
    client, open_survey, office
):
    office.name_translations = {"en": "Takatsu Ward Office", "ja-easy": "たかつ くやくしょ"}
    office.save()
    assert "Takatsu Ward Office" in page(client, open_survey, "en")
    assert "たかつ くやくしょ" in page(client, open_survey, "ja-easy")
    assert "高津区役所" in page(client, open_survey, "en")  # the fallback beside it


def test_a_window_is_registered_with_its_translations(client, people, sections):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("feedback:window_create"),
        {
            "section": sections.kumin.pk,
            "name": "証明書発行窓口",
            "name_en": "Certificates",
            "name_ja_easy": "しょうめいしょの まどぐち",
            "is_active": "on",
            "sort_order": "1",
        },
    )
    assert response.status_code == 302
    window = ServiceWindow.objects.get(name="証明書発行窓口")
    assert window.translations == {
        "en": {"name": "Certificates"},
        "ja-easy": {"name": "しょうめいしょの まどぐち"},
    }


def test_the_survey_page_lists_the_missing_translations(client, people, open_survey, windows):
    windows.jumin.translations = {"en": {"name": "Resident Records"}}
    windows.jumin.save()
    client.force_login(people.subcommittee)
    response = client.get(reverse("feedback:survey_detail", args=[open_survey.pk]))
    missing = {row["language"]: row["items"] for row in response.context["missing_translations"]}
    assert "窓口「国民健康保険窓口」" in missing["English"]
    assert "窓口「住民記録窓口」" not in missing["English"]
    assert "区役所名「高津区役所」" in missing["English"]
    assert "質問1「利用した窓口を選んでください。」" in missing["やさしい日本語"]
    assert "未翻訳" in response.content.decode()


def test_the_plain_japanese_thank_you_says_madoguchi():
    assert "まどぐを" not in TEXTS["ja-easy"]["thanks_body"]
    assert "まどぐち" in TEXTS["ja-easy"]["thanks_body"]
