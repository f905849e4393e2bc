"""People and organisation: offices (区役所), departments (部), sections (課) and staff."""

import calendar
import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from takatsu_portal.core.scoping import OfficeScopedQuerySet

kana_validator = RegexValidator(
    r"^[\u3040-\u309F\u30A0-\u30FF\u3000 ー・]+$",
    "ふりがなは、ひらがな又はカタカナで入力してください。",
)


class OfficeQuerySet(models.QuerySet):
    def for_office(self, office):
        """The office itself (the scope rule of accounts/scope.py applied to offices)."""
        return self.filter(pk=office.pk)


class Office(models.Model):
    """A ward office. The demo has one (高津区役所), but several wards may share an install."""

    code = models.SlugField("コード", max_length=30, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)
    # The public name in the languages residents answer surveys in: {"en": "Takatsu Ward
    # Office", "ja-easy": "たかつ くやくしょ"}; a language without one shows the Japanese.
    name_translations = models.JSONField(
        "名称の翻訳",
        default=dict,
        blank=True,
        help_text='言語コードと名称の組（例：{"en": "Takatsu Ward Office", '
        '"ja-easy": "たかつ くやくしょ"}）',
    )
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)
    # The office's settings (区役所ごとの設定). An empty one falls back on the install's Django
    # setting named in its help text, so that one install keeps today's behaviour untouched.
    portal_name = models.CharField(
        "ポータルの名称",
        max_length=100,
        blank=True,
        help_text="画面の上部と通知メールの件名に出ます。空欄は設定 PORTAL_NAME の値です。",
    )
    resident_name = models.CharField(
        "区民向けの名称",
        max_length=100,
        blank=True,
        help_text="アンケートの回答ページとQRコードのポスターに出る名称です。空欄は区役所の名称です。",
    )
    public_base_url = models.URLField(
        "区民が開くアドレス",
        max_length=200,
        blank=True,
        help_text="アンケートの回答ページとQRコードのアドレスの先頭（例：https://survey.example.jp）。"
        "空欄は設定 PORTAL_PUBLIC_BASE_URL の値です。",
    )
    plan_due_month = models.PositiveSmallIntegerField(
        "年度計画の期限（月）",
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="指針の「4月末を目途」。1〜3月は年度の終わりの年の月です。",
    )
    plan_due_day = models.PositiveSmallIntegerField(
        "年度計画の期限（日）",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="その月にない日（例：31日）は月末です。",
    )
    progress_reminder_days = models.PositiveSmallIntegerField(
        "進捗報告の催促（期限の何開庁日前）",
        null=True,
        blank=True,
        validators=[MaxValueValidator(60)],
        help_text="空欄は設定 PROGRESS_REMINDER_DAYS の値です。",
    )
    bulletin_reminder_days = models.PositiveSmallIntegerField(
        "情報紙の確認の催促（確認期限の何開庁日前）",
        null=True,
        blank=True,
        validators=[MaxValueValidator(60)],
        help_text="空欄は設定 BULLETIN_REMINDER_DAYS の値です。",
    )
    history = HistoricalRecords()

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "区役所"
        verbose_name_plural = "区役所"
        ordering = ["sort_order", "id"]
        # accounts/scope.py: a user without an office sees every office only with this.
        permissions = [("see_every_office", "所属のない職員がすべての区役所の記録を見る")]

    def __str__(self):
        return self.name

    @property
    def portal_title(self):
        """The portal's name for this office's staff (PORTAL_NAME where it has none)."""
        return self.portal_name or settings.PORTAL_NAME

    @property
    def name_for_residents(self):
        """The name residents read on the survey pages and posters (the office's name where it
        has no resident name)."""
        return self.resident_name or self.name

    @property
    def public_address(self):
        """The address residents reach the public pages at, without a trailing slash: the
        office's own, else PORTAL_PUBLIC_BASE_URL, else PORTAL_BASE_URL."""
        base = (
            self.public_base_url
            or getattr(settings, "PORTAL_PUBLIC_BASE_URL", "")
            or settings.PORTAL_BASE_URL
        )
        return base.rstrip("/")

    def plan_due_date(self, fiscal_year):
        """The deadline of the office's plan for `fiscal_year` (the year in which it starts):
        by default the guideline's end of April (4月末を目途). A day past the month's end is
        the month's last day; January to March belong to the fiscal year's second year."""
        year = fiscal_year if self.plan_due_month >= 4 else fiscal_year + 1
        last = calendar.monthrange(year, self.plan_due_month)[1]
        return datetime.date(year, self.plan_due_month, min(self.plan_due_day, last))

    @property
    def progress_reminder_working_days(self):
        if self.progress_reminder_days is not None:
            return self.progress_reminder_days
        return settings.PROGRESS_REMINDER_DAYS

    @property
    def bulletin_reminder_working_days(self):
        if self.bulletin_reminder_days is not None:
            return self.bulletin_reminder_days
        return getattr(settings, "BULLETIN_REMINDER_DAYS", 3)

    def public_name(self, language):
        """The office's name as residents read it in `language`, or "" when it has none."""
        if not language or language == "ja":
            return ""
        name = (self.name_translations or {}).get(language)
        return name if isinstance(name, str) else ""


class DepartmentQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        return self.filter(office=office)


class Department(models.Model):
    office = models.ForeignKey(
        Office, verbose_name="区役所", on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField("部名", max_length=100)
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)
    history = HistoricalRecords()

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = "部"
        verbose_name_plural = "部"
        ordering = ["office__sort_order", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="department_unique_name")
        ]

    def __str__(self):
        return self.name


class SectionQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        return self.filter(department__office=office)

    def with_department(self):
        return self.select_related("department", "department__office")


class Section(models.Model):
    department = models.ForeignKey(
        Department, verbose_name="部", on_delete=models.PROTECT, related_name="sections"
    )
    name = models.CharField("課名", max_length=100)
    sort_order = models.PositiveSmallIntegerField("表示順", default=0)
    history = HistoricalRecords()

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = "課"
        verbose_name_plural = "課"
        ordering = ["department__office__sort_order", "department__sort_order", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="section_unique_name")
        ]

    def __str__(self):
        return self.name

    @property
    def office(self):
        return self.department.office


class User(AbstractUser):
    """A member of staff. Names are kept as written in Japanese (氏名 and ふりがな) rather than
    split into first and last name, which suits neither Japanese order nor LDAP's cn."""

    first_name = None
    last_name = None
    staff_number = models.CharField("職員番号", max_length=20, blank=True)
    full_name = models.CharField("氏名", max_length=100, blank=True)
    full_name_kana = models.CharField(
        "ふりがな", max_length=100, blank=True, validators=[kana_validator]
    )
    section = models.ForeignKey(
        Section,
        verbose_name="所属課",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = "職員"
        verbose_name_plural = "職員"
        ordering = ["full_name_kana", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff_number"],
                condition=~Q(staff_number=""),
                name="user_unique_staff_number",
            )
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    @property
    def office(self):
        """The office the user works at (through their section); None without a section."""
        if self.section_id is None:
            return None
        return self.section.department.office

    def get_short_name(self):
        return self.full_name.split()[0] if self.full_name else self.username


class StaffTransferQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        """The transfers into or out of a section of `office`: a transfer between two wards
        belongs to both. The section it leaves is recorded when it is applied; until then it
        is the person's section."""
        return self.filter(
            Q(to_section__department__office=office)
            | Q(from_section__department__office=office)
            | Q(applied_at__isnull=True, user__section__department__office=office)
        )

    def pending(self):
        return self.filter(applied_at__isnull=True)

    def due(self, day):
        """Not yet applied and effective on or before `day`."""
        return self.pending().filter(effective_on__lte=day)


class StaffTransfer(models.Model):
    """A scheduled transfer (人事異動): on its effective date (usually 1 April) the person moves
    to the new section, in another ward or their own (accounts/transfers.py, a daily beat
    task). The person's own row is kept, so their records, history and training history stay
    with them; what they may see follows their section, so access moves on the date."""

    user = models.ForeignKey(
        User, verbose_name="職員", on_delete=models.PROTECT, related_name="transfers"
    )
    to_section = models.ForeignKey(
        Section, verbose_name="異動先の課", on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField("発令日", db_index=True)
    note = models.CharField("備考", max_length=200, blank=True)
    from_section = models.ForeignKey(
        Section,
        verbose_name="異動前の課",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="異動を反映したときに記録します。",
    )
    applied_at = models.DateTimeField("反映日時", null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        verbose_name="登録者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登録日時", auto_now_add=True)
    history = HistoricalRecords()

    objects = StaffTransferQuerySet.as_manager()

    class Meta:
        verbose_name = "人事異動"
        verbose_name_plural = "人事異動"
        ordering = ["-effective_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "effective_on"], name="staff_transfer_one_per_person_and_day"
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.to_section}（{self.effective_on:%Y-%m-%d}）"
