"""Workflows of surveys and their questions: create, edit, copy; questions are locked once a
survey has answers.

Every function takes keyword arguments, checks the permission of `by` itself (so that no
caller can forget), runs in one transaction, and records who did it in the history.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, TextChoices

from takatsu_portal.accounts.permissions import check_perm
from takatsu_portal.core import attention
from takatsu_portal.core.versioning import save_versioned

from ..models import (
    LANGUAGE_CODES,
    Choice,
    Question,
    ServiceWindow,
    Survey,
)

LOCKED_MESSAGE = "回答があるため質問は変更できません。複製して新しいアンケートを作成してください。"
SURVEY_TEXT_FIELDS = ("title", "introduction")
QUESTION_TEXT_FIELDS = ("text", "help_text")


def same_office(by, office):
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
    check_perm(by, "feedback.manage_surveys", message="アンケートを作成する権限がありません。")
    same_office(by, office)
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
    check_perm(by, "feedback.manage_surveys", message="アンケートを編集する権限がありません。")
    same_office(by, survey.office)
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
    check_perm(by, "feedback.manage_surveys", message="アンケートを複製する権限がありません。")
    same_office(by, survey.office)
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
    check_perm(by, "feedback.manage_surveys", message="質問を編集する権限がありません。")
    same_office(by, survey.office)
    Survey._base_manager.select_for_update().filter(pk=survey.pk).first()
    if survey.responses.exists():
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
    attention.changed(office=question.survey.office_id)  # the cached survey analysis shows them
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
    attention.changed(office=question.survey.office_id)  # the cached survey analysis shows them
    survey = question.survey
    _lock_unlocked_survey(survey, by)
    question._history_user = by
    question.delete()
    remaining = survey.questions.order_by("order", "id").values_list("pk", flat=True)
    for order, pk in enumerate(remaining, start=1):
        survey.questions.filter(pk=pk).update(order=order)


@transaction.atomic
def question_move(*, question, by, direction):
    """Swap the question with its neighbour above ("up") or below ("down")."""
    attention.changed(office=question.survey.office_id)  # the cached survey analysis shows them
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
