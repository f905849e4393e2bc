"""The report tasks: `reports.render` (thin: takes a job id, calls rendering.render_job) and
`reports.sweep` (beat, every minute: services.sweep_jobs)."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from takatsu_portal.core.notifications import notify

from .models import ReportJob, ReportJobEvent, job_event
from .services import MAX_ATTEMPTS, RENDER_TASK, job_timeout, sweep_jobs

logger = logging.getLogger(__name__)
Event = ReportJobEvent.Kind
State = ReportJob.State

MAX_RETRIES = 3


@shared_task(
    name=RENDER_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=MAX_RETRIES,
    soft_time_limit=settings.REPORT_JOB_TIMEOUT,
    time_limit=settings.REPORT_JOB_TIMEOUT + 60,
)
def render_report(self, job_id):
    """Render one job. Idempotent (render_job makes one version per job), which is what makes
    acks_late and re-delivery safe. Transient OSErrors are retried with back-off; any other
    error, or the last retry, marks the job failed with its message (the trace goes to the
    log)."""
    from .rendering import render_job  # WeasyPrint: imported by the worker only

    job = ReportJob.objects.filter(pk=job_id).first()
    if job is None or job.state in (State.SUCCEEDED, State.FAILED, State.CANCELLED):
        return
    task_id = self.request.id or ""
    if (
        job.state == State.RUNNING
        and job.celery_task_id != task_id
        and job.started_at
        and timezone.now() - job.started_at < job_timeout()
    ):
        # Another delivery (a re-send by the sweep) is rendering this job right now.
        return
    if job.attempts >= MAX_ATTEMPTS:
        _fail(job_id, f"試行回数の上限（{MAX_ATTEMPTS}回）に達しました。", trace=False)
        return
    started = ReportJob.objects.filter(pk=job_id, state__in=[State.QUEUED, State.RUNNING]).update(
        state=State.RUNNING,
        stage="",
        started_at=timezone.now(),
        attempts=job.attempts + 1,
        celery_task_id=task_id,
    )
    if not started:  # cancelled since it was read above
        return
    job_event(job_id, Event.STARTED, message=f"{job.attempts + 1}回目")
    try:
        version = render_job(job_id)
    except OSError as exc:
        if self.request.retries >= MAX_RETRIES:
            _fail(job_id, _message(exc))
        else:
            logger.warning("report job %s: transient error, retrying: %s", job_id, exc)
            job_event(job_id, Event.RETRY, message=_message(exc))
        raise
    except SoftTimeLimitExceeded:
        _fail(job_id, f"作成が{settings.REPORT_JOB_TIMEOUT // 60}分以内に終わりませんでした。")
        return
    except Exception as exc:  # not transient: retrying would fail the same way
        _fail(job_id, _message(exc))
        return
    updated = ReportJob.objects.filter(pk=job_id).exclude(state=State.SUCCEEDED)
    if updated.update(state=State.SUCCEEDED, finished_at=timezone.now(), error=""):
        job_event(job_id, Event.SUCCEEDED, message=f"{version.page_count}ページ")
        _tell(job_id, "ができました。")


@shared_task(name="reports.sweep")
def sweep_report_jobs():
    return sweep_jobs()


def _message(exc):
    return f"{type(exc).__name__}: {exc}"


def _fail(job_id, message, *, trace=True):
    if trace:
        logger.exception("report job %s failed", job_id)
    else:
        logger.error("report job %s failed: %s", job_id, message)
    ReportJob.objects.filter(pk=job_id).update(
        state=State.FAILED, finished_at=timezone.now(), error=message
    )
    job_event(job_id, Event.FAILED, message=message)
    _tell(job_id, "の作成に失敗しました。報告書のページで理由を確認し、再実行できます。")


def _tell(job_id, text):
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    notify(
        recipient=job.requested_by,
        message=f"報告書「{job.kind_label}」{text}",
        url=reverse("reports:detail", args=[job_id]),
    )
