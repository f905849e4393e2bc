"""Bench of an import of survey answers (part of `make bench`, not of the tests).

A file of BENCH_IMPORT_ROWS answers (default 10,000; six questions: satisfaction, single and
multiple choice, a number, the window, a free text) from an external form service is imported
the worker's way: an import job (core/imports.py) is stored as the upload stores it, then the
two task functions are called directly in this process, as a worker would run them —
`core.import_check` (read and check every row, nothing written) and, once confirmed,
`core.import_write` (check again, bulk inserts in one transaction). Against it, the baseline:
a plain PostgreSQL COPY of the same rows (the same responses and answers, built beforehand)
into the same two tables, committed like the import (median of 3; the rows are deleted
after each round).

Prints both times, the ratio and the goal (the worker's time under 10 s) as PASS or MISS (a
MISS does not fail the bench). The survey, its answers and the job are removed afterwards.

    DJANGO_SETTINGS_MODULE=tests.bench.settings DATABASE_URL=…/takatsu_bench \\
        python -m tests.bench.imports
"""

import csv
import io
import random
import statistics
import time
from datetime import date, timedelta

from tests.bench.common import fail, log, whole_number

OFFICE_CODE = "bench-imports"
USERNAME = "bench-imports"
GOAL_SECONDS = 10.0
QUESTIONS = [
    ("satisfaction", "本日の窓口の対応に満足しましたか。", [], True),
    ("single", "本日のご用件", ["転入・転出", "証明書", "保険・年金", "その他"], False),
    ("multiple", "分かりにくかった点", ["案内表示", "書類の書き方", "呼出し", "待ち時間"], False),
    ("number", "待ち時間（分）", [], False),
    ("window", "利用した窓口", [], False),
    ("text", "ご意見・ご要望", [], False),
]
WINDOWS = ["住民記録窓口", "証明書発行窓口", "国民健康保険窓口"]
COMMENTS = ["", "", "", "丁寧に案内していただきました。", "案内表示が分かりにくかったです。"]


def master_data():
    """The bench office, its windows, a subcommittee member, and a new survey for this run."""
    from feedback.models import Choice, Question, ServiceWindow, Survey
    from takatsu_portal.accounts.models import Department, Office, Section, User
    from takatsu_portal.accounts.roles import Role, assign_role

    office, _ = Office.objects.get_or_create(
        code=OFFICE_CODE, defaults={"name": "ベンチ取込み区役所", "sort_order": 98}
    )
    department, _ = Department.objects.get_or_create(office=office, name="区民サービス部")
    section, _ = Section.objects.get_or_create(department=department, name="区民課")
    windows = [ServiceWindow.objects.get_or_create(section=section, name=n)[0] for n in WINDOWS]
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User(username=USERNAME, full_name="ベンチ 取込み", section=section)
        user.set_unusable_password()
        user.save()
        assign_role(user, Role.SUBCOMMITTEE)
    survey = Survey.objects.create(
        office=office,
        title=f"ベンチ用アンケート（取込み {time.strftime('%Y-%m-%d %H:%M:%S')}）",
        opens_on=date(2026, 4, 1),
        closes_on=date(2027, 3, 31),
        created_by=user,
    )
    survey.windows.set(windows)
    for order, (kind, text, choices, required) in enumerate(QUESTIONS, start=1):
        question = Question.objects.create(
            survey=survey, order=order, kind=kind, text=text, required=required
        )
        for number, choice in enumerate(choices, start=1):
            Choice.objects.create(question=question, order=number, text=choice)
    return user, survey


def answers_file(rows):
    """A form service's CSV (UTF-8 with BOM): タイムスタンプ and one column per question."""
    rng = random.Random(16)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["タイムスタンプ", *(text for _, text, _, _ in QUESTIONS)])
    first = date(2026, 4, 1)
    for n in range(rows):
        day = first + timedelta(days=n % 300)
        picked = rng.sample(QUESTIONS[2][2], rng.randint(0, 2))
        writer.writerow(
            [
                f"{day:%Y/%m/%d} {9 + n % 8}:{n % 60:02d}:00",
                rng.choice(["5", "4", "3", "やや不満", "満足"]),
                rng.choice(QUESTIONS[1][2] + [""]),
                ";".join(picked),
                str(rng.randint(0, 60)),
                rng.choice(WINDOWS),
                rng.choice(COMMENTS),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def copy_rows(clean, survey, user):
    """The responses and answers the import stores (CleanResponses) as COPY rows, with ids
    drawn from the tables' sequences beforehand (not timed)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('feedback_response', 'id'))"
            " FROM generate_series(1, %s)",
            [len(clean)],
        )
        ids = [row[0] for row in cursor.fetchall()]
    responses, answers = [], []
    for pk, row in zip(ids, clean, strict=True):
        window = row.window.pk if row.window is not None else None
        responses.append(
            (pk, survey.pk, row.submitted_on, "import", row.language, window,
             row.submission_key, user.pk)
        )  # fmt: skip
        for answer in row.answers:
            answers.append(
                (pk, answer["question_id"], answer.get("choice_id"), answer.get("number"),
                 answer.get("text", ""))
            )  # fmt: skip
    return responses, answers


def copy_once(survey, responses, answers):
    """COPY the rows into feedback_response and feedback_answer and commit, as the import
    commits; seconds. The rows are deleted afterwards (not timed)."""
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy(
            "COPY feedback_response (id, survey_id, submitted_on, channel, language,"
            " window_id, submission_key, entered_by_id) FROM STDIN"
        ) as copy:
            for row in responses:
                copy.write_row(row)
        with cursor.copy(
            "COPY feedback_answer (response_id, question_id, choice_id, number, text) FROM STDIN"
        ) as copy:
            for row in answers:
                copy.write_row(row)
    seconds = time.perf_counter() - started
    delete_answers(survey)
    return seconds


def delete_answers(survey):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM feedback_answer WHERE response_id IN"
            " (SELECT id FROM feedback_response WHERE survey_id = %s)",
            [survey.pk],
        )
        cursor.execute("DELETE FROM feedback_response WHERE survey_id = %s", [survey.pk])


def clean_up(survey, job):
    delete_answers(survey)
    if job is not None:
        job.file.delete(save=False)
        job.delete()
    survey.questions.all().delete()
    survey.windows.clear()
    survey.delete()


def main():
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.urls import reverse

    from feedback.models import Answer, Response
    from feedback.responses import imports as response_imports
    from takatsu_portal.core import imports
    from takatsu_portal.core.import_tasks import import_check, import_write
    from takatsu_portal.core.models import ImportJob

    if connection.vendor != "postgresql":
        fail("the import bench needs PostgreSQL (COPY is its baseline)")
    rows = whole_number("BENCH_IMPORT_ROWS", 10_000)
    user, survey = master_data()
    job = None
    # The tasks are called here, as a worker calls them: nothing is sent to a broker.
    imports.enqueue = lambda job_id, task_name: None
    try:
        data = answers_file(rows)
        log(f"a file of {rows:,} answers ({len(data) / 1024 / 1024:.1f} MB); the baseline first")
        job = imports.import_request(
            kind=response_imports.KIND,
            params={"survey": survey.pk},
            upload=SimpleUploadedFile("bench-answers.csv", data),
            by=user,
        )
        job.confirmed_by = user
        _, clean, _, _ = response_imports._check(job, data, imports.SILENT)
        responses, answers = copy_rows(clean, survey, user)
        copy_seconds = statistics.median(copy_once(survey, responses, answers) for _ in range(3))
        reverse("home")  # a worker that has run a task before has its URLs loaded

        log("the worker's way: core.import_check, then core.import_write")
        started = time.perf_counter()
        state = import_check(job.pk)
        check_seconds = time.perf_counter() - started
        job.refresh_from_db()
        if state != ImportJob.State.READY or job.bad_rows:
            fail(f"the check ended {state} with {job.bad_rows} bad rows: {job.error}")
        imports.import_confirm(job=job, by=user)
        started = time.perf_counter()
        state = import_write(job.pk)
        write_seconds = time.perf_counter() - started
        job.refresh_from_db()
        if state != ImportJob.State.DONE:
            fail(f"the write ended {state}: {job.error} {job.error_detail}")
        stored = Response.objects.filter(survey=survey).count()
        stored_answers = Answer.objects.filter(response__survey=survey).count()
        if (stored, stored_answers) != (len(responses), len(answers)):
            fail(
                f"the import stored {stored} responses and {stored_answers} answers, "
                f"COPY {len(responses)} and {len(answers)}"
            )
    finally:
        clean_up(survey, job)

    worker = check_seconds + write_seconds
    print()
    print(
        f"Import of {rows:,} survey answers ({len(responses):,} responses, "
        f"{len(answers):,} answer rows), PostgreSQL {connection.settings_dict['NAME']}:"
    )
    print(f"  {'what':<34} {'seconds':>8}")
    print(f"  {'worker: check (import_check)':<34} {check_seconds:>8.2f}")
    print(f"  {'worker: write (import_write)':<34} {write_seconds:>8.2f}")
    print(f"  {'worker: total':<34} {worker:>8.2f}")
    print(f"  {'baseline: COPY of the same rows':<34} {copy_seconds:>8.2f}")
    print(f"  ratio worker / COPY: {worker / copy_seconds:.1f}×")
    verdict = "PASS" if worker < GOAL_SECONDS else "MISS"
    print(f"  goal: {rows:,} answers in under {GOAL_SECONDS:.0f} s of worker time — {verdict}")


if __name__ == "__main__":
    main()
