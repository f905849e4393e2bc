"""Paper sheets typed in by staff: one screen per sheet in the order of the paper, "保存して次の
用紙へ" stores it through response_submit and shows an empty sheet with the same date, refused
input is kept, and only the office's staff may enter sheets."""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from feedback.models import Answer, Response
from tests.feedback.factories import ChoiceFactory, QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(survey):
    """A survey whose sheet has one question of every kind."""
    q = {
        "sat": QuestionFactory(survey=survey, order=1, text="対応の満足度"),
        "single": QuestionFactory(
            survey=survey, order=2, kind="single", text="来庁の目的", required=False
        ),
        "multiple": QuestionFactory(
            survey=survey, order=3, kind="multiple", text="分かりにくい点", required=False
        ),
        "number": QuestionFactory(
            survey=survey,
            order=4,
            kind="number",
            text="待ち時間（分）",
            required=False,
            min_value=0,
            max_value=300,
        ),
        "window": QuestionFactory(
            survey=survey, order=5, kind="window", text="利用した窓口", required=False
        ),
        "text": QuestionFactory(survey=survey, order=6, kind="text", text="ご意見", required=False),
    }
    q["a"] = ChoiceFactory(question=q["single"], text="転入")
    q["b"] = ChoiceFactory(question=q["single"], text="証明書")
    q["x"] = ChoiceFactory(question=q["multiple"], text="案内表示")
    q["y"] = ChoiceFactory(question=q["multiple"], text="書類")
    return q


def url(survey):
    return reverse("feedback:paper_entry", args=[survey.pk])


class Fields(HTMLParser):
    """The form controls of a page in document order, with their attributes."""

    def __init__(self):
        super().__init__()
        self.controls = []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "select", "textarea", "button", "a"):
            self.controls.append((tag, dict(attrs)))


def controls(html):
    parser = Fields()
    parser.feed(html)
    return parser.controls


def names_in_order(html):
    names = []
    for tag, attrs in controls(html):
        name = attrs.get("name")
        if tag == "a" or not name or attrs.get("type") == "hidden":
            continue
        if not names or names[-1] != name:
            names.append(name)
    return names


def post_data(page, **values):
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    return {"submission_key": key, "submitted_on": "2026-06-01", "language": "ja", **values}


def test_the_sheet_follows_the_paper_in_tab_order(client, people, survey, sheet):
    client.force_login(people.staff)
    response = client.get(url(survey))
    assert response.status_code == 200
    page = response.content.decode()
    expected = ["submitted_on", "language"] + [
        f"q{sheet[k].pk}" for k in ("sat", "single", "multiple", "number", "window", "text")
    ]
    assert names_in_order(page) == expected
    # No tabindex reorders the controls: the tab order is the document order.
    assert not [a for _, a in controls(page) if a.get("tabindex") not in (None, "0", "-1")]
    # The first question has the focus; one control only carries autofocus.
    focused = [a.get("name") for _, a in controls(page) if "autofocus" in a]
    assert focused == [f"q{sheet['sat'].pk}"]
    assert "数字1文字で入力（5＝満足、4＝やや満足、3＝ふつう、2＝やや不満、1＝不満）" in page
    assert "保存して次の用紙へ" in page


def test_a_survey_without_a_window_question_asks_for_the_window_of_the_sheets(
    client, people, survey
):
    QuestionFactory(survey=survey, order=1)
    client.force_login(people.staff)
    page = client.get(url(survey)).content.decode()
    assert names_in_order(page)[:3] == ["submitted_on", "language", "window"]
    assert "回収した窓口" in page


def test_the_window_of_the_sheets_is_stored_and_kept_for_the_next_sheet(
    client, people, survey, windows
):
    question = QuestionFactory(survey=survey, order=1)
    client.force_login(people.staff)
    data = post_data(
        client.get(url(survey)).content.decode(),
        window=str(windows.jumin.pk),
        **{f"q{question.pk}": "5"},
    )
    response = client.post(url(survey), data)
    assert Response.objects.get(survey=survey).window == windows.jumin
    next_sheet = client.get(response["Location"])
    assert next_sheet.context["form"]["window"].value() == str(windows.jumin.pk)


def test_save_and_next_stores_the_sheet_and_shows_an_empty_one(
    client, people, survey, sheet, windows
):
    client.force_login(people.staff)
    page = client.get(url(survey)).content.decode()
    data = post_data(
        page,
        **{
            f"q{sheet['sat'].pk}": "4",
            f"q{sheet['single'].pk}": str(sheet["b"].pk),
            f"q{sheet['multiple'].pk}": [str(sheet["x"].pk), str(sheet["y"].pk)],
            f"q{sheet['number'].pk}": "15",
            f"q{sheet['window'].pk}": str(windows.hoken.pk),
            f"q{sheet['text'].pk}": "丁寧でした",
        },
        language="en",
    )
    response = client.post(url(survey), data)
    assert response.status_code == 302
    assert response["Location"].startswith(url(survey) + "?")
    stored = Response.objects.get(survey=survey)
    assert stored.channel == Response.Channel.PAPER
    assert stored.entered_by == people.staff
    assert stored.language == "en"
    assert str(stored.submitted_on) == "2026-06-01"
    assert stored.window == windows.hoken
    assert stored.submission_key == data["submission_key"]
    answers = Answer.objects.filter(response=stored)
    assert answers.get(question=sheet["sat"]).number == Decimal(4)
    assert answers.get(question=sheet["single"]).choice == sheet["b"]
    assert {a.choice for a in answers.filter(question=sheet["multiple"])} == {
        sheet["x"],
        sheet["y"],
    }
    assert answers.get(question=sheet["number"]).number == Decimal(15)
    assert answers.get(question=sheet["text"]).text == "丁寧でした"

    next_sheet = client.get(response["Location"])
    page = next_sheet.content.decode()
    assert "用紙を保存しました。本日入力した用紙：1枚。" in page
    assert data["submission_key"] not in page  # a fresh key for the next sheet
    # The date and language stay from the previous sheet; the answers are empty.
    form = next_sheet.context["form"]
    assert form["submitted_on"].value() == "2026-06-01"
    assert form["language"].value() == "en"
    assert form[f"q{sheet['text'].pk}"].value() is None
    focused = [a.get("name") for _, a in controls(page) if "autofocus" in a]
    assert focused == [f"q{sheet['sat'].pk}"]

    second = post_data(page, **{f"q{sheet['sat'].pk}": "5"})
    response = client.post(url(survey), second, follow=True)
    assert "本日入力した用紙：2枚。" in response.content.decode()
    assert Response.objects.filter(survey=survey).count() == 2


def test_the_same_sheet_sent_twice_is_stored_once(client, people, survey, sheet):
    client.force_login(people.staff)
    data = post_data(client.get(url(survey)).content.decode(), **{f"q{sheet['sat'].pk}": "3"})
    client.post(url(survey), data)
    response = client.post(url(survey), data, follow=True)
    assert Response.objects.filter(survey=survey).count() == 1
    page = response.content.decode()
    assert "この用紙はすでに保存されています" in page
    assert "本日入力した用紙：1枚。" in page


def test_refused_input_is_kept_with_the_reasons(client, people, survey, sheet):
    client.force_login(people.staff)
    page = client.get(url(survey)).content.decode()
    data = post_data(
        page,
        **{
            f"q{sheet['sat'].pk}": "",  # required
            f"q{sheet['number'].pk}": "500",  # above the maximum
            f"q{sheet['text'].pk}": "残しておく意見",
        },
    )
    response = client.post(url(survey), data)
    assert response.status_code == 200
    assert not Response.objects.exists()
    form = response.context["form"]
    assert form.errors[f"q{sheet['number'].pk}"]
    page = response.content.decode()
    assert "残しておく意見" in page
    assert data["submission_key"] in page  # the same sheet, the same key
    # The focus goes to the first field in error.
    focused = [a.get("name") for _, a in controls(page) if "autofocus" in a]
    assert len(focused) == 1


def test_the_services_refusals_land_on_their_fields(client, people, survey, sheet):
    client.force_login(people.staff)
    page = client.get(url(survey)).content.decode()
    data = post_data(page, submitted_on="2025-06-01")  # before the survey, and Q1 left empty
    response = client.post(url(survey), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "実施期間" in form.errors["submitted_on"][0]
    assert "必須" in form.errors[f"q{sheet['sat'].pk}"][0]
    assert not Response.objects.exists()


def test_any_staff_member_of_the_office_may_enter_sheets(client, people, survey, sheet):
    for user in (people.staff, people.council, people.manager):
        client.force_login(user)
        assert client.get(url(survey)).status_code == 200


def test_a_user_without_a_role_may_not_enter_sheets(client, make_user, sections, survey, sheet):
    client.force_login(make_user(section=sections.kumin))
    response = client.get(url(survey))
    assert response.status_code == 403
    assert "紙の回答は職員が入力できます" in response.content.decode()


def test_another_offices_survey_is_not_found(client, stranger, survey, sheet):
    client.force_login(stranger)
    assert client.get(url(survey)).status_code == 404
    assert client.post(url(survey), {"submitted_on": "2026-06-01"}).status_code == 404
    assert not Response.objects.exists()


def test_a_stranger_cannot_enter_sheets_in_their_own_office_surveys_of_ours(
    client, stranger, survey
):
    own = SurveyFactory(office=stranger.office, created_by=stranger)
    client.force_login(stranger)
    assert client.get(url(own)).status_code == 200
    assert client.get(url(survey)).status_code == 404
