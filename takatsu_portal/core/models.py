"""Master data from the guideline, and the append-only audit log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .scoping import OfficeScopedQuerySet


class GuidelineQuerySet(OfficeScopedQuerySet):
    """Policies and initiative areas are master data per office: the rows without an office
    are the city's template (川崎市区役所サービス向上指針) that a new office copies
    (core/guideline.py), and every page, form and report reads only its office's own rows."""

    def for_office(self, office):
        """The office's own rows; `None` gives the city's template (an office-less user)."""
        if office is None:
            return self.templates()
        return self.filter(office=office)

    def templates(self):
        """The city's template: the guideline as the city wrote it, the rows of no office."""
        clone = self.filter(office__isnull=True)
        # Scoped (core/scoping.py): the template is no office's record but the city's text,
        # which every office may read (a new office copies it, an office-less user sees it).
        clone._office_scope = "office"
        return clone


class Policy(models.Model):
    """One of the five basic policies (区役所サービス 5つの基本方針), posted at every window.
    Each office has its own (its titles and texts in its own words); the rows without an
    office are the city's template."""

    office = models.ForeignKey(
        "accounts.Office",
        verbose_name="区役所",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
        help_text="空欄は市の指針（新しい区役所が写す雛形）です。",
    )
    number = models.PositiveSmallIntegerField("番号")
    title = models.CharField("方針", max_length=200)
    description = models.TextField("説明")
    history = HistoricalRecords()

    objects = GuidelineQuerySet.as_manager()

    class Meta:
        verbose_name = "基本方針"
        verbose_name_plural = "基本方針"
        ordering = ["number", "office_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "number"], name="policy_unique_number_per_office"
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(office__isnull=True),
                name="policy_unique_template_number",
            ),
        ]

    def __str__(self):
        return f"({self.number}) {self.title}"


class InitiativeArea(models.Model):
    """A concrete initiative area of section 2 of the guideline (具体的な取組), ward-wide or
    the individual improvement of one's own work (個別業務の改善). Per office, like Policy."""

    class Scope(models.TextChoices):
        WARD = "ward", "区役所全体に関わる取組"
        INDIVIDUAL = "individual", "職員による個別業務の改善を中心とする取組"

    office = models.ForeignKey(
        "accounts.Office",
        verbose_name="区役所",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiative_areas",
        help_text="空欄は市の指針（新しい区役所が写す雛形）です。",
    )
    code = models.SlugField("コード", max_length=40)
    number = models.PositiveSmallIntegerField("番号")
    title = models.CharField("取組", max_length=200)
    description = models.TextField("説明")
    scope = models.CharField("区分", max_length=20, choices=Scope.choices)
    history = HistoricalRecords()

    objects = GuidelineQuerySet.as_manager()

    class Meta:
        verbose_name = "具体的な取組"
        verbose_name_plural = "具体的な取組"
        ordering = ["number", "office_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "number"], name="initiative_area_unique_number_per_office"
            ),
            models.UniqueConstraint(
                fields=["office", "code"], name="initiative_area_unique_code_per_office"
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(office__isnull=True),
                name="initiative_area_unique_template_number",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(office__isnull=True),
                name="initiative_area_unique_template_code",
            ),
        ]

    def __str__(self):
        if self.scope == self.Scope.WARD:
            return f"({self.number}) {self.title}"
        return self.title


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")

    def delete(self):
        raise TypeError("The audit log is append-only.")


class AuditEvent(models.Model):
    """Who did what, when and from where: logins, refusals, exports of resident data. Rows
    are only ever added; the admin shows them read-only."""

    class Action(models.TextChoices):
        LOGIN = "login", "ログイン"
        LOGOUT = "logout", "ログアウト"
        LOGIN_FAILED = "login_failed", "ログイン失敗"
        LOCKED_OUT = "locked_out", "ログイン制限"
        DENIED = "denied", "アクセス拒否"
        EXPORT = "export", "データ出力"
        SESSION_EXPIRED = "session_expired", "セッション期限切れ"

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    action = models.CharField("種別", max_length=30, choices=Action.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="職員",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField("ユーザー名", max_length=150, blank=True)
    path = models.CharField("URL", max_length=500, blank=True)
    address = models.GenericIPAddressField("接続元", null=True, blank=True)
    detail = models.JSONField("詳細", default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "監査記録"
        verbose_name_plural = "監査記録"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only.")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one member of staff, shown on the home page until read (and sent by
    e-mail when it is created)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="宛先",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.CharField("内容", max_length=300)
    url = models.CharField("リンク先", max_length=300, blank=True)
    created_at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("既読日時", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "お知らせ"
        verbose_name_plural = "お知らせ"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.message


# ---------------------------------------------------------------------------------------------
# Imports of spreadsheets, run by the worker (core/imports.py)


def import_upload_to(instance, filename):
    """A random name under imports/ (outside the web root): never guessable from the job."""
    import secrets
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    return f"imports/{secrets.token_urlsafe(24)}{suffix if suffix in ('.csv', '.xlsx') else ''}"


class ImportJobQuerySet(OfficeScopedQuerySet):
    def for_office(self, office):
        return self.filter(office=office)

    def for_list(self):
        return self.select_related("requested_by", "confirmed_by").order_by("-created_at", "-id")


class ImportJob(models.Model):
    """One uploaded file on its way into the database: stored first, checked by the worker
    (every bad row reported, nothing written), confirmed by a person, then written by the
    worker in one transaction. The row is the request: the page polls it, the worker moves it
    on with conditional UPDATEs, so a cancelled job is never checked or written afterwards."""

    class State(models.TextChoices):
        QUEUED = "queued", "待機中"
        CHECKING = "checking", "内容を確認中"
        READY = "ready", "確認済み"
        WRITING = "writing", "書込み中"
        DONE = "done", "完了"
        FAILED = "failed", "失敗"
        CANCELLED = "cancelled", "取消"

    kind = models.CharField("種類", max_length=40)
    params = models.JSONField("取込み先", default=dict, blank=True)
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name="区役所",
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="依頼者",
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    file = models.FileField("ファイル", upload_to=import_upload_to, max_length=200)
    filename = models.CharField("元のファイル名", max_length=200)
    size = models.PositiveIntegerField("サイズ（バイト）", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    state = models.CharField("状態", max_length=20, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField("行数", default=0)
    rows_checked = models.PositiveIntegerField("確認した行", default=0)
    rows_written = models.PositiveIntegerField("書き込んだ行", default=0)
    bad_rows = models.PositiveIntegerField("取り込めない行", default=0)
    result = models.JSONField("確認・取込みの結果", default=dict, blank=True)
    error = models.TextField("失敗の理由", blank=True)
    error_detail = models.TextField("技術的な情報", blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="取込みを確定した人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("確定日時", null=True, blank=True)
    created_at = models.DateTimeField("依頼日時", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("開始日時", null=True, blank=True)
    finished_at = models.DateTimeField("終了日時", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("試行回数", default=0)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "ファイルの取込み"
        verbose_name_plural = "ファイルの取込み"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind_label} #{self.pk}（{self.filename}）"

    @property
    def kind_label(self):
        from .import_kinds import REGISTRY

        kind = REGISTRY.get(self.kind)
        return kind.label if kind else self.kind

    @property
    def is_writing_phase(self):
        """Confirmed: the next (or current) work is writing, not checking."""
        return self.confirmed_at is not None

    @property
    def is_pending(self):
        """The worker has (or will have) something to do: the page keeps polling."""
        return self.state in (self.State.QUEUED, self.State.CHECKING, self.State.WRITING)

    @property
    def is_cancellable(self):
        """Until the writing starts: waiting, being checked, or checked and not confirmed.
        Writing is one transaction; stopping it half-way would leave nothing to show."""
        return self.state in (self.State.QUEUED, self.State.CHECKING, self.State.READY)

    @property
    def is_confirmable(self):
        """Checked, every row good, something to import."""
        return self.state == self.State.READY and self.bad_rows == 0 and self.rows_total > 0

    @property
    def is_failed(self):
        return self.state == self.State.FAILED

    @property
    def progress_value(self):
        """(done, of) for the progress bar of the current phase."""
        if self.is_writing_phase:
            if "result" in self.get_deferred_fields():  # the poll: read out of it by the query
                to_write = int(getattr(self, "result_to_write", None) or 0)
            else:
                to_write = self.result.get("to_write")
            return self.rows_written, to_write or self.rows_total
        return self.rows_checked, self.rows_total

    @property
    def state_text(self):
        """The state as people read it."""
        if self.state == self.State.QUEUED:
            waiting_for = "取込み" if self.is_writing_phase else "確認"
            return f"待機中（{waiting_for}の順番待ち）"
        if self.state == self.State.READY:
            if self.bad_rows:
                return f"確認済み：取り込めない行が{self.bad_rows}行あります"
            return "確認済み：取り込めます（まだ何も書き込んでいません）"
        return self.get_state_display()


class PendingUpload(models.Model):
    """A file that came with a form refused for another reason (#10.6), kept under
    MEDIA_ROOT/pending/ until the corrected form attaches it. One never attached expires after
    PENDING_UPLOAD_HOURS: the beat task `core.expire_pending_uploads` (and the command
    `expire_pending_uploads`) deletes the row and its file (core.pending_uploads.expire)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="利用者",
        on_delete=models.CASCADE,
        related_name="+",
    )
    path = models.CharField("保存先", max_length=255, unique=True)
    name = models.CharField("元のファイル名", max_length=255)
    created_at = models.DateTimeField("受け取った日時", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "保存待ちのファイル"
        verbose_name_plural = "保存待ちのファイル"

    def __str__(self):
        return self.name
