"""Export and import of the glossary: CSV and .xlsx in the same columns; an import is all rows
or none, and every bad row is reported."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from takatsu_portal.accounts.roles import Role
from takatsu_portal.plain_language.io import HEADER
from takatsu_portal.plain_language.models import Term

pytestmark = pytest.mark.django_db


def csv_file(rows, name="glossary.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), "text/csv")


def xlsx_file(rows):
    workbook = Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("glossary.xlsx", buffer.getvalue())


def post_import(client, upload):
    return client.post(reverse("plain_language:glossary_import"), {"file": upload})


@pytest.fixture
def editor(client, role_users):
    client.force_login(role_users[Role.EDITOR])
    return role_users[Role.EDITOR]


def test_the_csv_export_has_every_term_in_the_import_columns(client, editor):
    response = client.get(reverse("plain_language:glossary_export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert len(rows) - 1 == Term.objects.count()
    row = next(r for r in rows if r[0] == "当該")
    assert row[2:4] == ["役所言葉", "その\nこの"]


def test_an_exported_file_imports_unchanged(client, editor):
    for name in ("glossary_export_csv", "glossary_export_xlsx"):
        data = client.get(reverse(f"plain_language:{name}")).content
        extension = "csv" if name.endswith("csv") else "xlsx"
        upload = SimpleUploadedFile(f"g.{extension}", data)
        response = post_import(client, upload)
        assert response.status_code == 302, response.content.decode()[:2000]
        message = list(response.wsgi_request._messages)[0].message
        assert f"変更なし{Term.objects.count()}件" in message


def test_the_shift_jis_export_names_each_term_it_cannot_write(client, editor):
    url = reverse("plain_language:glossary_export_csv")
    response = client.get(url, {"encoding": "cp932"})
    assert response["Content-Type"] == "text/csv; charset=shift_jis"
    assert "当該" in response.content.decode("cp932")
    Term.objects.create(term="𠮷野家方式", category="jargon", alternatives="吉野家のやり方")
    refused = client.get(url, {"encoding": "cp932"})
    assert refused.status_code == 400
    # The floor names the row (the term) and the column of each cell it cannot write.
    assert ("𠮷野家方式（列：用語）", "𠮷") in refused.context["problems"]


def test_the_xlsx_export_opens_in_excel(client, editor):
    data = client.get(reverse("plain_language:glossary_export_xlsx")).content
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row - 1 == Term.objects.count()


def test_an_import_adds_new_terms_and_updates_existing_ones(client, editor):
    response = post_import(
        client,
        xlsx_file(
            [
                ["ご足労", "ごそくろう", "役所言葉", "お越し", "", "", "", "はい", "はい"],
                ["当該", "とうがい", "役所言葉", "その\n該当の", "説明を変えました。"] + [""] * 4,
            ]
        ),
    )
    assert response.status_code == 302
    assert Term.objects.get(term="ご足労").updated_by == editor
    term = Term.objects.get(term="当該")
    assert term.alternative_list == ["その", "該当の"]
    assert term.version == 2
    assert term.history.latest().history_user == editor


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(client, editor):
    before = Term.objects.count()
    response = post_import(
        client,
        csv_file(
            [
                ["ご足労", "ごそくろう", "役所言葉", "お越し", "", "", "", "", ""],
                ["", "なし", "役所言葉", "なにか", "", "", "", "", ""],
                ["ご査収", "", "難しい言葉", "ご確認", "", "", "", "", ""],
                ["拝察", "", "役所言葉", "", "", "", "", "たぶん", ""],
                ["ご足労", "", "役所言葉", "おいで", "", "", "", "", ""],
            ]
        ),
    )
    assert response.status_code == 400
    problems = response.context["problems"]
    assert [line for line, _, _ in problems] == [3, 4, 5, 6]
    reasons = {line: reason for line, _, reason in problems}
    assert "用語" in reasons[3]
    assert "分類「難しい言葉」がありません" in reasons[4]
    assert "言い換え" in reasons[5] and "置き換えボタンは「はい」か「いいえ」" in reasons[5]
    assert "2行目にもあります" in reasons[6]
    assert Term.objects.count() == before
    assert not Term.objects.filter(term="ご足労").exists()
    assert "何も取り込んでいません" in response.content.decode()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("g.txt", b"abc"), "CSV（.csv）又はExcel（.xlsx）のファイルを選んで"),
        (SimpleUploadedFile("g.xlsx", b"not a zip"), "Excel（.xlsx）形式のファイルではありません"),
        (
            SimpleUploadedFile("g.csv", "名前,読み\n当該,とうがい\n".encode()),
            "1行目の列名が違います",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(client, editor, upload, message):
    response = post_import(client, upload)
    assert response.status_code == 400
    assert message in response.context["refusal"]


def test_an_import_queues_one_warm_up_however_many_rows(
    client, editor, django_capture_on_commit_callbacks, monkeypatch
):
    from takatsu_portal.plain_language import tasks

    # Other commit hooks run too (each saved row tells the attention cache of its change);
    # what is counted is the warm-ups queued.
    sent = []
    monkeypatch.setattr(tasks.warm_audit, "delay", lambda: sent.append(1))
    rows = [[f"試験語{n}", "", "役所言葉", "ことば", "", "", "", "", ""] for n in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        response = post_import(client, csv_file(rows))
    assert response.status_code == 302
    assert sent == [1]
