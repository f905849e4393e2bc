"""The submission of one resident's answers, by the public form, by staff from paper, or by
import. `response_submit` is the one way answers enter the database: it validates every
answer against the survey's questions and stores nothing that identifies the resident.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction

from takatsu_portal.accounts.permissions import check_perm

from ..models import (
    LANGUAGE_CODES,
    Answer,
    Question,
    Response,
    ServiceWindow,
)
from ..surveys.services import same_office, survey_windows

MAX_TEXT = 2000
CHANNELS = frozenset(Response.Channel.values)
SATISFACTION_POINTS = range(1, 6)
# A number answer fits Answer.number (12 digits, 2 after the point).
NUMBER_LIMIT = Decimal("10000000000")
# ---------------------------------------------------------------------------------------------
# Responses


def answer_field(question):
    """The key of a question's errors in response_submit's ValidationError (and the field name
    of the question in the answer forms)."""
    return f"q{question.pk}"


def _is_blank(value):
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset)):
        return not value
    return False


def _as_id(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ValueError


def _as_number(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):
        value = str(value)
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


def _clean_one(question, value, *, choices, windows):
    """Rows (Answer field values) for one answered question, and the window it names."""
    kind = question.kind
    if kind == Question.Kind.SATISFACTION:
        try:
            point = _as_id(value)
        except ValueError:
            point = None
        if point not in SATISFACTION_POINTS:
            raise ValidationError("満足度は1から5の中から選んでください。", code="invalid_choice")
        return [{"number": Decimal(point)}], None
    if kind == Question.Kind.SINGLE:
        try:
            choice = choices.get(_as_id(value))
        except ValueError:
            choice = None
        if choice is None:
            raise ValidationError("選択肢にない回答です。", code="invalid_choice")
        return [{"choice_id": choice.pk}], None
    if kind == Question.Kind.MULTIPLE:
        if not isinstance(value, (list, tuple, set, frozenset)):
            value = [value]
        picked = []
        for item in value:
            try:
                choice = choices.get(_as_id(item))
            except ValueError:
                choice = None
            if choice is None:
                raise ValidationError("選択肢にない回答です。", code="invalid_choice")
            if choice not in picked:
                picked.append(choice)
        picked.sort(key=lambda c: (c.order, c.pk))
        return [{"choice_id": c.pk} for c in picked], None
    if kind == Question.Kind.NUMBER:
        try:
            number = _as_number(value)
        except ValueError:
            raise ValidationError("数値を入力してください。", code="invalid") from None
        if number != number.quantize(Decimal("0.01")) or abs(number) >= NUMBER_LIMIT:
            raise ValidationError(
                "数値は小数点以下2桁まで、10桁以内で入力してください。", code="invalid"
            )
        if question.min_value is not None and number < question.min_value:
            raise ValidationError(
                f"{question.min_value.normalize():f}以上の数値を入力してください。",
                code="min_value",
            )
        if question.max_value is not None and number > question.max_value:
            raise ValidationError(
                f"{question.max_value.normalize():f}以下の数値を入力してください。",
                code="max_value",
            )
        return [{"number": number}], None
    if kind == Question.Kind.TEXT:
        if not isinstance(value, str):
            raise ValidationError("回答の形式が正しくありません。", code="invalid")
        text = value.replace("\x00", "").strip()
        if len(text) > MAX_TEXT:
            raise ValidationError(
                f"{MAX_TEXT}文字以内で入力してください（現在{len(text)}文字）。", code="max_length"
            )
        return [{"text": text}], None
    if kind == Question.Kind.WINDOW:
        try:
            window = windows.get(_as_id(value))
        except ValueError:
            window = None
        if window is None:
            raise ValidationError("このアンケートの窓口ではありません。", code="invalid_choice")
        return [{"text": window.name}], window
    raise ValidationError("未対応の質問の種類です。", code="invalid")


def _check_entered_by(*, survey, channel, entered_by):
    if channel == Response.Channel.WEB:
        if entered_by is not None:
            raise ValueError("A web response has no entered_by.")
        return
    if channel not in Response.Channel.values:
        return  # refused with the other errors
    if entered_by is None:
        raise ValueError("A paper or imported response needs entered_by.")
    if channel == Response.Channel.PAPER:
        check_perm(
            entered_by, "feedback.enter_paper", message="紙の回答を入力する権限がありません。"
        )
    else:
        check_perm(
            entered_by, "feedback.import_responses", message="回答を取り込む権限がありません。"
        )
    same_office(entered_by, survey.office)


@dataclass(frozen=True)
class SubmissionContext:
    """A survey's questions (with their choices) and the windows a resident may pick: read
    once for an import of many rows rather than once a row."""

    questions: list
    windows: dict
    choices: dict = field(default_factory=dict)  # question id → {choice id: Choice}
    by_id: dict = field(default_factory=dict)  # question id → Question

    def __post_init__(self):
        if not self.by_id:
            self.by_id.update((q.id, q) for q in self.questions)

    def choices_of(self, question):
        found = self.choices.get(question.id)
        if found is None:
            found = {c.pk: c for c in question.choices.all()}
        return found


def submission_context(survey):
    questions = list(survey.questions.prefetch_related("choices").order_by("order", "id"))
    return SubmissionContext(
        questions=questions,
        windows={w.pk: w for w in survey_windows(survey)},
        choices={q.pk: {c.pk: c for c in q.choices.all()} for q in questions},
    )


def response_clean(
    *,
    survey,
    answers,
    channel,
    language,
    submitted_on,
    window=None,
    context=None,
):
    """The checked values of one resident's answers: (the window the response is for, the
    field values of each Answer row), or ValidationError listing every problem at once. The
    rules of every submission, with no model instance made and no query sent when `context`
    is given: an import checks thousands of rows with it before anything is written."""
    errors = {}
    if channel not in CHANNELS:
        errors["channel"] = "回答方法が正しくありません。"
    if language not in LANGUAGE_CODES:
        errors["language"] = "未対応の言語です。"
    if not isinstance(submitted_on, datetime.date) or not survey.is_open_on(submitted_on):
        errors["submitted_on"] = (
            f"回答日はアンケートの実施期間（{survey.opens_on:%Y-%m-%d}〜"
            f"{survey.closes_on:%Y-%m-%d}）の日付にしてください。"
        )
    context = context or submission_context(survey)
    questions = context.questions
    by_id = context.by_id
    unknown = [key for key in answers if key not in by_id]
    if unknown:
        errors[NON_FIELD_ERRORS] = "このアンケートにない質問への回答が含まれています。"
    windows = context.windows
    rows, chosen_window = [], None
    for question in questions:
        question_id = question.id  # a plain attribute: .pk costs a call, 60,000 times a file
        value = answers.get(question_id)
        if _is_blank(value):
            if question.required:
                errors[answer_field(question)] = ValidationError(
                    "この質問への回答は必須です。", code="required"
                )
            continue
        choices = context.choices_of(question)
        try:
            values, named_window = _clean_one(question, value, choices=choices, windows=windows)
        except ValidationError as error:
            errors[answer_field(question)] = error
            continue
        for fields in values:
            fields["question_id"] = question_id
            rows.append(fields)
        chosen_window = named_window or chosen_window
    if chosen_window is None and window is not None:
        try:
            window_id = window.pk if isinstance(window, ServiceWindow) else _as_id(window)
        except ValueError:
            window_id = None
        chosen_window = windows.get(window_id)
        if chosen_window is None:
            errors["window"] = "このアンケートの窓口ではありません。"
    if errors:
        raise ValidationError(errors)
    return chosen_window, rows


def response_build(
    *,
    survey,
    answers,
    channel,
    language,
    submitted_on,
    submission_key,
    window=None,
    entered_by=None,
    context=None,
):
    """The Response (unsaved) and its Answers (unsaved, without their response) for one
    resident's answers checked by response_clean, or its ValidationError. response_submit
    stores one; an import stores thousands with `responses_bulk_create`."""
    chosen_window, rows = response_clean(
        survey=survey,
        answers=answers,
        channel=channel,
        language=language,
        submitted_on=submitted_on,
        window=window,
        context=context,
    )
    response = Response(
        survey=survey,
        submitted_on=submitted_on,
        channel=channel,
        language=language,
        window=chosen_window,
        submission_key=submission_key,
        entered_by=entered_by,
    )
    return response, [Answer(**fields) for fields in rows]


def response_submit(
    *,
    survey,
    answers,
    channel,
    language,
    submitted_on,
    submission_key,
    window=None,
    entered_by=None,
    context=None,
):
    """Store one resident's answers as one Response and its Answers, in one transaction.

    `answers` maps question id → value: 1–5 for satisfaction, a choice id for single, a list
    of choice ids for multiple, a Decimal for number, a str for text, a window id for window.
    Raises ValidationError keyed by `answer_field(question)` (and "window", "language",
    "channel", "submitted_on", "submission_key") listing every problem at once. A repeated
    `submission_key` (the same form sent twice) returns the Response stored the first time.
    A window question's answer sets Response.window (and is kept as an Answer with the
    window's name); `window` (a ServiceWindow or its id) is used when there is none.
    """
    _check_entered_by(survey=survey, channel=channel, entered_by=entered_by)
    if not isinstance(submission_key, str) or not 0 < len(submission_key) <= 64:
        raise ValidationError({"submission_key": "送信キーが正しくありません。"})
    existing = survey.responses.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    response, rows = response_build(
        survey=survey,
        answers=answers,
        channel=channel,
        language=language,
        submitted_on=submitted_on,
        submission_key=submission_key,
        window=window,
        entered_by=entered_by,
        context=context,
    )
    try:
        with transaction.atomic():
            response.save()
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        # The same form, sent twice at the same moment: the other request stored it.
        existing = survey.responses.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing
    return response


@dataclass(frozen=True)
class CleanResponse:
    """One response checked by response_clean, ready for responses_bulk_create."""

    submitted_on: datetime.date
    language: str
    submission_key: str
    window: object  # ServiceWindow or None
    answers: list  # Answer field values (question_id, choice_id, number, text)


def responses_bulk_create(*, survey, rows, entered_by, batch_size=1000, progress=None):
    """Store many responses checked by response_clean (CleanResponse) with their answers as
    imported answers, in batches, inside the caller's transaction (an import is all or
    nothing). The importer's permission is checked once. `progress(count)` is told the
    responses written so far.

    On PostgreSQL each batch is two COPYs (the responses with ids drawn from their sequence
    first, then their answers): Django's bulk_create spends about 1.4 ms of Python a row on
    building and compiling 60,000 model instances, which took 10,000 answers past 10 s of
    worker time (`make bench`). Elsewhere (SQLite) it is bulk_create."""
    _check_entered_by(survey=survey, channel=Response.Channel.IMPORT, entered_by=entered_by)
    write = _copy_batch if connection.vendor == "postgresql" else _bulk_create_batch
    written = 0
    for start in range(0, len(rows), batch_size):
        chunk = rows[start : start + batch_size]
        write(survey, chunk, entered_by)
        written += len(chunk)
        if progress is not None:
            progress(written)
    return written


def _bulk_create_batch(survey, chunk, entered_by):
    responses = Response.objects.bulk_create(
        [
            Response(
                survey_id=survey.pk,
                submitted_on=row.submitted_on,
                channel=Response.Channel.IMPORT,
                language=row.language,
                window_id=row.window.pk if row.window is not None else None,
                submission_key=row.submission_key,
                entered_by_id=entered_by.pk,
            )
            for row in chunk
        ]
    )
    Answer.objects.bulk_create(
        [
            Answer(response_id=response.pk, **fields)
            for response, row in zip(responses, chunk, strict=True)
            for fields in row.answers
        ]
    )


RESPONSE_COLUMNS = (
    "id",
    "survey",
    "submitted_on",
    "channel",
    "language",
    "window",
    "submission_key",
    "entered_by",
)
ANSWER_COLUMNS = ("response", "question", "choice", "number", "text")


def _columns(model, names):
    return ", ".join(
        connection.ops.quote_name(model._meta.get_field(name).column) for name in names
    )


def _copy_batch(survey, chunk, entered_by):
    """Two COPYs: the responses (ids drawn from their sequence), then their answers. The
    database checks every constraint as for an INSERT (the unique submission key included)."""
    response_table = connection.ops.quote_name(Response._meta.db_table)
    answer_table = connection.ops.quote_name(Answer._meta.db_table)
    # psycopg's own errors of a COPY become Django's (a duplicate key: IntegrityError).
    with connection.wrap_database_errors, connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [Response._meta.db_table, Response._meta.pk.column, len(chunk)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        with cursor.copy(
            f"COPY {response_table} ({_columns(Response, RESPONSE_COLUMNS)}) FROM STDIN"
        ) as copy:
            for pk, row in zip(ids, chunk, strict=True):
                copy.write_row(
                    (
                        pk,
                        survey.pk,
                        row.submitted_on,
                        Response.Channel.IMPORT.value,
                        row.language,
                        row.window.pk if row.window is not None else None,
                        row.submission_key,
                        entered_by.pk,
                    )
                )
        with cursor.copy(
            f"COPY {answer_table} ({_columns(Answer, ANSWER_COLUMNS)}) FROM STDIN"
        ) as copy:
            for pk, row in zip(ids, chunk, strict=True):
                for fields in row.answers:
                    copy.write_row(
                        (
                            pk,
                            fields["question_id"],
                            fields.get("choice_id"),
                            fields.get("number"),
                            fields.get("text", ""),
                        )
                    )
