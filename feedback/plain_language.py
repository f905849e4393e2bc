"""What residents read from the feedback app, for the plain-language audit
(takatsu_portal.plain_language.sources): the published surveys (title, introduction, questions
and choices, in Japanese and やさしい日本語), the sentence of the QR poster, the words of the
public answer form, and the answers sent to residents this fiscal year. Each source returns
only what the user may read, in a fixed number of queries."""

from django.db.models import Prefetch, Q
from django.urls import reverse

from takatsu_portal.accounts.permissions import user_may
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.plain_language.sources import AuditText, Source, register

from .access import surveys_for, voices_for
from .models import Choice, Question
from .responses.forms import TEXTS

# The languages the Japanese checker reads.
CHECKED_LANGUAGES = ("ja", "ja-easy")
LANGUAGE_SUFFIX = {"ja": "", "ja-easy": "（やさしい日本語）"}
# Names of the public form's words, for the audit's reader.
TEXT_NAMES = {
    "required": "必須の印",
    "choose_any": "複数選択の案内",
    "choose_window": "窓口を選ぶ案内",
    "submit": "送信ボタン",
    "summary_title": "入力の誤りの見出し",
    "err_required": "未回答の誤り",
    "err_choice": "選択の誤り",
    "err_number": "数字の誤り",
    "err_digits": "桁数の誤り",
    "err_min": "最小値の誤り",
    "err_max": "最大値の誤り",
    "err_length": "文字数の誤り",
    "err_tampered": "不正な回答の誤り",
    "err_expired": "期限切れの誤り",
    "thanks_title": "お礼の見出し",
    "thanks_body": "お礼の文",
    "closed_title": "受付期間外の見出し",
    "closed_before": "受付前の文",
    "closed_after": "受付終了の文",
    "not_found_title": "見つからないときの見出し",
    "not_found_body": "見つからないときの文",
    "rate_title": "送信が多いときの見出し",
    "rate_body": "送信が多いときの文",
    "invalid_title": "受け付けられないときの見出し",
    "invalid_body": "受け付けられないときの文",
    "open_again": "開き直すリンク",
    "language": "言語の見出し",
}


def _text_in(obj, field, language):
    if language == "ja":
        return getattr(obj, field)
    return ((obj.translations or {}).get(language) or {}).get(field, "")


def published_surveys(user):
    """Surveys residents can open or could open this fiscal year: 3 queries."""
    if not user_may(user, "feedback.view_surveys"):
        return []
    day = today()
    year = FiscalYear.of(day)
    surveys = (
        surveys_for(user)
        .filter(opens_on__lte=day, closes_on__gte=year.start)
        .select_related("created_by__section")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("order", "id").prefetch_related(
                    Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))
                ),
            )
        )
        .order_by("-opens_on", "id")
    )
    texts = []
    for survey in surveys:
        section = survey.created_by.section
        common = {
            "kind": "アンケート",
            "url": reverse("feedback:survey_detail", args=[survey.pk]),
            "section_id": section.pk if section else None,
            "section_name": section.name if section else "",
        }
        for language in CHECKED_LANGUAGES:
            suffix = LANGUAGE_SUFFIX[language]
            for field, label in (("title", "題名"), ("introduction", "はじめの説明")):
                texts.append(
                    AuditText(
                        key=f"survey:{survey.pk}:{field}:{language}",
                        title=f"「{survey.title}」の{label}{suffix}",
                        text=_text_in(survey, field, language),
                        language=language,
                        **common,
                    )
                )
            for question in survey.questions.all():
                for field, label in (("text", "質問"), ("help_text", "補足")):
                    texts.append(
                        AuditText(
                            key=f"question:{question.pk}:{field}:{language}",
                            title=f"「{survey.title}」の{label}{question.order}{suffix}",
                            text=_text_in(question, field, language),
                            language=language,
                            **common,
                        )
                    )
                choices = [_text_in(c, "text", language) for c in question.choices.all()]
                if any(choices):
                    texts.append(
                        AuditText(
                            key=f"choices:{question.pk}:{language}",
                            title=f"「{survey.title}」の質問{question.order}の選択肢{suffix}",
                            text="\n".join(c for c in choices if c),
                            language=language,
                            **common,
                        )
                    )
    return texts


def poster_sentences(user):
    """The sentence the QR poster prints for residents, in the checked languages."""
    if not user_may(user, "feedback.view_surveys"):
        return []
    return [
        AuditText(
            key=f"poster:ask:{language}",
            kind="QRコードのポスター",
            title=f"ポスターの呼びかけ{LANGUAGE_SUFFIX[language]}",
            text=TEXTS[language]["ask"],
            language=language,
        )
        for language in CHECKED_LANGUAGES
    ]


def public_form_words(user):
    """The words of the public answer form (buttons, errors, thank-you and closed pages)."""
    if not user_may(user, "feedback.view_surveys"):
        return []
    texts = []
    for language in CHECKED_LANGUAGES:
        for key, name in TEXT_NAMES.items():
            texts.append(
                AuditText(
                    key=f"public:{key}:{language}",
                    kind="公開フォームの文言",
                    title=f"{name}{LANGUAGE_SUFFIX[language]}",
                    text=TEXTS[language][key].replace("%(show_value)d", "10"),
                    language=language,
                )
            )
    return texts


def voice_answers(user):
    """Answers recorded for resident voices this fiscal year: 1 query."""
    if not user_may(user, "feedback.view_voices"):
        return []
    year = FiscalYear.of(today())
    voices = (
        voices_for(user)
        .filter(answered_at__date__gte=year.start, answered_at__date__lte=year.end)
        .exclude(Q(answer_text="") | Q(answer_text__isnull=True))
        .select_related("section")
        .order_by("-answered_at", "id")
    )
    return [
        AuditText(
            key=f"voice:{voice.pk}:answer",
            kind="区民の声への回答",
            title=f"「{voice.summary}」への回答",
            text=voice.answer_text,
            url=reverse("feedback:voice_detail", args=[voice.pk]),
            section_id=voice.section_id,
            section_name=voice.section.name,
        )
        for voice in voices
    ]


def register_sources():
    register(Source("surveys", "公開中のアンケート", published_surveys, order=10))
    register(Source("poster", "QRコードのポスター", poster_sentences, order=20))
    register(Source("public_form", "公開フォームの文言", public_form_words, order=30))
    register(Source("voice_answers", "区民の声への回答", voice_answers, order=40))
