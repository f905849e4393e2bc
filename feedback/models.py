"""Residents' voices: service windows, anonymous surveys and their answers, and the register
of comments and complaints (区民の声).

Answers are anonymous: no address, cookie or other identifier of the resident is stored with
them. Personal data of a resident voice (name, contact) is optional, kept out of the change
history, masked for those who may not see it, and removed after the retention period.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from takatsu_portal.core.scoping import OfficeScopedQuerySet
from takatsu_portal.core.versioning import Versioned

# Languages a survey can be answered in. "ja" is required; the others are optional per text.
LANGUAGES = [
    ("ja", "日本語"),
    ("ja-easy", "やさしい日本語"),
    ("en", "English"),
    ("zh", "中文"),
    ("ko", "한국어"),
    ("pt", "Português"),
    ("vi", "Tiếng Việt"),
]
LANGUAGE_CODES = [code for code, _ in LANGUAGES]
# The languages by their Japanese names, for exports and staff pages: a file for Japanese
# Excel (Shift-JIS) cannot hold 한국어 or Tiếng Việt, and staff read Japanese (#10.4).
LANGUAGE_NAMES_JA = {
    "ja": "日本語",
    "ja-easy": "やさしい日本語",
    "en": "英語",
    "zh": "中国語",
    "ko": "韓国語",
    "pt": "ポルトガル語",
    "vi": "ベトナム語",
}


class Translated(models.Model):
    """A text in Japanese plus optional translations: {"en": "...", "ja-easy": "..."}."""

    translations = models.JSONField("翻訳", default=dict, blank=True)

    class Meta:
        abstract = True

    def translated(self, field, language):
        """The text of `field` in `language`, falling back to Japanese."""
        if language and language != "ja":
            text = (self.translations.get(language) or {}).get(field)
            if text:
                return text
        return getattr(self, field)

    def clean(self):
        super().clean()
        for language, texts in (self.translations or {}).items():
            if language not in LANGUAGE_CODES or not isinstance(texts, dict):
                raise ValidationError({"translations": f"未対応の言語です：{language}"})


class ServiceWindowQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        return self.filter(section__department__office=office)

    def active(self):
        return self.filter(is_active=True)


class ServiceWindow(Versioned, Translated):
    """A service window (窓口) where residents are served; it belongs to a section. Its name is
    translated like a question's text (a resident must be able to pick it). Versioned: a
    section manager and the subcommittee may edit it at once."""

    section = models.ForeignKey(
        "accounts.Section", verbose_name="課", on_delete=models.PROTECT, related_name="windows"
    )
    name = models.CharField("窓口名", max_length=100)
    location = models.CharField("場所", max_length=100, blank=True, help_text="例：2階 5番窓口")
    is_active = models.BooleanField("使用中", default=True)
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)
    history = HistoricalRecords()

    objects = ServiceWindowQuerySet.as_manager()

    class Meta:
        verbose_name = "窓口"
        verbose_name_plural = "窓口"
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "name"], name="window_unique_name")
        ]

    def __str__(self):
        return self.name

    def public_label(self, language):
        """The name a resident reads in `language`: the translation with the Japanese beside
        it (staff and the window's signs use the Japanese), or the Japanese alone."""
        translated = self.translated("name", language)
        return f"{translated}（{self.name}）" if translated != self.name else self.name


# Letters and digits that cannot be mistaken for one another when typed from a poster.
TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_survey_token():
    """16 characters of TOKEN_ALPHABET (about 79 bits): not guessable, easy to type."""
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(16))


class SurveyQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        return self.filter(office=office)


class Survey(Versioned, Translated):
    """A questionnaire residents answer anonymously through a public link or QR code."""

    office = models.ForeignKey(
        "accounts.Office", verbose_name="区役所", on_delete=models.PROTECT, related_name="surveys"
    )
    title = models.CharField("題名", max_length=200)
    introduction = models.TextField("はじめの説明", blank=True)
    opens_on = models.DateField("開始日")
    closes_on = models.DateField("終了日")
    windows = models.ManyToManyField(
        ServiceWindow, verbose_name="対象の窓口", blank=True, related_name="surveys"
    )
    token = models.CharField(
        "公開用トークン", max_length=40, unique=True, default=new_survey_token, editable=False
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name="複製元",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作成者", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[windows])

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = "アンケート"
        verbose_name_plural = "アンケート"
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("feedback:survey_detail", args=[self.pk])

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on

    @property
    def is_locked(self):
        """Once a survey has answers its questions are fixed, so that results never mix two
        wordings; a copy can be edited instead."""
        return self.responses.exists()


class QuestionQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The questions of `office`'s surveys (question → survey → office)."""
        return self.filter(survey__office=office)


class Question(Translated):
    class Kind(models.TextChoices):
        SATISFACTION = "satisfaction", "満足度（5段階）"
        SINGLE = "single", "一つ選ぶ"
        MULTIPLE = "multiple", "いくつでも選ぶ"
        NUMBER = "number", "数値"
        TEXT = "text", "自由記述"
        WINDOW = "window", "利用した窓口・手続き"

    survey = models.ForeignKey(
        Survey, verbose_name="アンケート", on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField("順番", default=1)
    kind = models.CharField("種類", max_length=20, choices=Kind.choices)
    text = models.CharField("質問", max_length=300)
    help_text = models.CharField("補足", max_length=300, blank=True)
    required = models.BooleanField("回答必須", default=False)
    min_value = models.DecimalField(
        "最小値", max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        "最大値", max_digits=12, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = "質問"
        verbose_name_plural = "質問"
        ordering = ["survey", "order", "id"]

    def __str__(self):
        return self.text

    @property
    def has_choices(self):
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


# The five points of a satisfaction question (5 = satisfied), in every language.
SATISFACTION_LABELS = {
    "ja": ["不満", "やや不満", "ふつう", "やや満足", "満足"],
    "ja-easy": ["よくない", "すこし よくない", "ふつう", "すこし よい", "よい"],
    "en": ["Dissatisfied", "Somewhat dissatisfied", "Neutral", "Somewhat satisfied", "Satisfied"],
    "zh": ["不满意", "有点不满意", "一般", "比较满意", "满意"],
    "ko": ["불만족", "약간 불만족", "보통", "약간 만족", "만족"],
    "pt": ["Insatisfeito", "Pouco insatisfeito", "Neutro", "Pouco satisfeito", "Satisfeito"],
    "vi": ["Không hài lòng", "Hơi không hài lòng", "Bình thường", "Khá hài lòng", "Hài lòng"],
}


class ChoiceQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The options of the questions of `office`'s surveys (choice → question → survey →
        office)."""
        return self.filter(question__survey__office=office)


class Choice(Translated):
    question = models.ForeignKey(
        Question, verbose_name="質問", on_delete=models.CASCADE, related_name="choices"
    )
    order = models.PositiveSmallIntegerField("順番", default=1)
    text = models.CharField("選択肢", max_length=200)
    history = HistoricalRecords()

    objects = ChoiceQuerySet.as_manager()

    class Meta:
        verbose_name = "選択肢"
        verbose_name_plural = "選択肢"
        ordering = ["question", "order", "id"]

    def __str__(self):
        return self.text


class ResponseQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The responses to `office`'s surveys (response → survey → office)."""
        return self.filter(survey__office=office)

    def newest_of(self, survey):
        """The survey's newest response first (`survey` a Survey, its pk or an OuterRef),
        read from the end of the (survey, id) index. The survey is asked as a range of one
        value on purpose: with `survey_id = n` PostgreSQL drops survey_id from the ordering
        and walks the primary key backwards through every newer survey's responses."""
        survey = getattr(survey, "pk", survey)
        return self.filter(survey_id__gte=survey, survey_id__lte=survey).order_by(
            "-survey_id", "-id"
        )

    def newest_id(self, survey):
        """The id of the survey's newest response (None without one), one index step."""
        return self.newest_of(survey).values_list("id", flat=True).first()


class Response(models.Model):
    """One resident's answers to a survey. Nothing here identifies the resident: the
    submission key only stops a double submit of the same form."""

    class Channel(models.TextChoices):
        WEB = "web", "ウェブ（QRコード）"
        PAPER = "paper", "紙（職員が入力）"
        IMPORT = "import", "取込み"

    survey = models.ForeignKey(
        Survey, verbose_name="アンケート", on_delete=models.PROTECT, related_name="responses"
    )
    submitted_on = models.DateField("回答日", db_index=True)
    channel = models.CharField("回答方法", max_length=20, choices=Channel.choices)
    language = models.CharField("言語", max_length=10, choices=LANGUAGES, default="ja")
    window = models.ForeignKey(
        ServiceWindow,
        verbose_name="利用した窓口",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responses",
    )
    submission_key = models.CharField("送信キー", max_length=64, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="入力者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = "回答"
        verbose_name_plural = "回答"
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "submission_key"], name="response_submitted_once"
            )
        ]
        indexes = [
            models.Index(fields=["survey", "submitted_on"]),
            # A survey's newest response in one index step (ResponseQuerySet.newest_id).
            models.Index(fields=["survey", "id"], name="response_survey_newest"),
        ]

    def __str__(self):
        return f"{self.survey} {self.submitted_on}"


class AnswerQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The answers in the responses to `office`'s surveys (answer → response → survey →
        office)."""
        return self.filter(response__survey__office=office)

    def to_questions(self, questions):
        """The answers to `questions`: Question instances the code holds, or a Question
        queryset read here first. Found by the questions' ids through the question index, the
        planner knowing how many to expect (a join to the survey for its office would cost
        every answer a lookup). Scoped as the questions are: a queryset is read through the
        guard (an unscoped one raises in a request), and instances in hand were loaded by a
        scoped query or a related manager, as a related manager's parent is."""
        return self._held("question", questions, Question)

    def with_choices(self, choices):
        """The answers that chose one of `choices` (Choice instances the code holds, or a
        Choice queryset read here first), through the choice index: scoped as `to_questions`."""
        return self._held("choice", choices, Choice)

    def _held(self, field, rows, model):
        if isinstance(rows, models.QuerySet):
            # The rows' own scope: "office", a city-wide reason, or None (unscoped: their
            # query has just raised in a request, and outside one nothing is guarded).
            scope = rows._office_scope or ("office" if rows.is_office_scoped else None)
            ids = list(rows.values_list("pk", flat=True))
        else:
            rows = list(rows)
            if not all(isinstance(row, model) for row in rows):
                # An id is not a scope: a hand-typed one may be another ward's.
                raise TypeError(f"{model.__name__} instances or a queryset, not ids")
            scope, ids = "office", [row.pk for row in rows]
        clone = self.filter(**{f"{field}_id__in": ids})
        clone._office_scope = clone._office_scope or scope
        return clone


class Answer(models.Model):
    """One answer to one question. Satisfaction (1–5) and numbers go in `number`; a chosen
    option in `choice` (one row per option chosen); free text in `text`."""

    response = models.ForeignKey(
        Response, verbose_name="回答", on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name="質問", on_delete=models.PROTECT, related_name="answers"
    )
    choice = models.ForeignKey(
        Choice,
        verbose_name="選択肢",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answers",
    )
    number = models.DecimalField("数値", max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField("記述", blank=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        verbose_name = "回答内容"
        verbose_name_plural = "回答内容"
        indexes = [models.Index(fields=["question", "number"])]

    def __str__(self):
        # Never the free text itself: a name is shown where the text's readers are not
        # checked (the admin's titles and links, logs); the text is read in the portal only.
        return f"{self.question}: {self.choice or self.number or '（自由記述）'}"


# ---------------------------------------------------------------------------------------------
# Resident voices


class VoiceQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        return self.filter(office=office)

    def open(self):
        return self.exclude(state__in=[ResidentVoice.State.ANSWERED, ResidentVoice.State.CLOSED])

    def overdue(self, today):
        return self.open().filter(due_on__lt=today)


class ResidentVoice(Versioned):
    """A comment or complaint from a resident, from any channel, until it is answered."""

    class Channel(models.TextChoices):
        COUNTER = "counter", "窓口"
        PHONE = "phone", "電話"
        LETTER = "letter", "手紙"
        EMAIL = "email", "メール"
        SURVEY = "survey", "アンケートの自由記述"
        OTHER = "other", "その他"

    class Category(models.TextChoices):
        WAITING = "waiting", "待ち時間"
        WAYFINDING = "wayfinding", "場所が分かりにくい"
        PASSED_AROUND = "passed_around", "窓口のたらい回し"
        MANNER = "manner", "職員の対応"
        JARGON = "jargon", "役所言葉・専門用語"
        ACCESSIBILITY = "accessibility", "バリアフリー"
        FACILITIES = "facilities", "庁舎・設備"
        OTHER = "other", "その他"

    class State(models.TextChoices):
        RECEIVED = "received", "受付"
        ASSIGNED = "assigned", "担当決定"
        ANSWERED = "answered", "回答済み"
        CLOSED = "closed", "完了"

    office = models.ForeignKey(
        "accounts.Office", verbose_name="区役所", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField("受付方法", max_length=20, choices=Channel.choices)
    category = models.CharField("分類", max_length=20, choices=Category.choices)
    section = models.ForeignKey(
        "accounts.Section", verbose_name="担当課", on_delete=models.PROTECT, related_name="voices"
    )
    window = models.ForeignKey(
        ServiceWindow,
        verbose_name="窓口",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voices",
    )
    received_on = models.DateField("受付日")
    due_on = models.DateField("回答期限", null=True, blank=True)
    summary = models.CharField("件名", max_length=200)
    body = models.TextField("内容")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="担当者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_voices",
    )
    state = models.CharField("状況", max_length=20, choices=State.choices, default=State.RECEIVED)
    answer_text = models.TextField("回答内容", blank=True)
    answered_at = models.DateTimeField("回答日時", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回答者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField("完了日時", null=True, blank=True)
    # Personal data: optional, never copied into the history, removed after retention.
    contact_name = models.CharField("氏名（任意）", max_length=100, blank=True)
    contact_info = models.CharField(
        "連絡先（任意）", max_length=200, blank=True, help_text="電話番号・メールアドレス・住所など"
    )
    personal_data_removed_at = models.DateTimeField("個人情報の削除日時", null=True, blank=True)
    source_answer = models.OneToOneField(
        Answer,
        verbose_name="元のアンケート回答",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voice",
    )
    projects = models.ManyToManyField(
        "plans.Project", verbose_name="対応する事業", blank=True, related_name="voices"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="記録者", on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(
        excluded_fields=["contact_name", "contact_info"], m2m_fields=[projects]
    )

    objects = VoiceQuerySet.as_manager()

    class Meta:
        verbose_name = "区民の声"
        verbose_name_plural = "区民の声"
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return self.summary

    def get_absolute_url(self):
        return reverse("feedback:voice_detail", args=[self.pk])

    @property
    def has_personal_data(self):
        return bool(self.contact_name or self.contact_info)
