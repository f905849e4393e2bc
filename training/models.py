"""Training (研修): courses, their sessions (回), enrolments with attendance, completion and
evaluation, and required-training rules.

A course belongs to an office; its sessions are the dates people sign up for. One Enrolment row
is one person on one session, from application to completion: its `state` says whether they
hold a seat (confirmed), wait for one (waiting, in order of `applied_at` then id), wait for
their manager (pending), or dropped out (cancelled, refused). Attendance, completion and the
certificate's verification code live on the same row, because each belongs to exactly one
person on one session.
"""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.scoping import OfficeScopedQuerySet
from takatsu_portal.core.versioning import Versioned


class Category(models.TextChoices):
    SERVICE = "service", "接遇・窓口対応"
    KNOWLEDGE = "knowledge", "業務知識"
    WARD_ISSUES = "ward_issues", "区の課題"
    ACCESSIBILITY = "accessibility", "バリアフリー・障害理解"
    PLAIN_JAPANESE = "plain_japanese", "やさしい日本語・平易な言葉"
    SECURITY = "security", "情報セキュリティ"
    OTHER = "other", "その他"


class CourseQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        return self.filter(office=office) if office is not None else self

    def active(self):
        return self.filter(is_active=True)


class Course(Versioned):
    """A training course (研修) the ward runs; people sign up for one of its sessions."""

    class Kind(models.TextChoices):
        NOMINATED = "nominated", "指名研修"
        VOLUNTARY = "voluntary", "希望研修"

    office = models.ForeignKey(
        "accounts.Office", verbose_name="区役所", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("研修名", max_length=200)
    category = models.CharField("分野", max_length=30, choices=Category.choices)
    objectives = models.TextField("ねらい・内容")
    hours = models.DecimalField(
        "時間数",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text="修了時に記録する研修時間（時間）。例：1.5",
    )
    policies = models.ManyToManyField(
        "core.Policy", verbose_name="関連する基本方針", blank=True, related_name="+"
    )
    kind = models.CharField("種別", max_length=20, choices=Kind.choices, default=Kind.VOLUNTARY)
    needs_approval = models.BooleanField(
        "申込みに課長の承認が必要",
        default=False,
        help_text="希望研修で、申込みを所属課長が承認してから受講を確定する場合に選びます。",
    )
    evaluation_required = models.BooleanField(
        "修了にアンケート（研修評価）の提出が必要", default=False
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="研修担当",
        on_delete=models.PROTECT,
        related_name="organised_courses",
    )
    is_active = models.BooleanField("募集中・実施中", default=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[policies])

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = "研修"
        verbose_name_plural = "研修"
        ordering = ["title", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("training:course_detail", args=[self.pk])

    @property
    def is_nominated(self):
        return self.kind == self.Kind.NOMINATED


class SessionQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        return self.filter(course__office=office) if office is not None else self

    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now(), is_cancelled=False)

    def in_fiscal_year(self, fiscal_year):
        return self.filter(starts_at__date__range=(fiscal_year.start, fiscal_year.end))

    def with_counts(self):
        """Confirmed and waiting counts in the same query (the lists show them), as correlated
        subqueries rather than a join and GROUP BY: only the page's rows count their people
        (through the index on session and state), and a paginator's COUNT drops them."""

        def count(state):
            people = (
                Enrolment.objects.filter(session=OuterRef("pk"), state=state)
                .order_by()
                .values("session")
                .annotate(n=Count("pk"))
                .values("n")
            )
            return Coalesce(Subquery(people), 0)

        return self.annotate(confirmed_count=count("confirmed"), waiting_count=count("waiting"))


class Session(Versioned):
    """One date of a course (第N回). Capacity is never exceeded: every change of its seats
    happens with this row locked (`select_for_update`), see training.services."""

    course = models.ForeignKey(
        Course, verbose_name="研修", on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField("開始日時")
    ends_at = models.DateTimeField("終了日時")
    place = models.CharField("会場", max_length=200, blank=True)
    online_url = models.URLField("オンライン参加のURL", blank=True)
    capacity = models.PositiveIntegerField("定員", validators=[MinValueValidator(1)])
    instructor = models.CharField("講師", max_length=200, help_text="職員名又は外部講師名")
    instructor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="講師（職員の場合）",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    apply_by = models.DateTimeField("申込締切")
    cancel_by = models.DateTimeField("取消締切")
    is_cancelled = models.BooleanField("中止", default=False)
    reminder_sent_at = models.DateTimeField("前日通知の送信日時", null=True, blank=True)
    history = HistoricalRecords()

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = "研修の回"
        verbose_name_plural = "研修の回"
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{self.course.title}（{local:%Y/%m/%d %H:%M}）"

    def get_absolute_url(self):
        return reverse("training:session_detail", args=[self.pk])

    @property
    def fiscal_year(self):
        return FiscalYear.of(self.starts_at)

    @property
    def day(self):
        return timezone.localtime(self.starts_at).date()

    def is_open_for_applications(self, now=None):
        return not self.is_cancelled and (now or timezone.now()) <= self.apply_by

    def may_cancel_freely(self, now=None):
        return (now or timezone.now()) <= self.cancel_by

    @property
    def has_started(self):
        return timezone.now() >= self.starts_at

    @property
    def where(self):
        parts = [p for p in (self.place, "オンライン" if self.online_url else "") if p]
        return "・".join(parts)


class EnrolmentQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The enrolments on the sessions of `office`'s courses (enrolment → session → course
        → office)."""
        return self.filter(session__course__office=office) if office is not None else self

    def holding_seat(self):
        return self.filter(state=Enrolment.State.CONFIRMED)

    def waiting_in_order(self):
        return self.filter(state=Enrolment.State.WAITING).order_by("applied_at", "id")

    def active(self):
        return self.filter(state__in=Enrolment.ACTIVE_STATES)

    def completed(self):
        return self.filter(completed_on__isnull=False)


def new_certificate_code():
    return secrets.token_urlsafe(12)


class Enrolment(models.Model):
    """One person on one session, from application (or nomination) to completion."""

    class State(models.TextChoices):
        PENDING = "pending", "承認待ち"
        CONFIRMED = "confirmed", "受講確定"
        WAITING = "waiting", "キャンセル待ち"
        CANCELLED = "cancelled", "取消"
        REFUSED = "refused", "不承認"

    class Attendance(models.TextChoices):
        PRESENT = "present", "出席"
        LATE = "late", "遅刻"
        EARLY = "early", "早退"
        ABSENT = "absent", "欠席"

    ACTIVE_STATES = (State.PENDING, State.CONFIRMED, State.WAITING)
    # Attendance that completes the session: a late arrival sat through the content; leaving
    # early or missing it does not.
    COMPLETING = (Attendance.PRESENT, Attendance.LATE)

    session = models.ForeignKey(
        Session, verbose_name="研修の回", on_delete=models.PROTECT, related_name="enrolments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="職員",
        on_delete=models.PROTECT,
        related_name="training_enrolments",
    )
    state = models.CharField("状態", max_length=20, choices=State.choices)
    applied_at = models.DateTimeField("申込日時", default=timezone.now, db_index=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="指名者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承認者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_requested_at = models.DateTimeField("取消依頼日時", null=True, blank=True)
    cancel_reason = models.CharField("取消の理由", max_length=300, blank=True)
    move_requested_to = models.ForeignKey(
        Session,
        verbose_name="変更を希望する回",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attendance = models.CharField(
        "出欠", max_length=10, choices=Attendance.choices, blank=True, default=""
    )
    completed_on = models.DateField("修了日", null=True, blank=True, db_index=True)
    certificate_code = models.CharField(
        "修了証の確認コード", max_length=30, unique=True, default=new_certificate_code
    )
    history = HistoricalRecords()

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = "受講"
        verbose_name_plural = "受講"
        ordering = ["applied_at", "id"]
        constraints = [
            # One active place per person and session; cancelled rows stay as history.
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(state__in=["pending", "confirmed", "waiting"]),
                name="enrolment_one_active_per_session",
            ),
        ]
        indexes = [models.Index(fields=["session", "state", "applied_at"])]

    def __str__(self):
        return f"{self.user}／{self.session}"

    @property
    def is_active(self):
        return self.state in self.ACTIVE_STATES

    @property
    def is_nominated(self):
        return self.nominated_by_id is not None

    @property
    def attended(self):
        return self.attendance in self.COMPLETING

    def certificate_url(self):
        return reverse("training:certificate_verify", args=[self.certificate_code])


class EvaluationQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The evaluations of the sessions of `office`'s courses (evaluation → enrolment →
        session → course → office)."""
        if office is None:
            return self
        return self.filter(enrolment__session__course__office=office)


class Evaluation(models.Model):
    """A participant's evaluation of a session (研修評価アンケート). Only its author and the
    course's organisers read the answers; others see totals."""

    SCALE = [
        (5, "5 とても満足"),
        (4, "4 満足"),
        (3, "3 ふつう"),
        (2, "2 不満"),
        (1, "1 とても不満"),
    ]
    USEFUL_SCALE = [
        (5, "5 とても役立つ"),
        (4, "4 役立つ"),
        (3, "3 どちらともいえない"),
        (2, "2 あまり役立たない"),
        (1, "1 役立たない"),
    ]

    enrolment = models.OneToOneField(
        Enrolment, verbose_name="受講", on_delete=models.CASCADE, related_name="evaluation"
    )
    satisfaction = models.PositiveSmallIntegerField(
        "満足度", choices=SCALE, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    usefulness = models.PositiveSmallIntegerField(
        "業務への有用度",
        choices=USEFUL_SCALE,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comments = models.TextField("感想・意見", blank=True, max_length=2000)
    submitted_at = models.DateTimeField("提出日時", auto_now_add=True)
    history = HistoricalRecords()

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "研修評価"
        verbose_name_plural = "研修評価"

    def __str__(self):
        return f"{self.enrolment}の評価"


class RequirementQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        return self.filter(office=office)


class Requirement(models.Model):
    """A required-training rule (受講義務): who must complete what, by when."""

    class Audience(models.TextChoices):
        ALL = "all", "全職員"
        ROLE = "role", "役割"
        SECTION = "section", "課"
        WINDOW = "window", "窓口のある課の職員"
        JOINERS = "joiners", "今年度の着任者"

    class Due(models.TextChoices):
        FISCAL_YEAR = "fiscal_year", "毎年度"
        AFTER_JOINING = "after_joining", "着任後Nか月以内"

    office = models.ForeignKey(
        "accounts.Office", verbose_name="区役所", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("名称", max_length=200)
    audience = models.CharField("対象者", max_length=20, choices=Audience.choices)
    role = models.CharField("役割", max_length=30, choices=Role.choices, blank=True)
    section = models.ForeignKey(
        "accounts.Section",
        verbose_name="課",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    course = models.ForeignKey(
        Course,
        verbose_name="研修",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requirements",
    )
    category = models.CharField(
        "分野（分野のどれかの研修）", max_length=30, choices=Category.choices, blank=True
    )
    due = models.CharField("期限", max_length=20, choices=Due.choices, default=Due.FISCAL_YEAR)
    months = models.PositiveSmallIntegerField(
        "着任後の月数", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField("有効", default=True)
    objects = RequirementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "受講義務"
        verbose_name_plural = "受講義務"
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(course__isnull=False) & Q(category=""))
                | (Q(course__isnull=True) & ~Q(category="")),
                name="requirement_course_or_category",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def what_label(self):
        if self.course_id:
            return f"「{self.course.title}」"
        return f"分野「{self.get_category_display()}」のいずれかの研修"

    @property
    def who_label(self):
        if self.audience == self.Audience.ROLE:
            return f"役割：{Role(self.role).label}" if self.role else "役割"
        if self.audience == self.Audience.SECTION:
            return f"課：{self.section}" if self.section_id else "課"
        return self.get_audience_display()

    @property
    def due_label(self):
        if self.due == self.Due.AFTER_JOINING:
            return f"着任後{self.months}か月以内"
        return "毎年度（4月1日〜3月31日）"

    def deadline_for(self, joined_on, fiscal_year):
        """The last day to complete: the fiscal year's end, or N months after joining."""
        if self.due == self.Due.AFTER_JOINING and joined_on is not None:
            return add_months(joined_on, self.months or 0) - timedelta(days=1)
        return fiscal_year.end


def add_months(day, months):
    import calendar as _calendar

    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, _calendar.monthrange(year, month)[1])
    )


def new_feed_key():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's subscribable calendar of their own sessions (Outlook 「インターネット予定表」).

    A calendar program fetches the feed without the portal's login cookie, so the URL carries a
    secret key of its own (256 random bits), shown to the person on their record page and
    compared in constant time with the key stored here. 「URLを再発行」 replaces the key: the
    old URL stops working at once (a leaked URL is revoked that way). Only the key is stored in
    plain text, because the person must be able to read their URL again; it opens nothing but
    this one read-only list of dates and places."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="職員",
        on_delete=models.CASCADE,
        related_name="training_calendar_feed",
    )
    key = models.CharField("購読用の鍵", max_length=64, default=new_feed_key)
    issued_at = models.DateTimeField("発行日時", default=timezone.now)

    class Meta:
        verbose_name = "研修予定の購読URL"
        verbose_name_plural = "研修予定の購読URL"

    def __str__(self):
        return f"{self.user}の研修予定の購読URL"

    def get_absolute_url(self):
        return reverse("training:feed", args=[self.user_id, self.key])

    def reissue(self):
        """A new key; the old URL answers 404 from now on."""
        self.key = new_feed_key()
        self.issued_at = timezone.now()
        self.save(update_fields=["key", "issued_at"])
