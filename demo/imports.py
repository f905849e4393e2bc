"""Import jobs for the demo (core/imports.py), run through the worker's own functions so the
pages show what a real import leaves: 区民課's manager imported a form service's export of
this year's survey (完了, its rows stored as imported answers), and the subcommittee's file with
the wrong first row failed (失敗, with the reason in Japanese). Called by seed_feedback once
this year's survey exists; a job is found again by its requester and file name, so a second
run writes nothing."""

import csv
import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import Question
from feedback.responses import imports as response_imports
from feedback.surveys.services import survey_windows
from takatsu_portal.accounts.models import User
from takatsu_portal.core import imports
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.models import ImportJob

DONE_FILE = "外部フォーム回答_窓口アンケート_4月分.csv"
FAILED_FILE = "窓口アンケート_集計表（様式違い）.csv"
DONE_ROWS = 40
COMMENTS = [
    "",
    "",
    "",
    "職員の方が丁寧に案内してくれました。",
    "番号札の呼出しが聞き取りにくかったです。",
]


def seed_imports(survey, tally):
    """The two demo import jobs of `survey` (this fiscal year's window survey)."""
    manager = User.objects.get(username="manager")
    subcommittee = User.objects.get(username="subcommittee")
    if not _exists(manager, DONE_FILE):
        job = _request(survey, manager, DONE_FILE, _answers_file(survey))
        imports.run_check(job.pk)
        job.refresh_from_db()
        imports.import_confirm(job=job, by=manager)
        imports.run_write(job.pk)
        tally.created += 1
    else:
        tally.unchanged += 1
    if not _exists(subcommittee, FAILED_FILE):
        content = "受付日時,満足度,ご意見\r\n2026/04/10,5,とても親切でした\r\n".encode("utf-8-sig")
        job = _request(survey, subcommittee, FAILED_FILE, content)
        imports.run_check(job.pk)
        tally.created += 1
    else:
        tally.unchanged += 1


def _exists(user, filename):
    return ImportJob.objects.filter(
        kind=response_imports.KIND, requested_by=user, filename=filename
    ).exists()


def _request(survey, user, filename, content):
    return imports.import_request(
        kind=response_imports.KIND,
        params={"survey": survey.pk},
        upload=SimpleUploadedFile(filename, content),
        by=user,
    )


def _answers_file(survey):
    """A form service's export: 回答日, then Q1, Q2 … with a valid answer to each question,
    dated in April of this fiscal year (never after today)."""
    rng = random.Random(1604)  # noqa: S311  (demo data, drawn the same every run)
    questions = list(survey.questions.order_by("order", "id").prefetch_related("choices"))
    windows = [w.name for w in survey_windows(survey)]
    start = FiscalYear.current().start
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["回答日", *(f"Q{n}" for n in range(1, len(questions) + 1))])
    for n in range(DONE_ROWS):
        day = min(start + timedelta(days=n % 28), today())
        writer.writerow([day.isoformat(), *(_cell(rng, q, windows) for q in questions)])
    return buffer.getvalue().encode("utf-8-sig")


def _cell(rng, question, windows):
    kind = question.kind
    choices = [c.text for c in question.choices.all()]
    if kind == Question.Kind.SATISFACTION:
        return str(rng.choice([5, 5, 4, 4, 4, 3, 2]))
    if kind == Question.Kind.SINGLE:
        return rng.choice(choices)
    if kind == Question.Kind.MULTIPLE:
        return ";".join(rng.sample(choices, rng.randint(1, min(2, len(choices)))))
    if kind == Question.Kind.NUMBER:
        low = int(question.min_value or 0)
        high = int(question.max_value) if question.max_value is not None else low + 60
        return str(rng.randint(low, min(high, low + 60)))
    if kind == Question.Kind.WINDOW:
        return rng.choice(windows)
    return rng.choice(COMMENTS[3:] if question.required else COMMENTS)
