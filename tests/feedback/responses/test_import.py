"""Answers imported from an external form service, as import jobs (core/imports.py): the worker
checks every row by response_build in the preview, every bad row is listed with its number and
reasons, nothing is stored unless every row is good, all rows are stored at once on
confirmation, and the same file is never stored twice.

The tasks run in this process (eager) when the upload's and the confirmation's transactions
commit (captureOnCommitCallbacks); tests/browser/test_imports_flow.py runs a real worker."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from feedback.models import Answer, Response
from feedback.responses import spreadsheet as imports
from takatsu_portal.core.models import ImportJob
from tests.feedback.factories import ChoiceFactory, QuestionFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "タイムスタンプ",
    "本日の窓口の対応に満足しましたか。",
    "来庁の目的",
    "分かりにくかった点",
    "待ち時間（分）",
    "利用した窓口",
    "ご意見",
]
GOOD = [
    ["2026/06/01 10:23:45", "5", "転入", "案内表示;書類", "15", "住民記録窓口", "丁寧でした"],
    ["2026-06-02", "やや満足", "証明書", "案内表示、呼出し", "", "国民健康保険窓口", ""],
    ["2026年6月3日", "ふつう", "", "", "0", "", "=1+1 と書く人もいる"],
]


@pytest.fixture
def sheet(survey):
    q = {
        "sat": QuestionFactory(survey=survey, order=1),
        "single": QuestionFactory(
            survey=survey, order=2, kind="single", text="来庁の目的", required=False
        ),
        "multiple": QuestionFactory(
            survey=survey, order=3, kind="multiple", text="分かりにくかった点", required=False
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
    for text in ("転入", "証明書"):
        ChoiceFactory(question=q["single"], text=text)
    for text in ("案内表示", "書類", "呼出し"):
        ChoiceFactory(question=q["multiple"], text=text)
    return q


def import_url(survey):
    return reverse("feedback:response_import", args=[survey.pk])


def confirm_url(job):
    return reverse("imports:confirm", args=[job.pk])


def csv_file(rows, *, header=HEADER, encoding="utf-8-sig", name="answers.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, *, header=HEADER, name="answers.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def run_tasks():
    """The tasks sent on commit run here and now (eager), as a worker would run them."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def upload(client, survey, file):
    """Upload a file; when it became a job, the job's page once the worker has checked it."""
    with run_tasks():
        response = client.post(import_url(survey), {"file": file})
    if response.status_code == 302 and response["Location"].startswith("/imports/"):
        return client.get(response["Location"])
    return response


def confirm(client, survey, preview):
    """「取り込む」 on the job's page; the worker writes; the answer is the redirect."""
    with run_tasks():
        return client.post(confirm_url(preview.context["job"]))


def job_of(preview):
    job = preview.context["job"]
    job.refresh_from_db()
    return job


def bad_rows(job):
    return {row["number"]: row["errors"] for row in job.result["bad"]}


@pytest.fixture
def manager(client, people):
    client.force_login(people.manager)
    return people.manager


def test_a_good_file_is_previewed_then_stored_at_once(client, manager, survey, sheet, windows):
    preview = upload(client, survey, csv_file(GOOD))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "すべての行を取り込めます" in page
    assert "新しい回答3件・取込み済み0件" in page
    assert not Response.objects.exists()  # the check stored nothing

    job = job_of(preview)
    assert (job.state, job.rows_checked, job.bad_rows) == ("ready", 3, 0)

    response = confirm(client, survey, preview)
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.state, job.rows_written, job.confirmed_by) == ("done", 3, manager)
    stored = list(Response.objects.filter(survey=survey).order_by("submitted_on"))
    assert [str(r.submitted_on) for r in stored] == ["2026-06-01", "2026-06-02", "2026-06-03"]
    assert {r.channel for r in stored} == {Response.Channel.IMPORT}
    assert {r.entered_by for r in stored} == {manager}
    assert [r.window for r in stored] == [windows.jumin, windows.hoken, None]
    first, second, third = stored
    assert Answer.objects.get(response=first, question=sheet["sat"]).number == Decimal(5)
    assert Answer.objects.get(response=second, question=sheet["sat"]).number == Decimal(4)
    assert Answer.objects.get(response=third, question=sheet["sat"]).number == Decimal(3)
    assert [
        a.choice.text for a in Answer.objects.filter(response=second, question=sheet["multiple"])
    ] == ["案内表示", "呼出し"]
    assert Answer.objects.get(response=third, question=sheet["number"]).number == Decimal(0)
    assert Answer.objects.get(response=third, question=sheet["text"]).text == "=1+1 と書く人もいる"
    assert not Answer.objects.filter(response=second, question=sheet["text"]).exists()
    message = client.get(response["Location"]).content.decode()
    assert "「answers.csv」から3件の回答を取り込みました。" in message
    assert reverse("feedback:survey_analysis", args=[survey.pk]) in message


def test_a_file_with_bad_rows_imports_nothing_and_lists_each_bad_row(
    client, manager, survey, sheet
):
    rows = [
        GOOD[0],
        ["2026-06-02", "とても満足", "転出", "案内表示;駐車場", "abc", "市役所", ""],
        GOOD[1],
        ["", "", "", "", "999", "", ""],
        ["2025-06-01", "3", "", "", "", "", ""],
    ]
    preview = upload(client, survey, csv_file(rows))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "取り込めない行が3行あります" in page
    bad = bad_rows(job_of(preview))
    assert sorted(bad) == [3, 5, 6]
    assert bad[3] == [
        "Q1：満足度「とても満足」は読めません（1〜5の数字、又は「満足・やや満足・ふつう・やや不満・不満」）",
        "Q2：選択肢にない回答「転出」です（選択肢：転入、証明書）",
        "Q3：選択肢にない回答「駐車場」です（選択肢：案内表示、書類、呼出し。"
        "複数の回答は「;」又は「、」で区切ります）",
        "Q4：数値「abc」は読めません",
        "Q5：窓口「市役所」はこのアンケートの窓口にありません（住民記録窓口、国民健康保険窓口）",
    ]
    assert "回答日「」は日付として読めません（例：2026-06-01、2026/6/1）" in bad[5]
    assert "Q1：この質問への回答は必須です。" in bad[5]
    assert "Q4：300以下の数値を入力してください。" in bad[5]
    assert any("実施期間" in reason for reason in bad[6])
    for number in (3, 5, 6):
        assert f"{number}行目：" in page
    assert "取り込む</button>" not in page
    # Confirming anyway (a hand-made POST) stores nothing.
    response = confirm(client, survey, preview)
    assert response.status_code == 302
    assert "すべての行が正しい取込みだけです" in client.get(response["Location"]).content.decode()
    assert job_of(preview).state == "ready"
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_a_cp932_file_is_read(client, manager, survey, sheet):
    preview = upload(client, survey, csv_file(GOOD, encoding="cp932"))
    assert job_of(preview).is_confirmable
    confirm(client, survey, preview)
    assert Response.objects.filter(survey=survey).count() == 3
    assert Answer.objects.filter(text="丁寧でした").exists()


def test_a_utf8_file_without_a_bom_is_read(client, manager, survey, sheet):
    preview = upload(client, survey, csv_file(GOOD, encoding="utf-8"))
    assert job_of(preview).is_confirmable


def test_an_xlsx_file_with_dates_and_numbers_as_cells_is_read(client, manager, survey, sheet):
    import datetime

    rows = [
        [datetime.datetime(2026, 6, 1, 10, 23), 5, "転入", "書類", 15, "住民記録窓口", None],
        [datetime.date(2026, 6, 2), 4.0, None, None, 2.5, None, "よかった"],
    ]
    preview = upload(client, survey, xlsx_file(rows))
    assert job_of(preview).is_confirmable, bad_rows(job_of(preview))
    confirm(client, survey, preview)
    numbers = Answer.objects.filter(question=sheet["number"]).order_by("number")
    assert [a.number for a in numbers] == [Decimal("2.5"), Decimal(15)]


def test_columns_may_be_named_q1_q2_in_the_surveys_order(client, manager, survey, sheet):
    header = ["回答日", "Q1", "Q3. 分かりにくかった点", "言語", "窓口", "メールアドレス"]
    rows = [["2026-06-01", "満足", "書類", "English", "国民健康保険窓口", "a@example.jp"]]
    preview = upload(client, survey, csv_file(rows, header=header))
    job = job_of(preview)
    assert job.is_confirmable, bad_rows(job)
    assert job.result["extra"]["ignored"] == ["メールアドレス"]
    assert "Q2「来庁の目的」" in job.result["extra"]["missing_optional"][0]
    assert (
        "次の列は取込みの対象ではないため、無視します：メールアドレス" in preview.content.decode()
    )
    confirm(client, survey, preview)
    stored = Response.objects.get(survey=survey)
    assert stored.language == "en"
    assert stored.window.name == "国民健康保険窓口"


def test_importing_the_same_file_again_adds_nothing(client, manager, survey, sheet):
    confirm(client, survey, upload(client, survey, csv_file(GOOD)))
    assert Response.objects.count() == 3
    preview = upload(client, survey, csv_file(GOOD))
    assert "新しい回答0件・取込み済み3件" in preview.content.decode()
    response = confirm(client, survey, preview)
    assert response.status_code == 302
    assert job_of(preview).state == "done"
    assert Response.objects.count() == 3
    assert Answer.objects.count() == Answer.objects.distinct().count()
    message = client.get(response["Location"]).content.decode()
    assert "取込み済みの3行はとばしました" in message


def test_a_file_with_one_more_row_adds_only_that_row(client, manager, survey, sheet):
    confirm(client, survey, upload(client, survey, csv_file(GOOD[:2])))
    assert Response.objects.count() == 2
    # Another file: its rows are new, even those that look the same.
    confirm(client, survey, upload(client, survey, csv_file(GOOD)))
    assert Response.objects.count() == 5


def test_submission_keys_come_from_the_file_and_the_row():
    assert imports.submission_key("abc", 2) == imports.submission_key("abc", 2)
    assert imports.submission_key("abc", 2) != imports.submission_key("abc", 3)
    assert imports.submission_key("abc", 2) != imports.submission_key("abd", 2)
    assert len(imports.submission_key("abc", 2)) == 64


@pytest.mark.parametrize(
    ("file", "reason"),
    [
        (
            SimpleUploadedFile("answers.xls", b"\xd0\xcf\x11\xe0"),
            "この形式のファイルは取り込めません",
        ),
        (SimpleUploadedFile("answers.txt", b"a,b"), "CSV（.csv）又はExcel（.xlsx）のファイル"),
        (
            SimpleUploadedFile("answers.xlsx", b"not a zip"),
            "Excel（.xlsx）形式のファイルではありません",
        ),
        (SimpleUploadedFile("answers.csv", b""), "空です"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_reason(
    client, manager, survey, sheet, file, reason
):
    """Refused at the upload (the cheap checks): the form says why, no job is made."""
    response = upload(client, survey, file)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_whose_header_the_worker_cannot_map_fails_with_the_reason(
    client, manager, survey, sheet
):
    """Refused by the worker's check (the header is read with the rows): the job fails and
    its page says why; nothing is stored."""
    preview = upload(
        client, survey, SimpleUploadedFile("answers.csv", "ご意見\r\nよい\r\n".encode())
    )
    job = job_of(preview)
    assert job.state == "failed"
    assert "回答日の列（見出し「回答日」）がありません" in preview.content.decode()
    assert not Response.objects.exists()


def test_a_file_without_the_column_of_a_required_question_is_refused(
    client, manager, survey, sheet
):
    response = upload(client, survey, csv_file([["2026-06-01"]], header=["回答日"]))
    page = response.content.decode()
    assert "回答必須の質問の列がありません：Q1「本日の窓口の対応に満足しましたか。」" in page


def test_two_columns_for_one_question_are_refused(client, manager, survey, sheet):
    header = ["回答日", "Q1", "本日の窓口の対応に満足しましたか。"]
    response = upload(client, survey, csv_file([["2026-06-01", "5", "5"]], header=header))
    assert "の列が二つあります" in response.content.decode()


def test_files_over_the_size_cap_are_refused(client, manager, survey, sheet, settings):
    settings.RESPONSE_IMPORT_MAX_MB = 1
    big = SimpleUploadedFile("answers.csv", b"x" * (1024 * 1024 + 1))
    response = upload(client, survey, big)
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_files_over_the_row_cap_are_refused(client, manager, survey, sheet, settings):
    settings.RESPONSE_IMPORT_MAX_ROWS = 40
    rows = [["2026-06-01", "5", "", "", "", "", ""]] * 41
    response = upload(client, survey, csv_file(rows))
    assert job_of(response).state == "failed"
    assert "行数が多すぎます（40行を超えています）" in response.content.decode()
    assert not Response.objects.exists()


def test_files_of_more_rows_than_a_project_file_are_taken(client, manager, survey, sheet):
    """A form service's export of a year: more than core.tabular's 1,000 rows by default."""
    rows = [[f"2026-06-{1 + n % 28:02d}", "5", "", "", "", "", ""] for n in range(1200)]
    preview = upload(client, survey, csv_file(rows))
    job = job_of(preview)
    assert (job.state, job.rows_total, job.rows_checked, job.bad_rows) == ("ready", 1200, 1200, 0)
    assert "最初の200行を表示しています（ほかに1000行" in preview.content.decode()
    confirm(client, survey, preview)
    assert Response.objects.filter(survey=survey).count() == 1200


def test_a_file_with_only_a_header_is_refused(client, manager, survey, sheet):
    response = upload(client, survey, csv_file([]))
    assert "取り込む回答の行がありません" in response.content.decode()
    assert job_of(response).state == "failed"


def test_cancelling_forgets_the_file(client, manager, survey, sheet):
    preview = upload(client, survey, csv_file(GOOD))
    job = job_of(preview)
    stored_file = job.file.name
    assert job.file.storage.exists(stored_file)
    with run_tasks():
        response = client.post(reverse("imports:cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == "cancelled"
    assert not job.file.storage.exists(stored_file)
    response = confirm(client, survey, preview)
    assert response.status_code == 302
    assert "すべての行が正しい取込みだけです" in client.get(response["Location"]).content.decode()
    assert not Response.objects.exists()


def test_a_job_of_another_person_is_neither_shown_nor_confirmed(client, people, survey, sheet):
    """A section manager's job: another section manager of the office may not see it (only
    its requester, the subcommittee and administrators do)."""
    client.force_login(people.manager)
    preview = upload(client, survey, csv_file(GOOD))
    job = job_of(preview)
    client.force_login(people.other_manager)
    page = client.get(reverse("imports:detail", args=[job.pk]))
    assert page.status_code == 403
    assert (
        "ファイルを取り込んだ人と、同じ区役所の推進部会の委員・管理者です" in page.content.decode()
    )
    with run_tasks():
        assert client.post(confirm_url(job)).status_code == 403
    assert not Response.objects.exists()


def test_the_import_page_documents_the_columns(client, manager, survey, sheet):
    page = client.get(import_url(survey)).content.decode()
    assert "同じファイルをもう一度取り込んでも、回答は重複しません" in page
    assert "「Q1」「Q2」" in page
    assert "転入" in page and "国民健康保険窓口" in page


@pytest.mark.parametrize("who", ["staff", "council", "admin", "lead"])
def test_only_the_subcommittee_and_managers_may_import(client, people, survey, sheet, who):
    client.force_login(people.manager)
    job = job_of(upload(client, survey, csv_file(GOOD)))
    client.force_login(getattr(people, who))
    response = client.get(import_url(survey))
    assert response.status_code == 403
    assert "回答を取り込めるのは" in response.content.decode()
    assert client.post(import_url(survey), {"file": csv_file(GOOD)}).status_code == 403
    with run_tasks():
        response = client.post(confirm_url(job))
    assert response.status_code == 403
    # The administrator sees every job of the office but may not import answers.
    expected = "回答を取り込めるのは" if who == "admin" else "ファイルを取り込んだ人"
    assert expected in response.content.decode()
    assert ImportJob.objects.count() == 1
    assert not Response.objects.exists()


def test_the_subcommittee_may_import(client, people, survey, sheet):
    client.force_login(people.subcommittee)
    preview = upload(client, survey, csv_file(GOOD))
    assert confirm(client, survey, preview).status_code == 302
    assert Response.objects.count() == 3


def test_another_offices_survey_is_not_found(client, people, stranger, survey, sheet):
    client.force_login(people.manager)
    job = job_of(upload(client, survey, csv_file(GOOD)))
    client.force_login(stranger)
    assert client.get(import_url(survey)).status_code == 404
    assert client.post(import_url(survey), {"file": csv_file(GOOD)}).status_code == 404
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 404
    for action in ("confirm", "cancel", "retry"):
        assert client.post(reverse(f"imports:{action}", args=[job.pk])).status_code == 404
    assert ImportJob.objects.get().state == "ready"
    assert not Response.objects.exists()


def test_an_export_of_the_survey_imports_back(client, people, survey, sheet):
    """The responses export uses the same columns: 回答日 and "Q1 …" headers."""
    client.force_login(people.subcommittee)
    confirm(client, survey, upload(client, survey, csv_file(GOOD)))
    exported = client.get(reverse("feedback:survey_responses_export_csv", args=[survey.pk]))
    again = SimpleUploadedFile("export.csv", exported.content)
    preview = upload(client, survey, again)
    job = job_of(preview)
    assert job.is_confirmable, bad_rows(job)
    assert job.rows_total == 3
    assert "回答ID" in job.result["extra"]["ignored"]


def test_storing_costs_a_fixed_number_of_queries_a_row(client, manager, survey, sheet, windows):
    """The survey's questions, choices and windows are read once for the whole file, and the
    rows are stored with bulk inserts: the confirmation and the worker's writing cost about
    the same number of queries for 3 rows as for 63."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def store(count, hour):
        rows = [[f"2026-06-{1 + n % 28:02d} {hour}:00", *GOOD[n % 3][1:]] for n in range(count)]
        preview = upload(client, survey, csv_file(rows))
        assert job_of(preview).is_confirmable
        with CaptureQueriesContext(connection) as queries:
            confirm(client, survey, preview)
        return len(queries)

    small, large = store(3, 9), store(63, 10)
    assert Response.objects.filter(survey=survey).count() == 66
    assert (large - small) / 60 <= 5, (small, large)
    assert large - small <= 4, (small, large)  # a batch holds up to 1,000 rows


def test_the_administrator_sees_a_job_but_not_the_residents_free_text(
    client, people, survey, sheet
):
    """Administrators manage every import job of the office, but the rows of a file of
    answers (free text included) are for those who read free text: the subcommittee and
    section managers."""
    client.force_login(people.manager)
    preview = upload(client, survey, csv_file(GOOD))
    assert "丁寧でした" in preview.content.decode()
    client.force_login(people.admin)
    page = client.get(reverse("imports:detail", args=[job_of(preview).pk])).content.decode()
    assert "すべての行を取り込めます" in page
    assert "丁寧でした" not in page
    assert "推進部会の委員と課長だけに表示します" in page


def test_a_survey_changed_after_the_check_is_checked_again_and_nothing_is_written(
    client, manager, survey, sheet
):
    """The worker writes the rows its check prepared only while the survey's rules are those
    it checked against: a choice renamed since sends the job back to the preview."""
    preview = upload(client, survey, csv_file(GOOD))
    assert job_of(preview).is_confirmable
    choice = sheet["single"].choices.get(text="転入")
    choice.text = "転入届"
    choice.save()
    response = confirm(client, survey, preview)
    job = job_of(preview)
    assert (job.state, job.confirmed_at, job.bad_rows) == ("ready", None, 1)
    page = client.get(response["Location"]).content.decode()
    assert "確認し直しました。何も取り込んでいません" in page
    assert "2行目：Q2：選択肢にない回答「転入」です" in page
    assert not Response.objects.exists()


def test_rows_another_import_stored_meanwhile_fail_the_job_and_a_retry_leaves_them_out(
    client, manager, survey, sheet
):
    first = upload(client, survey, csv_file(GOOD))
    second = upload(client, survey, csv_file(GOOD))  # the same file, checked before either
    confirm(client, survey, first)
    assert Response.objects.count() == 3
    response = confirm(client, survey, second)
    job = job_of(second)
    assert job.state == "failed"
    assert "別の取込み又は入力で同じ行が登録・変更されました。何も取り込んでいません" in job.error
    assert Response.objects.count() == 3
    with run_tasks():
        client.post(reverse("imports:retry", args=[job.pk]))
    job.refresh_from_db()
    assert (job.state, job.result["summary"]) == ("ready", "新しい回答0件・取込み済み3件")
    assert "再実行" not in client.get(response["Location"]).content.decode()
    confirm(client, survey, second)
    assert job_of(second).state == "done"
    assert Response.objects.count() == 3
