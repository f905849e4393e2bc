"""Workflows of the feedback app: service windows, surveys and their questions, copies, and
the submission of one resident's answers (by the public form, by staff from paper, by import).

Every function takes keyword arguments and checks the permission of `by` itself, like
plans/services.py. `response_submit` is the one way answers enter the database: it validates
every answer against the survey's questions and stores nothing that identifies the resident.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, TextChoices

from takatsu_portal.accounts.models import Section
from takatsu_portal.accounts.permissions import (
    check_perm,
    is_administrator,
    is_subcommittee,
)
from takatsu_portal.core.versioning import ConflictError, save_versioned  # noqa: F401

from .models import (
    LANGUAGE_CODES,
    Answer,
    Choice,
    Question,
    Response,
    ServiceWindow,
    Survey,
)

LOCKED_MESSAGE = "回答があるため質問は変更できません。複製して新しいアンケートを作成してください。"
MAX_TEXT = 2000
SATISFACTION_POINTS = range(1, 6)
# A number answer fits Answer.number (12 digits, 2 after the point).
NUMBER_LIMIT = Decimal("10000000000")
SURVEY_TEXT_FIELDS = ("title", "introduction")
QUESTION_TEXT_FIELDS = ("text", "help_text")


def _require(by, perm, obj=None, message="この操作を行う権限がありません。"):
    check_perm(by, perm, obj, message=message)


def _same_office(by, office):
    if by.office is None or by.office.pk != office.pk:
        raise PermissionDenied("他の区役所のアンケートは操作できません。")


def clean_translations(translations, fields):
    """{"en": {"title": " x "}} → the same with known languages and fields only, stripped,
    without empty texts (an empty text falls back to Japanese)."""
    cleaned = {}
    for language, texts in (translations or {}).items():
        if language not in LANGUAGE_CODES or language == "ja":
            raise ValidationError({"translations": f"未対応の言語です：{language}"})
        kept = {
            field: str(texts[field]).strip()
            for field in fields
            if isinstance(texts, dict) and str(texts.get(field) or "").strip()
        }
        if kept:
            cleaned[language] = kept
    return cleaned


# ---------------------------------------------------------------------------------------------
# Service windows


def manages_every_section(user):
    """The subcommittee and administrators manage every window of the office; a section
    manager only the windows of their own section."""
    return bool(is_subcommittee(user) or is_administrator(user))


def sections_for_windows(user):
    """The sections whose windows `user` may create and edit."""
    qs = Section.objects.select_related("department").order_by(
        "department__sort_order", "sort_order", "id"
    )
    if user.office is None:
        return qs.none()
    qs = qs.for_office(user.office)
    if manages_every_section(user):
        return qs
    return qs.filter(pk=user.section_id) if user.section_id else qs.none()


def may_manage_window(user, window):
    from takatsu_portal.accounts.permissions import user_may

    if not user_may(user, "feedback.manage_windows"):
        return False
    return sections_for_windows(user).filter(pk=window.section_id).exists()


def window_save(*, window, by):
    """Create or update a window. A section manager may only touch their own section's
    windows, and may not move a window into or out of it."""
    _require(by, "feedback.manage_windows", message="窓口を登録・編集する権限がありません。")
    allowed = sections_for_windows(by)
    refusal = "窓口を登録・編集できるのは、自分の課の窓口だけです。"
    if not allowed.filter(pk=window.section_id).exists():
        raise PermissionDenied(refusal)
    if window.pk is not None:
        original = ServiceWindow.objects.get(pk=window.pk)
        if not allowed.filter(pk=original.section_id).exists():
            raise PermissionDenied(refusal)
    window.full_clean()
    window._history_user = by
    window.save()
    return window


# ---------------------------------------------------------------------------------------------
# Surveys


class SurveyStatus(TextChoices):
    PREPARING = "preparing", "準備中"
    OPEN = "open", "実施中"
    CLOSED = "closed", "終了"

    @classmethod
    def of(cls, survey, day):
        if day < survey.opens_on:
            return cls.PREPARING
        if day > survey.closes_on:
            return cls.CLOSED
        return cls.OPEN

    @classmethod
    def filter(cls, queryset, status, day):
        if status == cls.PREPARING:
            return queryset.filter(opens_on__gt=day)
        if status == cls.CLOSED:
            return queryset.filter(closes_on__lt=day)
        if status == cls.OPEN:
            return queryset.filter(opens_on__lte=day, closes_on__gte=day)
        return queryset


def survey_windows(survey):
    """The windows a resident may pick for this survey: its own, else the office's active
    ones."""
    windows = survey.windows.all()
    if not windows.exists():
        windows = ServiceWindow.objects.for_office(survey.office).active()
    return windows.select_related("section").order_by(
        "section__department__sort_order", "section__sort_order", "sort_order", "id"
    )


def _check_survey_fields(*, office, opens_on, closes_on, windows):
    errors = {}
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = "終了日は開始日以降の日付にしてください。"
    ids = {w.pk for w in windows}
    if ids and ServiceWindow.objects.for_office(office).filter(pk__in=ids).count() != len(ids):
        errors["windows"] = "他の区役所の窓口は選べません。"
    if errors:
        raise ValidationError(errors)


def survey_create(
    *, office, by, title, opens_on, closes_on, introduction="", windows=(), translations=None
):
    _require(by, "feedback.manage_surveys", message="アンケートを作成する権限がありません。")
    _same_office(by, office)
    windows = list(windows)
    _check_survey_fields(office=office, opens_on=opens_on, closes_on=closes_on, windows=windows)
    survey = Survey(
        office=office,
        title=title,
        introduction=introduction,
        opens_on=opens_on,
        closes_on=closes_on,
        translations=clean_translations(translations, SURVEY_TEXT_FIELDS),
        created_by=by,
    )
    with transaction.atomic():
        save_versioned(survey, by=by, reason="アンケートを作成")
        survey.windows.set(windows)
    return survey


def survey_update(
    *,
    survey,
    by,
    expected_version,
    title,
    opens_on,
    closes_on,
    introduction="",
    windows=(),
    translations=None,
):
    """Edit a survey's title, introduction, dates, windows and their translations. Allowed
    after answers have come in (to extend the period, say): only the questions are locked."""
    _require(by, "feedback.manage_surveys", message="アンケートを編集する権限がありません。")
    _same_office(by, survey.office)
    windows = list(windows)
    _check_survey_fields(
        office=survey.office, opens_on=opens_on, closes_on=closes_on, windows=windows
    )
    survey.title = title
    survey.introduction = introduction
    survey.opens_on = opens_on
    survey.closes_on = closes_on
    survey.translations = clean_translations(translations, SURVEY_TEXT_FIELDS)
    with transaction.atomic():
        save_versioned(survey, by=by, expected_version=expected_version)
        survey.windows.set(windows)
    return survey


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def survey_copy(*, survey, by, today):
    """An editable copy of a survey (typically a locked one): new public token, every
    question, choice, translation and window; runs from today for three months."""
    _require(by, "feedback.manage_surveys", message="アンケートを複製する権限がありません。")
    _same_office(by, survey.office)
    suffix = "（複製）"
    copy = Survey(
        office=survey.office,
        title=survey.title[: 200 - len(suffix)] + suffix,
        introduction=survey.introduction,
        opens_on=today,
        closes_on=add_months(today, 3),
        translations=survey.translations,
        copied_from=survey,
        created_by=by,
    )
    save_versioned(copy, by=by, reason=f"「{survey.title}」を複製")
    copy.windows.set(survey.windows.all())
    for question in survey.questions.prefetch_related("choices").order_by("order", "id"):
        new_question = Question.objects.create(
            survey=copy,
            order=question.order,
            kind=question.kind,
            text=question.text,
            help_text=question.help_text,
            required=question.required,
            min_value=question.min_value,
            max_value=question.max_value,
            translations=question.translations,
        )
        Choice.objects.bulk_create(
            Choice(
                question=new_question,
                order=choice.order,
                text=choice.text,
                translations=choice.translations,
            )
            for choice in question.choices.all()
        )
    return copy


# ---------------------------------------------------------------------------------------------
# Questions


def _lock_unlocked_survey(survey, by):
    """Check `by` may edit the survey's questions and that no answer has come in. The row
    lock orders question edits of one survey one after another."""
    _require(by, "feedback.manage_surveys", message="質問を編集する権限がありません。")
    _same_office(by, survey.office)
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    if Response.objects.filter(survey_id=survey.pk).exists():
        raise ValidationError(LOCKED_MESSAGE, code="locked")


def _check_question(question, choices):
    errors = {}
    kind = question.kind
    if kind == Question.Kind.NUMBER:
        if (
            question.min_value is not None
            and question.max_value is not None
            and question.min_value > question.max_value
        ):
            errors["max_value"] = "最大値は最小値以上にしてください。"
    else:
        question.min_value = question.max_value = None
    if question.has_choices:
        if len(choices) < 2:
            errors[NON_FIELD_ERRORS] = "選択肢を二つ以上入力してください。"
        texts = [c["text"] for c in choices]
        if len(set(texts)) != len(texts):
            errors[NON_FIELD_ERRORS] = "同じ選択肢が二つあります。"
    if kind == Question.Kind.WINDOW:
        others = question.survey.questions.filter(kind=Question.Kind.WINDOW)
        if question.pk is not None:
            others = others.exclude(pk=question.pk)
        if others.exists():
            errors["kind"] = "「利用した窓口・手続き」の質問は一つのアンケートに一つだけです。"
    if errors:
        raise ValidationError(errors)


def question_save(*, question, by, choices=()):
    """Create or update a question and its choices.

    `choices` is the wanted list, in order, of {"pk": id or None, "text": ..., "translations":
    {...}}; existing choices not in it are deleted (only possible before the first answer)."""
    survey = question.survey
    choices = [
        {
            "pk": c.get("pk"),
            "text": c["text"].strip(),
            "translations": clean_translations(c.get("translations"), ("text",)),
        }
        for c in choices
        if c["text"].strip()
    ]
    with transaction.atomic():
        _lock_unlocked_survey(survey, by)
        if not question.has_choices:
            choices = []
        _check_question(question, choices)
        question.translations = clean_translations(question.translations, QUESTION_TEXT_FIELDS)
        if question.pk is None:
            highest = survey.questions.aggregate(m=Max("order"))["m"] or 0
            question.order = highest + 1
        question.full_clean(exclude=["survey"])
        question._history_user = by
        question.save()
        existing = {c.pk: c for c in question.choices.all()}
        keep = set()
        for order, spec in enumerate(choices, start=1):
            choice = existing.get(spec["pk"]) if spec["pk"] else None
            if choice is None:
                choice = Choice(question=question)
            choice.order = order
            choice.text = spec["text"]
            choice.translations = spec["translations"]
            choice._history_user = by
            choice.save()
            keep.add(choice.pk)
        for pk, choice in existing.items():
            if pk not in keep:
                choice._history_user = by
                choice.delete()
    return question


@transaction.atomic
def question_delete(*, question, by):
    survey = question.survey
    _lock_unlocked_survey(survey, by)
    question._history_user = by
    question.delete()
    remaining = survey.questions.order_by("order", "id").values_list("pk", flat=True)
    for order, pk in enumerate(remaining, start=1):
        Question.objects.filter(pk=pk).update(order=order)


@transaction.atomic
def question_move(*, question, by, direction):
    """Swap the question with its neighbour above ("up") or below ("down")."""
    if direction not in ("up", "down"):
        raise ValidationError("移動の向きが正しくありません。")
    survey = question.survey
    _lock_unlocked_survey(survey, by)
    ordered = list(survey.questions.order_by("order", "id"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return question
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for order, item in enumerate(ordered, start=1):
        if item.order != order:
            item.order = order
            item._history_user = by
            item.save(update_fields=["order"])
    question.refresh_from_db(fields=["order"])
    return question


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
        return [{"choice": choice}], None
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
        return [{"choice": c} for c in picked], None
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
        _require(entered_by, "feedback.enter_paper", message="紙の回答を入力する権限がありません。")
    else:
        _require(
            entered_by, "feedback.import_responses", message="回答を取り込む権限がありません。"
        )
    _same_office(entered_by, survey.office)


@dataclass(frozen=True)
class SubmissionContext:
    """A survey's questions (with their choices) and the windows a resident may pick: read
    once for an import of many rows rather than once a row."""

    questions: list
    windows: dict


def submission_context(survey):
    return SubmissionContext(
        questions=list(survey.questions.prefetch_related("choices").order_by("order", "id")),
        windows={w.pk: w for w in survey_windows(survey)},
    )


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
    existing = Response.objects.filter(survey=survey, submission_key=submission_key).first()
    if existing is not None:
        return existing

    errors = {}
    if channel not in Response.Channel.values:
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
    by_id = {q.pk: q for q in questions}
    unknown = [key for key in answers if key not in by_id]
    if unknown:
        errors[NON_FIELD_ERRORS] = "このアンケートにない質問への回答が含まれています。"
    windows = context.windows
    rows, chosen_window = [], None
    for question in questions:
        value = answers.get(question.pk)
        if _is_blank(value):
            if question.required:
                errors[answer_field(question)] = ValidationError(
                    "この質問への回答は必須です。", code="required"
                )
            continue
        choices = {c.pk: c for c in question.choices.all()}
        try:
            values, named_window = _clean_one(question, value, choices=choices, windows=windows)
        except ValidationError as error:
            errors[answer_field(question)] = error
            continue
        rows.extend(Answer(question=question, **fields) for fields in values)
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

    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                submitted_on=submitted_on,
                channel=channel,
                language=language,
                window=chosen_window,
                submission_key=submission_key,
                entered_by=entered_by,
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        # The same form, sent twice at the same moment: the other request stored it.
        existing = Response.objects.filter(survey=survey, submission_key=submission_key).first()
        if existing is None:
            raise
        return existing
    return response


__all__ = [
    "LOCKED_MESSAGE",
    "MAX_TEXT",
    "ConflictError",
    "SurveyStatus",
    "answer_field",
    "question_delete",
    "question_move",
    "question_save",
    "response_submit",
    "submission_context",
    "survey_copy",
    "survey_create",
    "survey_update",
    "survey_windows",
    "window_save",
]
