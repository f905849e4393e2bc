"""Report jobs (a request for a PDF, a database row before it is a Celery task) and the
versions they produce (the exact file the council read, with its checksum)."""

import secrets

from django.conf import settings
from django.db import models

from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core.fiscal import local_datetime
from takatsu_portal.core.scoping import OfficeScopedQuerySet


class ReportJobQuerySet(OfficeScopedQuerySet):
    office_path = "office"

    def for_user(self, user):
        """Jobs of the user's office (accounts/scope.py: none for a user without an office,
        unless they may see every office)."""
        return office_scope_of(user).apply(self)

    def for_list(self):
        return self.select_related("requested_by", "version").order_by("-requested_at", "-id")


# Technical errors (the start of ReportJob.error) and what they mean for the person who asked.
ERROR_EXPLANATIONS = [
    (
        "OSError: [Errno 28]",
        "報告書のファイルを保存する場所の空きが足りず、作成できませんでした。"
        "管理者に連絡し、空きができてから再実行してください。",
    ),
    (
        ("OSError", "ConnectionError", "TimeoutError", "OperationalError"),
        "ファイルの保存又はサーバーとの通信が一時的にできず、作成できませんでした。"
        "しばらく待ってから再実行してください。",
    ),
    (
        ("DoesNotExist", "ValidationError", "KeyError", "ValueError"),
        "報告書の元になるデータが見つからないか、変更されていたため作成できませんでした。"
        "条件を選び直して、新しく依頼してください。",
    ),
]
UNEXPECTED_ERROR = (
    "予期しないエラーで作成できませんでした。再実行しても失敗するときは、"
    "受付番号を添えて管理者に連絡してください。"
)


def explain_error(error):
    """ReportJob.error in Japanese for the requester: a message the worker wrote for people
    (it does not start with an exception name) is shown as it is."""
    if not error:
        return ""
    name = error.split(":", 1)[0]
    technical = name.isascii() and name.replace(".", "").isidentifier()
    if not technical:
        return error
    for starts, explanation in ERROR_EXPLANATIONS:
        if error.startswith(starts) or name.rsplit(".", 1)[-1] in (
            starts if isinstance(starts, tuple) else ()
        ):
            return explanation
    return UNEXPECTED_ERROR


class ReportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", "待機中"
        RUNNING = "running", "作成中"
        SUCCEEDED = "succeeded", "完了"
        FAILED = "failed", "失敗"
        CANCELLED = "cancelled", "取消"

    class Stage(models.TextChoices):
        """Where a running job is: the steps of rendering.render_job."""

        BUILDING = "building", "データを集計中"
        TYPESETTING = "typesetting", "PDFを組版中"
        STORING = "storing", "ファイルを保存中"

    kind = models.CharField("種類", max_length=40)
    params = models.JSONField("条件", default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="依頼者",
        on_delete=models.PROTECT,
        related_name="report_jobs",
    )
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name="区役所",
        on_delete=models.PROTECT,
        related_name="report_jobs",
        null=True,
        blank=True,
        help_text="報告書の対象の区役所: 同じ区役所の閲覧権限のある職員だけが見られる。"
        "空欄は全市の報告書（区役所比較）: すべての区役所を見られる職員だけが見られる。",
    )
    requested_at = models.DateTimeField("依頼日時", auto_now_add=True)
    state = models.CharField("状態", max_length=20, choices=State.choices, default=State.QUEUED)
    started_at = models.DateTimeField("開始日時", null=True, blank=True)
    finished_at = models.DateTimeField("終了日時", null=True, blank=True)
    error = models.TextField("エラー", blank=True)
    stage = models.CharField("作成の段階", max_length=20, choices=Stage.choices, blank=True)
    attempts = models.PositiveSmallIntegerField("試行回数", default=0)
    celery_task_id = models.CharField("タスクID", max_length=255, blank=True)
    sent_at = models.DateTimeField(
        "送信日時",
        null=True,
        blank=True,
        help_text="作成の依頼をワーカーへ送った日時（送れなかったときは空のまま）。",
    )

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "報告書の作成依頼"
        verbose_name_plural = "報告書の作成依頼"
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.kind_label} #{self.pk}"

    @property
    def error_explanation(self):
        """The failure in words a member of staff can act on. The error column keeps the
        technical text (exception and message) for whoever reads the worker's log; the page
        shows this, and the technical text only folded away."""
        return explain_error(self.error)

    @property
    def kind_label(self):
        from .kinds import REGISTRY

        kind = REGISTRY.get(self.kind)
        return kind.label if kind else self.kind

    @property
    def is_failed(self):
        return self.state == self.State.FAILED

    @property
    def is_pending(self):
        """Queued or running: the reports page keeps polling such a row."""
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def is_cancellable(self):
        """Only a job still waiting for a worker is cancelled: a running one is nearly done,
        and stopping WeasyPrint half-way would leave nothing to show for it."""
        return self.state == self.State.QUEUED

    @property
    def state_text(self):
        """The state as people read it, with the stage of a running job."""
        if self.state == self.State.RUNNING and self.stage:
            return f"{self.get_state_display()}（{self.get_stage_display()}）"
        return self.get_state_display()


def report_upload_to(instance, filename):
    """A random name under reports/: the file's URL is never guessable from the job."""
    return f"reports/{secrets.token_urlsafe(24)}.pdf"


class ReportVersionQuerySet(OfficeScopedQuerySet):
    office_path = "job__office"


class ReportVersion(models.Model):
    """The file one job produced. Never replaced: a newer render is a new job and version."""

    job = models.OneToOneField(
        ReportJob, verbose_name="作成依頼", on_delete=models.PROTECT, related_name="version"
    )
    file = models.FileField("ファイル", upload_to=report_upload_to, max_length=200)
    title = models.CharField("表題", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("サイズ（バイト）")
    page_count = models.PositiveIntegerField("ページ数")
    snapshot = models.JSONField("作成時の条件とデータ", default=dict)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "報告書の版"
        verbose_name_plural = "報告書の版"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def choice_label(self):
        """How a version is offered in a choice: its title, job number and local time."""
        return f"{self.title}（受付番号 {self.job_id}、{local_datetime(self.created_at)} 作成）"


class ReportJobEventQuerySet(OfficeScopedQuerySet):
    office_path = "job__office"


class ReportJobEvent(models.Model):
    """What happened to a job, in order: asked for, sent, started, retried, re-queued after a
    time-out, succeeded, failed. The job's page lists them; rows are only added."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", "依頼"
        SENT = "sent", "ワーカーへ送信"
        NOT_SENT = "not_sent", "送信できず（再送待ち）"
        STARTED = "started", "作成開始"
        RETRY = "retry", "一時的なエラーで再試行"
        REQUEUED = "requeued", "時間切れで再投入"
        RESENT = "resent", "再送"
        SUCCEEDED = "succeeded", "完了"
        FAILED = "failed", "失敗"
        RETRIED_BY_USER = "retried_by_user", "利用者が再実行"
        CANCELLED = "cancelled", "取消"

    job = models.ForeignKey(
        ReportJob, verbose_name="作成依頼", on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField("日時", auto_now_add=True)
    kind = models.CharField("種別", max_length=20, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.TextField("内容", blank=True)

    objects = ReportJobEventQuerySet.as_manager()

    class Meta:
        verbose_name = "報告書の作成記録"
        verbose_name_plural = "報告書の作成記録"
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.job_id}: {self.get_kind_display()}"


def job_event(job_id, kind, *, by=None, message=""):
    return ReportJobEvent.objects.create(job_id=job_id, kind=kind, by=by, message=message[:4000])
