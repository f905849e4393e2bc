"""A resident answers the public survey on a phone, without logging in: switches to English,
answers with the keyboard and the mouse, is thanked; the form, its errors and the thank-you
page pass axe."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from feedback.models import Answer, Question, Response
from feedback.responses import public_views as public
from tests.factories import DepartmentFactory, OfficeFactory, SectionFactory, UserFactory
from tests.feedback.factories import ChoiceFactory, QuestionFactory, SurveyFactory, WindowFactory

from .conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def survey(portal_url):
    cache.delete(public.rate_key("127.0.0.1"))
    office = OfficeFactory()
    section = SectionFactory(department=DepartmentFactory(office=office), name="区民課")
    window = WindowFactory(section=section, name="住民記録窓口", location="1階 1番")
    today = timezone.localdate()
    survey = SurveyFactory(
        office=office,
        created_by=UserFactory(section=section, full_name="推進 花子"),
        opens_on=today - datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=7),
        translations={
            "en": {"title": "Window service survey", "introduction": "Tell us about today."}
        },
    )
    survey.windows.set([window])
    QuestionFactory(
        survey=survey,
        order=1,
        kind=Question.Kind.SATISFACTION,
        text="本日の窓口の対応に満足しましたか。",
        required=True,
        translations={"en": {"text": "Were you satisfied with our service today?"}},
    )
    multiple = QuestionFactory(
        survey=survey,
        order=2,
        kind=Question.Kind.MULTIPLE,
        text="よかった点を選んでください。",
        required=False,
        translations={"en": {"text": "What was good?"}},
    )
    ChoiceFactory(
        question=multiple,
        order=1,
        text="丁寧な説明",
        translations={"en": {"text": "Clear explanation"}},
    )
    ChoiceFactory(
        question=multiple,
        order=2,
        text="待ち時間が短い",
        translations={"en": {"text": "Short wait"}},
    )
    QuestionFactory(
        survey=survey,
        order=3,
        kind=Question.Kind.NUMBER,
        text="待ち時間は何分でしたか。",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("600"),
        translations={"en": {"text": "How many minutes did you wait?"}},
    )
    QuestionFactory(
        survey=survey,
        order=4,
        kind=Question.Kind.WINDOW,
        text="利用した窓口を選んでください。",
        required=False,
        translations={"en": {"text": "Which window did you use?"}},
    )
    QuestionFactory(
        survey=survey,
        order=5,
        kind=Question.Kind.TEXT,
        text="ご意見をお聞かせください。",
        required=False,
    )
    yield survey
    cache.delete(public.rate_key("127.0.0.1"))


def test_a_resident_answers_in_english_on_a_phone_by_keyboard_and_mouse(page, survey):
    page.set_viewport_size(PHONE)
    page.goto(f"/s/{survey.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("窓口サービス満足度アンケート")
    assert page.get_attribute("html", "lang") == "ja"
    # Nothing of the intranet: no login form, no staff names.
    expect(page.get_by_text("推進 花子")).to_have_count(0)
    expect(page.get_by_role("link", name="ログイン")).to_have_count(0)
    assert_no_axe_violations(page)

    page.get_by_role("navigation").get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Window service survey")
    assert page.get_attribute("html", "lang") == "en"
    expect(page.get_by_text("Tell us about today.")).to_be_visible()
    assert_no_axe_violations(page)

    # Large touch targets: every option is at least 44px high on the phone.
    for box in page.locator(".pub-option label").all():
        assert box.bounding_box()["height"] >= 44

    # Keyboard: the first option of the scale, then one down with the arrow key.
    satisfaction = page.get_by_role("group", name=re.compile("Were you satisfied"))
    satisfaction.get_by_label("Satisfied", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    expect(satisfaction.get_by_label("Somewhat satisfied")).to_be_checked()
    # Mouse: tick a box by its label.
    page.get_by_text("Short wait").click()
    expect(page.get_by_label("Short wait")).to_be_checked()
    page.get_by_label(re.compile("How many minutes")).fill("12")
    page.get_by_label(re.compile("Which window")).select_option(label="住民記録窓口")
    page.get_by_label(re.compile("ご意見")).focus()
    page.keyboard.type("Thank you for the help.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send my answers")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers")
    assert page.get_attribute("html", "lang") == "en"
    assert_no_axe_violations(page)

    response = Response.objects.get(survey=survey)
    assert response.language == "en" and response.channel == "web"
    assert response.window.name == "住民記録窓口"
    answers = Answer.objects.filter(response=response)
    assert answers.get(question__kind="satisfaction").number == 4
    assert answers.get(question__kind="multiple").choice.text == "待ち時間が短い"
    assert answers.get(question__kind="number").number == 12
    assert answers.get(question__kind="text").text == "Thank you for the help."


def test_a_form_sent_without_a_required_answer_shows_the_errors_and_passes_axe(page, survey):
    page.set_viewport_size(PHONE)
    page.goto(f"/s/{survey.token}/?lang=en")
    page.get_by_role("button", name="Send my answers").click()

    summary = page.locator(".pub-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary).to_contain_text("Please answer this question.")
    group = page.get_by_role("group", name=re.compile("Were you satisfied"))
    expect(group).to_have_attribute("aria-describedby", re.compile("-error"))
    assert_no_axe_violations(page)

    # The summary's link takes the focus to the question.
    summary.get_by_role("link").click()
    expect(group.get_by_role("radio").first).to_be_focused()
    assert Response.objects.count() == 0


def test_an_unknown_address_answers_a_polite_page_that_passes_axe(page, survey):
    page.set_viewport_size(PHONE)
    response = page.goto("/s/no-such-token/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("アンケートが見つかりません")
    assert_no_axe_violations(page)
