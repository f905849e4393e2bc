"""The staff bulletin (職員向けの情報紙): numbered issues of articles, who read and confirmed
which version of a required article, attachments, and the reminders sent (kept so that none
is sent twice)."""

import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from takatsu_portal.accounts.models import Department, Office, Section
from takatsu_portal.core.scoping import OfficeScopedQuerySet
from takatsu_portal.core.versioning import Versioned


class IssueQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        return self.filter(office=office) if office is not None else self

    def published(self):
        return self.filter(state=Issue.State.PUBLISHED)

    def due(self, now=None):
        """Scheduled issues whose time has come (the beat task publishes them)."""
        return self.filter(state=Issue.State.SCHEDULED, publish_at__lte=now or timezone.now())


class Issue(Versioned):
    """One issue of the bulletin (第N号, numbered per office and fiscal year when it is
    published), or a 臨時号 that carries an article published between issues."""

    class Kind(models.TextChoices):
        REGULAR = "regular", "定例号"
        EXTRA = "extra", "臨時号"

    class State(models.TextChoices):
        DRAFT = "draft", "下書き"
        SCHEDULED = "scheduled", "公開予約"
        PUBLISHED = "published", "公開済み"

    office = models.ForeignKey(
        Office, verbose_name="区役所", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("種類", max_length=10, choices=Kind, default=Kind.REGULAR)
    title = models.CharField("号の表題", max_length=200)
    fiscal_year = models.PositiveSmallIntegerField("年度", null=True, blank=True, editable=False)
    number = models.PositiveSmallIntegerField("号数", null=True, blank=True, editable=False)
    state = models.CharField(
        "状態", max_length=10, choices=State, default=State.DRAFT, editable=False
    )
    publish_at = models.DateTimeField("公開予定日時", null=True, blank=True, editable=False)
    published_at = models.DateTimeField("公開日時", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作成者", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    history = HistoricalRecords()

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = "情報紙の号"
        verbose_name_plural = "情報紙の号"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "fiscal_year", "kind", "number"],
                condition=Q(number__isnull=False),
                name="bulletin_issue_unique_number",
            )
        ]
        indexes = [models.Index(fields=["office", "state", "-published_at"])]

    def __str__(self):
        return f"{self.label}　{self.title}"

    def get_absolute_url(self):
        return reverse("bulletins:issue_detail", args=[self.pk])

    @property
    def label(self):
        """第N号 / 臨時第N号, or the state while it has no number yet."""
        if self.number is None:
            return f"（{self.get_state_display()}）"
        prefix = "臨時" if self.kind == self.Kind.EXTRA else ""
        return f"{prefix}第{self.number}号"

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED


class Category(models.TextChoices):
    NOTICE = "notice", "お知らせ"
    RULE_CHANGE = "rule_change", "制度改正"
    WINDOW_TIPS = "window_tips", "窓口対応のポイント"
    QA = "qa", "よくある問合せ（Q&A）"
    TRAINING = "training", "研修報告"
    GOOD_PRACTICE = "good_practice", "優良事例"
    OTHER = "other", "その他"


class Importance(models.TextChoices):
    URGENT = "urgent", "緊急"
    IMPORTANT = "important", "重要"
    NORMAL = "normal", "通常"


IMPORTANCE_RANK = {Importance.URGENT: 0, Importance.IMPORTANT: 1, Importance.NORMAL: 2}


def audience_q(user, prefix=""):
    """A Q for articles whose audience includes `user`: all staff of the issue's office, or the
    user's section, department or one of their roles. Subqueries, not joins: no duplicates."""
    section = user.section
    if section is None or not user.is_active:
        return Q(pk__in=[])
    p = prefix
    outer = OuterRef(f"{p}pk")
    through_sections = Article.audience_sections.through.objects.filter(
        article_id=outer, section_id=section.pk
    )
    through_departments = Article.audience_departments.through.objects.filter(
        article_id=outer, department_id=section.department_id
    )
    through_roles = Article.audience_roles.through.objects.filter(
        article_id=outer, group__user=user.pk
    )
    return Q(**{f"{p}issue__office_id": section.department.office_id}) & (
        Q(**{f"{p}audience_all": True})
        | Q(Exists(through_sections))
        | Q(Exists(through_departments))
        | Q(Exists(through_roles))
    )


SEARCH_FIELDS = ("search_title", "search_text")


class ArticleQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The articles of `office`'s issues (article → issue → office)."""
        return self.filter(issue__office=office) if office is not None else self

    def published(self):
        return self.filter(issue__state=Issue.State.PUBLISHED)

    def for_reader(self, user):
        """Published articles whose audience includes `user`: of the issues of the reader's
        office only (nothing without a section), so the result counts as office-scoped."""
        if user.section_id is None or not user.is_active:
            return self.none()
        office_id = user.section.department.office_id
        return self.for_office(office_id).published().filter(audience_q(user))

    def for_list(self):
        return self.select_related("issue").defer(*SEARCH_FIELDS)

    def required(self):
        return self.filter(required=True)


def attachment_path(instance, filename):
    """A random name: the stored name never comes from the user."""
    return f"bulletins/{instance.article_id}/{uuid.uuid4().hex}"


class Article(Versioned):
    """An article of an issue. `revision` counts the edits made after publication (readers see
    「更新あり」 when theirs is older); `confirm_revision` is the revision a confirmation must be
    for, moved on only when the editor says the change needs a new confirmation."""

    issue = models.ForeignKey(
        Issue, verbose_name="号", on_delete=models.CASCADE, related_name="articles"
    )
    order = models.PositiveSmallIntegerField("掲載順", default=0)
    title = models.CharField("見出し", max_length=200)
    body = models.TextField(
        "本文",
        help_text="Markdown 記法が使えます（# 見出し、- 箇条書き、**強調**、[リンク](https://…)、表）。"
        "画像は本文に入れず、添付ファイルにしてください。",
    )
    body_html = models.TextField(editable=False, default="")
    category = models.CharField("分類", max_length=20, choices=Category, default=Category.NOTICE)
    importance = models.CharField(
        "重要度", max_length=10, choices=Importance, default=Importance.NORMAL
    )
    audience_all = models.BooleanField("区役所の全職員", default=True)
    audience_departments = models.ManyToManyField(
        Department, verbose_name="対象の部", blank=True, related_name="+"
    )
    audience_sections = models.ManyToManyField(
        Section, verbose_name="対象の課", blank=True, related_name="+"
    )
    audience_roles = models.ManyToManyField(
        Group, verbose_name="対象の役割", blank=True, related_name="+"
    )
    required = models.BooleanField("必読（確認が必要）", default=False)
    confirm_by = models.DateField("確認期限", null=True, blank=True)
    revision = models.PositiveIntegerField("改訂", default=1, editable=False)
    confirm_revision = models.PositiveIntegerField("確認対象の改訂", default=1, editable=False)
    revised_at = models.DateTimeField("更新日時", null=True, blank=True, editable=False)
    change_note = models.CharField("変更内容", max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作成者", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    # Search: the normalised title and text (title, body, attachments' names). On PostgreSQL
    # a GIN index holds the text's character bigrams (migration 0002: an index on the
    # expression bulletins_bigrams(search_text), so no row carries them).
    search_title = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["body_html", "search_title", "search_text"])

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "情報紙の記事"
        verbose_name_plural = "情報紙の記事"
        ordering = ["issue", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(required=False) | Q(confirm_by__isnull=False),
                name="bulletin_required_has_confirm_by",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("bulletins:article_detail", args=[self.pk])

    @property
    def importance_rank(self):
        return IMPORTANCE_RANK[self.importance]

    def audience_label(self):
        """The audience in words, for the article page (needs the m2m prefetched)."""
        if self.audience_all:
            return "区役所の全職員"
        parts = [d.name for d in self.audience_departments.all()]
        parts += [s.name for s in self.audience_sections.all()]
        parts += [g.name for g in self.audience_roles.all()]
        return "、".join(parts) or "（対象者なし）"

    def is_for(self, user):
        """Whether `user` is in the audience: checked on the server before a confirmation."""
        if user.section_id is None or not user.is_active:
            return False
        office_id = user.section.department.office_id
        return (
            Article.objects.for_office(office_id)
            .filter(pk=self.pk)
            .filter(audience_q(user))
            .exists()
        )


class ReadMarkQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The read marks of the articles of `office`'s issues (mark → article → issue →
        office)."""
        return self.filter(article__issue__office=office) if office is not None else self


class ReadMark(models.Model):
    """The reader opened the article; `revision` is the revision they last saw."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField("既読の改訂")
    first_read_at = models.DateTimeField("初回閲覧日時")
    read_at = models.DateTimeField("最終閲覧日時")

    objects = ReadMarkQuerySet.as_manager()

    class Meta:
        verbose_name = "既読"
        verbose_name_plural = "既読"
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="bulletin_read_once")
        ]

    def __str__(self):
        return f"{self.user} / {self.article}"


class ConfirmationQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The confirmations of the articles of `office`'s issues (confirmation → article →
        issue → office)."""
        return self.filter(article__issue__office=office) if office is not None else self


class Confirmation(models.Model):
    """「確認しました」 for one revision of a required article: kept, never undone."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField("確認した改訂")
    confirmed_at = models.DateTimeField("確認日時")

    objects = ConfirmationQuerySet.as_manager()

    class Meta:
        verbose_name = "確認"
        verbose_name_plural = "確認"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user", "revision"], name="bulletin_confirm_once"
            )
        ]

    def __str__(self):
        return f"{self.user} / {self.article}（改訂{self.revision}）"


class AttachmentQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The files of the articles of `office`'s issues (attachment → article → issue →
        office)."""
        return self.filter(article__issue__office=office) if office is not None else self


class Attachment(models.Model):
    """A file of an article, stored under a random name outside the web root and served only
    to people who may read the article."""

    article = models.ForeignKey(
        Article, verbose_name="記事", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("ファイル", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("ファイル名", max_length=200)
    content_type = models.CharField("種類", max_length=100)
    size = models.PositiveIntegerField("サイズ（バイト）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登録者", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("登録日時", auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "添付ファイル"
        verbose_name_plural = "添付ファイル"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("bulletins:attachment_download", args=[self.pk])


class ReminderQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The reminders sent about the articles of `office`'s issues (reminder → article →
        issue → office)."""
        return self.filter(article__issue__office=office) if office is not None else self


class Reminder(models.Model):
    """A reminder sent about one version of a required article (its `confirm_revision` at the
    time), kept so that the same reminder is never sent twice to the same person for the same
    version, however often the task runs. A new version that needs confirmation again starts
    a fresh cycle: its reminders carry the new revision."""

    class Kind(models.TextChoices):
        BEFORE = "before", "期限前"
        OVERDUE = "overdue", "期限超過"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind)
    revision = models.PositiveIntegerField("確認対象の改訂", default=1)
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = "確認のリマインダー"
        verbose_name_plural = "確認のリマインダー"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user", "kind", "revision"], name="bulletin_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.user} / {self.article}（改訂{self.revision}・{self.get_kind_display()}）"


class AudienceNoticeQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The notices of the articles of `office`'s issues told to their audience (notice →
        article → issue → office)."""
        return self.filter(article__issue__office=office) if office is not None else self


class AudienceNotice(models.Model):
    """The audience was told (home page and, for required or urgent articles, e-mail) that a
    version of an article came out: when its issue was published, or when a change needed
    everyone's confirmation again. Kept so that nobody is told twice about the same version."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField("お知らせした改訂")
    emailed = models.BooleanField("メールも送った", default=False)
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = AudienceNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "公開のお知らせ"
        verbose_name_plural = "公開のお知らせ"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "user", "revision"], name="bulletin_notice_once"
            )
        ]

    def __str__(self):
        return f"{self.user} / {self.article}（改訂{self.revision}）"
