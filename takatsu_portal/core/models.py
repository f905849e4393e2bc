"""Master data from the guideline, and the append-only audit log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Policy(models.Model):
    """One of the five basic policies (区役所サービス 5つの基本方針), posted at every window."""

    number = models.PositiveSmallIntegerField("番号", unique=True)
    title = models.CharField("方針", max_length=200)
    description = models.TextField("説明")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "基本方針"
        verbose_name_plural = "基本方針"
        ordering = ["number"]

    def __str__(self):
        return f"({self.number}) {self.title}"


class InitiativeArea(models.Model):
    """A concrete initiative area of section 2 of the guideline (具体的な取組), ward-wide or
    the individual improvement of one's own work (個別業務の改善)."""

    class Scope(models.TextChoices):
        WARD = "ward", "区役所全体に関わる取組"
        INDIVIDUAL = "individual", "職員による個別業務の改善を中心とする取組"

    code = models.SlugField("コード", max_length=40, unique=True)
    number = models.PositiveSmallIntegerField("番号", unique=True)
    title = models.CharField("取組", max_length=200)
    description = models.TextField("説明")
    scope = models.CharField("区分", max_length=20, choices=Scope.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "具体的な取組"
        verbose_name_plural = "具体的な取組"
        ordering = ["number"]

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
