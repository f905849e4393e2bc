"""Survey answers from a file, as an import job of the floor (takatsu_portal/core/imports.py):
the worker checks every row with spreadsheet.py's parsing and services.response_clean (the
rules of every submission), and, once confirmed, checks again and stores the good rows with
services.responses_bulk_create in the floor's one transaction. Registered by FeedbackConfig."""

import hashlib
import json
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from takatsu_portal.core import imports, tabular

from ..access import get_survey_for_user
from ..models import Survey
from ..surveys.services import survey_windows
from . import spreadsheet
from .services import CleanResponse, SubmissionContext, responses_bulk_create

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
    return (
        Survey.objects.for_office(job.office_id)
        .select_related("office")
        .get(pk=job.params["survey"])
    )


def _rules(survey):
    """The survey, its questions (with their choices) and windows, and a fingerprint of every
    rule the check applies: the same fingerprint at writing means the same verdict."""
    questions = list(survey.questions.order_by("order", "id").prefetch_related("choices"))
    windows = list(survey_windows(survey))
    rules = [
        str(survey.opens_on),
        str(survey.closes_on),
        [
            [q.id, q.order, q.kind, q.text, q.required, str(q.min_value), str(q.max_value),
             [[c.id, c.text] for c in q.choices.all()]]
            for q in questions
        ],
        sorted([w.id, w.name] for w in windows),
    ]  # fmt: skip
    digest = hashlib.sha256(json.dumps(rules, ensure_ascii=False).encode()).hexdigest()
    return questions, windows, digest


def _encode(row):
    return [
        row.submitted_on.isoformat(),
        row.language,
        row.submission_key,
        row.window.id if row.window is not None else None,
        [
            [a["question_id"], a.get("choice_id"), _text(a.get("number")), a.get("text", "")]
            for a in row.answers
        ],
    ]


def _text(number):
    return None if number is None else str(number)


def _decode(item, windows):
    submitted_on, language, key, window, answers = item
    return CleanResponse(
        submitted_on=date.fromisoformat(submitted_on),
        language=language,
        submission_key=key,
        window=windows[window] if window is not None else None,
        answers=[
            {
                "question_id": question_id,
                "choice_id": choice_id,
                "number": Decimal(number) if number is not None else None,
                "text": text,
            }
            for question_id, choice_id, number, text in answers
        ],
    )


def _check(job, data, progress):
    """(Checked, the good rows as CleanResponses, the survey, the rules' fingerprint) for the
    job's file."""
    survey = _survey(job)
    questions, windows, rules = _rules(survey)
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
    clean = spreadsheet.check_rows(
        preview, questions=questions, context=context, progress=progress.checked
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
    return checked, clean, survey, rules


def check(job, data, progress):
    checked, clean, _, rules = _check(job, data, progress)
    if not checked.bad:
        imports.keep_prepared(job, {"rules": rules, "rows": [_encode(row) for row in clean]})
    return checked


def write(job, data, progress):
    """Store every new row in the floor's transaction. The rows the check prepared are used
    when the survey's rules are still those it checked against; otherwise the file is
    checked again, and any bad row sends the job back to the preview. A row that another
    import stored meanwhile breaks the unique submission key: the job fails, nothing is
    written, and a retry leaves that row out."""
    survey = _survey(job)
    questions, windows, rules = _rules(survey)
    prepared = imports.load_prepared(job)
    if prepared is not None and prepared["rules"] == rules:
        by_id = {w.id: w for w in windows}
        clean = [_decode(item, by_id) for item in prepared["rows"]]
        skipped = job.result.get("extra", {}).get("imported_before", 0)
    else:
        checked, clean, survey, _ = _check(job, data, imports.SILENT)
        if checked.bad:
            raise imports.Recheck(checked, CHANGED)
        skipped = checked.extra["imported_before"]
    written = responses_bulk_create(
        survey=survey,
        rows=clean,
        entered_by=job.confirmed_by,
        batch_size=imports.BATCH_SIZE,
        progress=progress.written,
    )
    message = f"「{job.filename}」から{written}件の回答を取り込みました。"
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
        office_of=lambda params: (
            Survey.objects.city_wide("import conditions")
            .values_list("office_id", flat=True)
            .get(pk=params["survey"])
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
