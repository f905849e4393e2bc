"""Survey answers from a file, as an import job of the floor (takatsu_portal/core/imports.py):
the worker checks every row with spreadsheet.py's parsing and services.response_build (the
rules of every submission), and, once confirmed, checks again and stores the good rows with
services.responses_bulk_create in the floor's one transaction. Registered by FeedbackConfig."""

from django.conf import settings
from django.urls import reverse

from takatsu_portal.core import imports, tabular

from ..access import get_survey_for_user
from ..models import Survey
from ..surveys.services import survey_windows
from . import spreadsheet
from .services import SubmissionContext, responses_bulk_create

KIND = "feedback.responses"
PERMISSION = "feedback.import_responses"
REFUSAL = "回答を取り込めるのは、推進部会の委員と課長です。"
CHANGED = (
    "確認の後に、アンケートの質問・窓口又は取込み済みの回答が変わったため、"
    "確認し直しました。何も取り込んでいません。内容を確かめてください。"
)


def limits():
    """(bytes, rows) of a file of answers: larger than core.tabular's default for a form
    service's export of a year (settings RESPONSE_IMPORT_MAX_MB, RESPONSE_IMPORT_MAX_ROWS)."""
    return settings.RESPONSE_IMPORT_MAX_MB * 1024 * 1024, settings.RESPONSE_IMPORT_MAX_ROWS


def _survey(job):
    return Survey.objects.select_related("office").get(pk=job.params["survey"])


def _check(job, data, progress, *, by):
    """(Checked, the built pairs of the good rows) for the job's file."""
    survey = _survey(job)
    questions = list(survey.questions.order_by("order", "id").prefetch_related("choices"))
    windows = list(survey_windows(survey))
    max_bytes, max_rows = limits()
    table = tabular.read_table(data, job.filename, max_bytes=max_bytes, max_rows=max_rows)
    preview = spreadsheet.parse(
        table, survey=survey, questions=questions, windows=windows, digest=job.sha256
    )
    progress.checked(0, total=len(preview.rows), force=True)
    context = SubmissionContext(
        questions=questions,
        windows={w.pk: w for w in windows},
        choices={q.pk: {c.pk: c for c in q.choices.all()} for q in questions},
    )
    built = spreadsheet.check_rows(
        preview, questions=questions, context=context, by=by, progress=progress.checked
    )
    progress.checked(len(preview.rows), force=True)
    notes = []
    if preview.columns.ignored:
        notes.append(
            "次の列は取込みの対象ではないため、無視します：" + "、".join(preview.columns.ignored)
        )
    if preview.columns.missing_optional:
        notes.append(
            "次の質問の列はファイルにないため、回答なしとして取り込みます："
            + "、".join(preview.columns.missing_optional)
        )
    new = len(preview.new_rows)
    checked = imports.Checked(
        rows_total=len(preview.rows),
        headers=preview.headers,
        rows=[
            {
                "number": row.number,
                "action": "取込み済み" if row.imported_before else "新規",
                "cells": row.cells,
                "errors": row.errors,
            }
            for row in preview.rows[: imports.PREVIEW_ROWS]
        ],
        bad=[{"number": row.number, "errors": row.errors} for row in preview.bad_rows],
        summary=f"新しい回答{new}件・取込み済み{preview.imported_before}件",
        to_write=new,
        notes=notes,
        extra={
            "ignored": preview.columns.ignored,
            "missing_optional": preview.columns.missing_optional,
            "imported_before": preview.imported_before,
        },
    )
    return checked, built, survey


def check(job, data, progress):
    checked, _, _ = _check(job, data, progress, by=job.requested_by)
    return checked


def write(job, data, progress):
    """Check again (the survey or the stored answers may have changed), then store every new
    row in the floor's transaction, or go back to the preview."""
    checked, built, survey = _check(job, data, imports.SILENT, by=job.confirmed_by)
    if checked.bad:
        raise imports.Recheck(checked, CHANGED)
    written = responses_bulk_create(
        survey=survey,
        built=built,
        entered_by=job.confirmed_by,
        batch_size=imports.BATCH_SIZE,
        progress=progress.written,
    )
    message = f"「{job.filename}」から{written}件の回答を取り込みました。"
    skipped = checked.extra["imported_before"]
    if skipped:
        message += (
            f"取込み済みの{skipped}行はとばしました（同じファイルを二度取り込んでも重複しません）。"
        )
    return imports.Written(rows_written=written, message=message)


def _authorize(job, user):
    get_survey_for_user(user, job.params["survey"], perm=PERMISSION, message=REFUSAL)


imports.register(
    imports.ImportKind(
        key=KIND,
        label="アンケート回答の取込み",
        permission=PERMISSION,
        refusal=REFUSAL,
        office_of=lambda params: Survey.objects.values_list("office_id", flat=True).get(
            pk=params["survey"]
        ),
        check=check,
        write=write,
        target=lambda job: (
            (survey := _survey(job)).title,
            survey.get_absolute_url(),
        ),
        done_link=lambda job: (
            "集計・分析を見る",
            reverse("feedback:survey_analysis", args=[job.params["survey"]]),
        ),
        upload_url=lambda job: reverse("feedback:response_import", args=[job.params["survey"]]),
        authorize=_authorize,
        rows_permission="feedback.read_free_text",
        rows_refusal=(
            "ファイルの各行（回答の自由記述を含む）は、推進部会の委員と課長だけに表示します。"
        ),
        limits=limits,
    )
)
