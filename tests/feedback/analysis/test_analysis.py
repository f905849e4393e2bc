"""Survey results: exact numbers on a small known data set (means, shares of 満足・やや満足, by
window, section and month, this fiscal year against the last, every question's
distribution), the pages and their permissions, a fixed number of queries as answers grow,
and the free-text list."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import rules
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rules.permissions import permissions

from feedback.analysis import results as analysis_results
from feedback.models import Answer, Question, Response
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.models import AuditEvent
from tests.feedback.factories import (
    AnswerFactory,
    ChoiceFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
ANALYSIS = reverse("feedback:analysis")
FY2026 = FiscalYear(2026)


def respond(survey, day, answers, *, window=None, channel="web", language="ja"):
    """A response with answers {question: value} (a list for several choices)."""
    response = ResponseFactory(
        survey=survey, submitted_on=day, window=window, channel=channel, language=language
    )
    for question, value in answers.items():
        values = value if isinstance(value, list) else [value]
        for one in values:
            fields = {}
            if question.kind in (Question.Kind.SATISFACTION, Question.Kind.NUMBER):
                fields["number"] = Decimal(one)
            elif question.has_choices:
                fields["choice"] = one
            else:
                fields["text"] = one
            AnswerFactory(response=response, question=question, **fields)
    return response


@pytest.fixture
def known(survey, office, people, windows):
    """Four responses this fiscal year (2026) and two the year before, with known numbers."""
    q = {
        "sat1": QuestionFactory(survey=survey, order=1, text="対応の満足度"),
        "sat2": QuestionFactory(survey=survey, order=2, text="待ち時間の満足度", required=False),
        "single": QuestionFactory(survey=survey, order=3, kind="single", text="来庁の目的"),
        "multiple": QuestionFactory(survey=survey, order=4, kind="multiple", text="分かりにくい点"),
        "number": QuestionFactory(survey=survey, order=5, kind="number", text="待ち時間（分）"),
        "text": QuestionFactory(survey=survey, order=6, kind="text", text="ご意見"),
        "window": QuestionFactory(survey=survey, order=7, kind="window", text="利用した窓口"),
    }
    a = ChoiceFactory(question=q["single"], order=1, text="転入")
    b = ChoiceFactory(question=q["single"], order=2, text="証明書")
    x = ChoiceFactory(question=q["multiple"], order=1, text="案内表示")
    y = ChoiceFactory(question=q["multiple"], order=2, text="書類の書き方")
    z = ChoiceFactory(question=q["multiple"], order=3, text="呼出し")
    j, h = windows.jumin, windows.hoken
    respond(
        survey,
        D(2026, 4, 10),
        {
            q["sat1"]: 5,
            q["sat2"]: 4,
            q["single"]: a,
            q["multiple"]: [x, y],
            q["number"]: 10,
            q["text"]: "待ち時間が長い",
            q["window"]: j.name,
        },
        window=j,
    )
    respond(
        survey,
        D(2026, 4, 20),
        {
            q["sat1"]: 3,
            q["sat2"]: 2,
            q["single"]: b,
            q["multiple"]: [x],
            q["number"]: 20,
            q["text"]: "",
        },
        window=j,
        channel="paper",
        language="en",
    )
    respond(
        survey,
        D(2026, 5, 5),
        {q["sat1"]: 4, q["single"]: a, q["number"]: 30, q["window"]: h.name},
        window=h,
    )
    respond(
        survey, D(2026, 6, 1), {q["sat1"]: 1, q["text"]: "案内が分かりやすい"}, channel="import"
    )
    last = SurveyFactory(
        office=office,
        created_by=people.subcommittee,
        title="昨年度の窓口アンケート",
        opens_on=D(2025, 4, 1),
        closes_on=D(2026, 3, 31),
    )
    last_sat = QuestionFactory(survey=last, order=1)
    respond(last, D(2025, 4, 15), {last_sat: 2}, window=j)
    respond(last, D(2025, 5, 1), {last_sat: 5}, window=h)
    return {**q, "a": a, "b": b, "x": x, "y": y, "z": z, "last": last}


def numbers(satisfaction):
    return (
        satisfaction.count,
        satisfaction.mean_value,
        satisfaction.satisfied,
        satisfaction.percent,
    )


# ---------------------------------------------------------------------------------------------
# Across the office


def test_office_satisfaction_compares_this_fiscal_year_with_the_last(office, known):
    answers = analysis_results.satisfaction_answers(office)
    results = analysis_results.office_satisfaction(answers, FY2026)
    # 2026: 5, 4, 3, 2, 4, 1 → mean 19/6, three of six are 4 or 5.
    assert numbers(results.comparison.this) == (6, 3.17, 3, 50.0)
    # 2025: 2, 5.
    assert numbers(results.comparison.last) == (2, 3.5, 1, 50.0)
    assert results.comparison.mean_change == -0.33
    assert results.comparison.percent_change == 0.0


def test_office_satisfaction_by_window_and_section(office, known, windows, sections):
    results = analysis_results.office_satisfaction(
        analysis_results.satisfaction_answers(office), FY2026
    )
    assert [(r.label, r.detail, numbers(r.satisfaction)) for r in results.windows] == [
        ("住民記録窓口", "区民課", (4, 3.5, 2, 50.0)),
        ("国民健康保険窓口", "保険年金課", (1, 4.0, 1, 100.0)),
        ("窓口の指定なし", "", (1, 1.0, 0, 0.0)),
    ]
    assert [(r.label, numbers(r.satisfaction)) for r in results.sections] == [
        ("区民課", (4, 3.5, 2, 50.0)),
        ("保険年金課", (1, 4.0, 1, 100.0)),
        (analysis_results.NO_SECTION, (1, 1.0, 0, 0.0)),
    ]


def test_office_satisfaction_by_month_beside_the_same_month_a_year_before(office, known):
    results = analysis_results.office_satisfaction(
        analysis_results.satisfaction_answers(office), FY2026
    )
    months = {row.label: (numbers(row.this_year), numbers(row.last_year)) for row in results.months}
    assert [row.label for row in results.months][0] == "2026年4月"
    assert [row.label for row in results.months][-1] == "2027年3月"
    assert len(months) == 12
    assert months["2026年4月"] == ((4, 3.5, 2, 50.0), (1, 2.0, 0, 0.0))
    assert months["2026年5月"] == ((1, 4.0, 1, 100.0), (1, 5.0, 1, 100.0))
    assert months["2026年6月"] == ((1, 1.0, 0, 0.0), (0, None, 0, None))
    assert months["2026年7月"] == ((0, None, 0, None), (0, None, 0, None))


def test_office_filters_narrow_every_table(office, known, windows, sections):
    by_window = analysis_results.satisfaction_answers(office, window=windows.jumin)
    assert numbers(
        analysis_results.overall(analysis_results.in_fiscal_year(by_window, FY2026))
    ) == (
        4,
        3.5,
        2,
        50.0,
    )
    by_channel = analysis_results.satisfaction_answers(office, channel="paper")
    assert numbers(analysis_results.overall(by_channel)) == (2, 2.5, 0, 0.0)
    by_section = analysis_results.satisfaction_answers(office, section=sections.hoken)
    assert numbers(
        analysis_results.overall(analysis_results.in_fiscal_year(by_section, FY2026))
    ) == (
        1,
        4.0,
        1,
        100.0,
    )
    by_survey = analysis_results.satisfaction_answers(office, survey=known["last"])
    assert numbers(analysis_results.fiscal_comparison(by_survey, FiscalYear(2025)).this) == (
        2,
        3.5,
        1,
        50.0,
    )


def test_another_offices_answers_never_count(office, known, stranger):
    other = SurveyFactory(office=stranger.office, created_by=stranger)
    respond(other, D(2026, 4, 10), {QuestionFactory(survey=other): 1})
    results = analysis_results.office_satisfaction(
        analysis_results.satisfaction_answers(office), FY2026
    )
    assert results.comparison.this.count == 6


def test_analysis_page_shows_the_numbers_with_filters(client, people, known, windows):
    client.force_login(people.subcommittee)
    response = client.get(ANALYSIS, {"fiscal_year": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    assert "3.17" in page and "50.0%" in page and "-0.33" in page
    assert "令和8年度（2026年度）と前年度の比較" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    response = client.get(ANALYSIS, {"fiscal_year": 2026, "window": windows.jumin.pk})
    assert response.context["results"].comparison.this.count == 4


def test_analysis_page_falls_back_to_the_current_year_on_a_bad_filter(client, people, known):
    client.force_login(people.manager)
    response = client.get(ANALYSIS, {"fiscal_year": "abc", "channel": "fax"})
    assert response.status_code == 200
    assert response.context["fiscal_year"] == FiscalYear.current()


@pytest.mark.parametrize("who", ["subcommittee", "manager", "council", "admin"])
def test_results_roles_may_see_the_analysis(client, people, known, who):
    client.force_login(getattr(people, who))
    assert client.get(ANALYSIS).status_code == 200
    assert (
        client.get(reverse("feedback:survey_analysis", args=[known["sat1"].survey_id])).status_code
        == 200
    )


@pytest.mark.parametrize("who", ["staff", "lead"])
def test_staff_cannot_see_the_analysis_and_are_told_why(client, people, survey, who):
    client.force_login(getattr(people, who))
    response = client.get(ANALYSIS)
    assert response.status_code == 403
    assert "集計結果を見られるのは" in response.content.decode()
    response = client.get(reverse("feedback:survey_analysis", args=[survey.pk]))
    assert response.status_code == 403


def test_another_offices_survey_analysis_is_not_found(client, stranger, survey):
    client.force_login(stranger)
    assert client.get(reverse("feedback:survey_analysis", args=[survey.pk])).status_code == 404
    assert client.get(reverse("feedback:survey_free_text", args=[survey.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, survey):
    response = client.get(ANALYSIS)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# ---------------------------------------------------------------------------------------------
# One survey


def test_survey_results_count_every_question_exactly(survey, known, windows):
    results = analysis_results.survey_results(survey)
    assert results.total == 4
    assert [(c.key, c.count) for c in results.channels] == [
        ("web", 2),
        ("paper", 1),
        ("import", 1),
    ]
    assert [(row.key, row.count, row.percent) for row in results.languages] == [
        ("ja", 3, 75.0),
        ("en", 1, 25.0),
    ]
    by_question = {r.question.text: r for r in results.questions}

    sat1 = by_question["対応の満足度"]
    assert numbers(sat1.satisfaction) == (4, 3.25, 2, 50.0)
    assert [(p.key, p.count, p.percent) for p in sat1.points] == [
        (5, 1, 25.0),
        (4, 1, 25.0),
        (3, 1, 25.0),
        (2, 0, 0.0),
        (1, 1, 25.0),
    ]
    assert sat1.points[0].label == "5 満足"
    assert numbers(by_question["待ち時間の満足度"].satisfaction) == (2, 3.0, 1, 50.0)

    single = by_question["来庁の目的"]
    assert single.answered == 3
    assert [(c.label, c.count, c.percent) for c in single.choices] == [
        ("転入", 2, 66.7),
        ("証明書", 1, 33.3),
    ]
    multiple = by_question["分かりにくい点"]
    assert multiple.answered == 2  # respondents, not ticks
    assert [(c.label, c.count, c.percent) for c in multiple.choices] == [
        ("案内表示", 2, 100.0),
        ("書類の書き方", 1, 50.0),
        ("呼出し", 0, 0.0),
    ]
    number = by_question["待ち時間（分）"]
    assert (number.answered, number.minimum, number.mean, number.maximum) == (
        3,
        Decimal("10"),
        Decimal("20"),
        Decimal("30"),
    )
    assert by_question["ご意見"].text_count == 2  # the empty text is no answer
    window = by_question["利用した窓口"]
    assert [(c.label, c.count) for c in window.choices] == [
        ("住民記録窓口", 1),
        ("国民健康保険窓口", 1),
    ]

    assert numbers(results.satisfaction) == (6, 3.17, 3, 50.0)
    assert [(r.label, numbers(r.satisfaction)) for r in results.windows] == [
        ("住民記録窓口", (4, 3.5, 2, 50.0)),
        ("国民健康保険窓口", (1, 4.0, 1, 100.0)),
        ("窓口の指定なし", (1, 1.0, 0, 0.0)),
    ]


def test_survey_analysis_page_shows_distributions_and_charts(client, people, survey, known):
    client.force_login(people.manager)
    response = client.get(reverse("feedback:survey_analysis", args=[survey.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Q3　来庁の目的" in page
    assert "66.7%" in page
    assert 'role="img"' in page
    assert reverse("feedback:survey_free_text", args=[survey.pk]) in page


def test_council_sees_results_but_no_link_to_free_text_or_exports(client, people, survey, known):
    client.force_login(people.council)
    page = client.get(reverse("feedback:survey_analysis", args=[survey.pk])).content.decode()
    assert reverse("feedback:survey_free_text", args=[survey.pk]) not in page
    assert reverse("feedback:survey_responses_export_csv", args=[survey.pk]) not in page


def test_a_survey_without_answers_shows_empty_results(client, people, survey):
    QuestionFactory(survey=survey)
    client.force_login(people.subcommittee)
    response = client.get(reverse("feedback:survey_analysis", args=[survey.pk]))
    assert response.status_code == 200
    assert response.context["results"].total == 0


# ---------------------------------------------------------------------------------------------
# Free text


def test_free_text_lists_answers_with_a_link_to_register_a_voice(client, people, survey, known):
    client.force_login(people.manager)
    response = client.get(reverse("feedback:survey_free_text", args=[survey.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "待ち時間が長い" in page and "案内が分かりやすい" in page
    answer = Answer.objects.get(text="待ち時間が長い")
    assert f"{reverse('feedback:voice_create')}?answer={answer.pk}" in page


def test_free_text_filters_by_question_window_month_and_keyword(
    client, people, survey, known, windows
):
    client.force_login(people.subcommittee)
    url = reverse("feedback:survey_free_text", args=[survey.pk])

    def texts(**params):
        response = client.get(url, params)
        return [a.text for a in response.context["page_obj"].object_list]

    assert texts() == ["案内が分かりやすい", "待ち時間が長い"]
    assert texts(window=windows.jumin.pk) == ["待ち時間が長い"]
    assert texts(month="2026-06") == ["案内が分かりやすい"]
    assert texts(keyword="待ち") == ["待ち時間が長い"]
    assert texts(question=known["text"].pk, keyword="なし") == []
    response = client.get(url, {"month": "June"})
    assert "2026-06" in response.content.decode()  # the field's error explains the format


@pytest.mark.parametrize("who", ["council", "admin", "staff"])
def test_free_text_is_refused_to_those_who_may_not_read_it(client, people, survey, who):
    client.force_login(getattr(people, who))
    response = client.get(reverse("feedback:survey_free_text", args=[survey.pk]))
    assert response.status_code == 403
    assert "自由記述の回答を読めるのは" in response.content.decode()


def test_free_text_is_paginated(client, people, survey):
    question = QuestionFactory(survey=survey, kind="text", text="ご意見")
    for n in range(25):
        respond(survey, D(2026, 7, 1), {question: f"意見{n}"})
    client.force_login(people.subcommittee)
    url = reverse("feedback:survey_free_text", args=[survey.pk])
    assert len(client.get(url).context["page_obj"].object_list) == 20
    assert len(client.get(url, {"page": 2}).context["page_obj"].object_list) == 5


# ---------------------------------------------------------------------------------------------
# Queries stay fixed as answers grow


def bulk_responses(survey, questions, count, start=0):
    """`count` responses with an answer to each question, in two bulk inserts."""
    kinds = {q.pk: q for q in questions}
    responses = Response.objects.bulk_create(
        Response(
            survey=survey,
            submitted_on=D(2026, 4 + (n % 9), 1 + n % 28),
            channel=["web", "paper", "import"][n % 3],
            language="ja",
            submission_key=f"bulk-{start + n}",
        )
        for n in range(count)
    )
    answers = []
    for n, response in enumerate(responses):
        for question in kinds.values():
            if question.kind == "satisfaction":
                answers.append(Answer(response=response, question=question, number=1 + n % 5))
            elif question.kind == "number":
                answers.append(Answer(response=response, question=question, number=n))
            elif question.kind == "text":
                answers.append(Answer(response=response, question=question, text=f"意見{n}"))
            else:
                choices = list(question.choices.all())
                answers.append(
                    Answer(response=response, question=question, choice=choices[n % len(choices)])
                )
    Answer.objects.bulk_create(answers, batch_size=2000)


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_analysis_pages_run_the_same_queries_at_10_and_1000_responses(client, people, survey):
    questions = [
        QuestionFactory(survey=survey, kind="satisfaction"),
        QuestionFactory(survey=survey, kind="single"),
        QuestionFactory(survey=survey, kind="multiple"),
        QuestionFactory(survey=survey, kind="number"),
        QuestionFactory(survey=survey, kind="text"),
    ]
    for question in questions[1:3]:
        ChoiceFactory(question=question)
        ChoiceFactory(question=question)
    client.force_login(people.subcommittee)
    pages = [
        (ANALYSIS, {"fiscal_year": 2026}),
        (reverse("feedback:survey_analysis", args=[survey.pk]), None),
        (reverse("feedback:survey_free_text", args=[survey.pk]), None),
    ]
    client.get(ANALYSIS)  # the first request after login also stores the session
    bulk_responses(survey, questions, 10)
    small = [count_queries(client, url, params) for url, params in pages]
    bulk_responses(survey, questions, 990, start=10)
    large = [count_queries(client, url, params) for url, params in pages]
    assert small == large
    assert max(large) <= 25


def test_a_kept_survey_analysis_reads_its_survey_without_a_join(client, people, survey):
    """Once kept, the page's one query of its own is the survey (scoped to the office, with its
    newest answer's id): no relation joined, since the page shows none."""
    QuestionFactory(survey=survey, kind="satisfaction")
    client.force_login(people.subcommittee)
    url = reverse("feedback:survey_analysis", args=[survey.pk])
    assert client.get(url).status_code == 200  # made and kept
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    own = [q["sql"] for q in captured.captured_queries if '"feedback_survey"' in q["sql"]]
    assert len(own) == 1
    assert " JOIN " not in own[0], own[0]


# ---------------------------------------------------------------------------------------------
# Exports


def csv_rows(content, encoding="utf-8-sig"):
    return list(csv.reader(io.StringIO(content.decode(encoding), newline="")))


def test_analysis_csv_has_a_bom_and_every_table_with_the_filters(client, people, known):
    client.force_login(people.subcommittee)
    response = client.get(reverse("feedback:analysis_export_csv"), {"fiscal_year": 2026})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response.content)
    assert rows[0][:4] == ["集計", "区分", "課", "回答件数"]
    assert ["年度比較", "令和8年度（2026年度）", "", "6", "3.17", "3", "50"] in rows
    assert ["窓口別（令和8年度）", "住民記録窓口", "区民課", "4", "3.5", "2", "50"] in rows
    assert ["課別（令和8年度）", "保険年金課", "", "1", "4", "1", "100"] in rows
    assert ["月別（令和8年度）", "2026年4月", "", "4", "3.5", "2", "50"] in rows
    assert ["月別（令和7年度）", "2025年5月", "", "1", "5", "1", "100"] in rows
    event = AuditEvent.objects.get(action="export")
    assert event.detail["what"] == "survey_analysis"
    assert event.detail["rows"] == len(rows) - 1
    assert event.user == people.subcommittee

    filtered = client.get(
        reverse("feedback:analysis_export_csv"), {"fiscal_year": 2026, "channel": "paper"}
    )
    assert ["年度比較", "令和8年度（2026年度）", "", "2", "2.5", "0", "0"] in csv_rows(
        filtered.content
    )


def test_analysis_xlsx_has_a_sheet_per_table_with_numbers(client, people, known):
    client.force_login(people.manager)
    response = client.get(reverse("feedback:analysis_export_xlsx"), {"fiscal_year": 2026})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["年度比較", "窓口別", "課別", "月別"]
    sheet = workbook["年度比較"]
    assert [c.value for c in sheet[2]] == [
        "年度比較",
        "令和8年度（2026年度）",
        None,
        6,
        3.17,
        3,
        50,
    ]
    assert sheet.cell(row=2, column=5).number_format == "0.00"
    assert AuditEvent.objects.filter(action="export", detail__format="xlsx").exists()


def test_analysis_csv_in_cp932_on_request(client, people, known):
    client.force_login(people.subcommittee)
    response = client.get(
        reverse("feedback:analysis_export_csv"), {"fiscal_year": 2026, "encoding": "cp932"}
    )
    assert response["Content-Type"] == "text/csv; charset=shift_jis"
    assert not response.content.startswith(b"\xef\xbb\xbf")
    assert csv_rows(response.content, "cp932")[1][0] == "年度比較"


@pytest.mark.parametrize("who", ["council", "admin", "staff"])
def test_those_without_the_export_permission_cannot_export(client, people, survey, who):
    client.force_login(getattr(people, who))
    for url in (
        reverse("feedback:analysis_export_csv"),
        reverse("feedback:analysis_export_xlsx"),
        reverse("feedback:survey_responses_export_csv", args=[survey.pk]),
        reverse("feedback:survey_responses_export_xlsx", args=[survey.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "出力できるのは" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_another_offices_responses_cannot_be_exported(client, stranger, survey):
    client.force_login(stranger)
    url = reverse("feedback:survey_responses_export_csv", args=[survey.pk])
    assert client.get(url).status_code == 404


def test_responses_csv_has_a_row_per_response_and_a_column_per_question(
    client, people, survey, known
):
    client.force_login(people.subcommittee)
    response = client.get(reverse("feedback:survey_responses_export_csv", args=[survey.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(response.content)
    assert rows[0] == [
        "回答ID",
        "回答日",
        "回答方法",
        "言語",
        "窓口",
        "Q1 対応の満足度",
        "Q2 待ち時間の満足度",
        "Q3 来庁の目的",
        "Q4 分かりにくい点",
        "Q5 待ち時間（分）",
        "Q6 ご意見",
        "Q7 利用した窓口",
    ]
    assert len(rows) == 5
    first = Response.objects.filter(survey=survey).order_by("submitted_on").first()
    assert rows[1] == [
        str(first.pk),
        "2026-04-10",
        "ウェブ（QRコード）",
        "日本語",
        "住民記録窓口",
        "5",
        "4",
        "転入",
        "案内表示;書類の書き方",
        "10",
        "待ち時間が長い",
        "住民記録窓口",
    ]
    event = AuditEvent.objects.get(action="export")
    assert event.detail == {
        "what": "survey_responses",
        "survey": survey.pk,
        "rows": 4,
        "format": "csv-utf-8",
        "free_text": True,
    }


def test_responses_export_escapes_text_excel_would_take_for_a_formula(client, people, survey):
    question = QuestionFactory(survey=survey, kind="text", text="ご意見")
    respond(survey, D(2026, 7, 1), {question: '=HYPERLINK("http://evil")'})
    respond(survey, D(2026, 7, 2), {question: "-1点"})
    client.force_login(people.subcommittee)
    rows = csv_rows(
        client.get(reverse("feedback:survey_responses_export_csv", args=[survey.pk])).content
    )
    assert rows[1][-1] == '\'=HYPERLINK("http://evil")'
    assert rows[2][-1] == "'-1点"
    response = client.get(reverse("feedback:survey_responses_export_xlsx", args=[survey.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=6).value == '=HYPERLINK("http://evil")'
    assert sheet.cell(row=2, column=6).data_type == "s"


def test_free_text_is_left_out_of_the_export_for_those_who_may_not_read_it(
    client, people, survey, known
):
    # Today the same roles may export and read free text; a role that may only export is
    # simulated by refusing the reading rule for the length of the test.
    original = permissions["feedback.read_free_text"]
    rules.set_perm("feedback.read_free_text", rules.always_deny)
    try:
        client.force_login(people.subcommittee)
        response = client.get(reverse("feedback:survey_responses_export_csv", args=[survey.pk]))
        rows = csv_rows(response.content)
        page = client.get(reverse("feedback:survey_analysis", args=[survey.pk])).content.decode()
    finally:
        rules.set_perm("feedback.read_free_text", original)
    assert "Q6 ご意見" not in rows[0]
    assert "待ち時間が長い" not in response.content.decode("utf-8-sig")
    assert AuditEvent.objects.get(action="export").detail["free_text"] is False
    assert "自由記述の回答は、読む権限のある人が出力したときだけ" in page


def test_responses_cp932_export_fails_loudly_on_characters_it_cannot_hold(client, people, survey):
    question = QuestionFactory(survey=survey, kind="text", text="ご意見")
    response = respond(survey, D(2026, 7, 1), {question: "𠮷野家の隣の窓口"})
    client.force_login(people.subcommittee)
    result = client.get(
        reverse("feedback:survey_responses_export_csv", args=[survey.pk]), {"encoding": "cp932"}
    )
    assert result.status_code == 400
    page = result.content.decode()
    assert f"回答ID {response.pk}" in page and "𠮷" in page
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_change_from_last_year_is_the_difference_of_the_figures_shown():
    # 3.8249… is shown as 3.82 and 3.7049… as 3.70: the change shown beside them is 0.12,
    # not the 0.1200… → 0.12 of the exact means — and 3.815 vs 3.705 must not give 0.11.
    from datetime import date

    from feedback.analysis.results import FiscalComparison, Satisfaction
    from takatsu_portal.core.fiscal import FiscalYear

    this = Satisfaction(count=100, mean=Decimal("3.815"), satisfied=70)
    last = Satisfaction(count=100, mean=Decimal("3.7049"), satisfied=60)
    comparison = FiscalComparison(
        this_year=FiscalYear.of(date(2026, 4, 1)),
        last_year=FiscalYear.of(date(2025, 4, 1)),
        this=this,
        last=last,
    )
    assert (this.mean_value, last.mean_value) == (3.82, 3.70)
    assert comparison.mean_change == 0.12
