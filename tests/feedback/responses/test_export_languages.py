"""The Shift-JIS export of a multilingual survey works (#10.4): the 言語 column holds the
Japanese name of the language (韓国語, not 한국어), which imports back; Shift-JIS is refused only
for cells that truly cannot be written, naming the row and the column."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from feedback.responses.spreadsheet import parse_language
from tests.feedback.analysis.test_analysis import respond
from tests.feedback.factories import QuestionFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def export(client, survey):
    return client.get(
        reverse("feedback:survey_responses_export_csv", args=[survey.pk]), {"encoding": "cp932"}
    )


def test_a_multilingual_survey_exports_in_shift_jis_with_japanese_language_names(
    client, people, survey
):
    question = QuestionFactory(survey=survey, kind="text", text="ご意見")
    for language in ("ko", "vi", "pt", "zh", "en", "ja-easy"):
        respond(survey, D(2026, 7, 1), {question: "ありがとう"}, language=language)
    client.force_login(people.subcommittee)
    response = export(client, survey)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("cp932"), newline="")))
    column = rows[0].index("言語")
    assert sorted(row[column] for row in rows[1:]) == sorted(
        ["韓国語", "ベトナム語", "ポルトガル語", "中国語", "英語", "やさしい日本語"]
    )


def test_the_japanese_language_names_import_back():
    assert parse_language("韓国語") == "ko"
    assert parse_language("ベトナム語") == "vi"
    assert parse_language("한국어") == "ko"  # the names files of earlier exports hold


def test_a_cell_shift_jis_cannot_hold_is_named_with_its_column(client, people, survey):
    question = QuestionFactory(survey=survey, kind="text", text="ご意見")
    response = respond(survey, D(2026, 7, 1), {question: "𠮷野家の隣の窓口"}, language="ko")
    client.force_login(people.subcommittee)
    result = export(client, survey)
    assert result.status_code == 400
    page = result.content.decode()
    # The question's column only: the language (韓国語) is written fine.
    assert f"回答ID {response.pk}（列：Q1 ご意見）" in page
