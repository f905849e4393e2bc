"""Report requests: the job row first, the Celery task after the transaction commits; a retry
of a failed job; and the sweep that re-sends jobs the broker never got and re-queues jobs
stuck in "running" (a worker that died or hung)."""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from takatsu_portal.accounts.permissions import user_may

from .kinds import get_kind
from .models import ReportJob, ReportJobEvent, job_event

logger = logging.getLogger(__name__)
Event = ReportJobEvent.Kind
State = ReportJob.State

# A job sent this recently may still be on its way; the sweep leaves it alone.
SEND_GRACE = timedelta(seconds=10)


def report_request(*, kind, params, by):
    """Create a queued job for `kind` and enqueue its render on commit. A broker outage leaves
    the job queued (the row is the request), never loses it: the sweep sends it later."""
    report_kind = get_kind(kind)
    if not user_may(by, report_kind.request_permission):
        raise PermissionDenied("この報告書の作成を依頼する権限がありません。")
    job = ReportJob.objects.create(
        kind=report_kind.key,
        params=params,
        requested_by=by,
        office_id=report_kind.office_of(params),
    )
    job_event(job.pk, Event.REQUESTED, by=by)
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


# The name the issue uses.
request_report = report_request


# Starts of one job, whatever started it (first delivery, retries, re-deliveries after a
# worker died, re-queues by the sweep). Past it the job fails instead of looping.
MAX_ATTEMPTS = 6
RENDER_TASK = "reports.render"


def _render_task():
    """The render task, looked up by its name in the Celery app (tasks.py imports this module,
    so this module does not import tasks.py)."""
    return current_app.tasks[RENDER_TASK]


def enqueue(job_id, *, event=Event.SENT):
    """Send job `job_id` to the workers. Returns the AsyncResult, or None when the broker is
    unreachable (the job stays queued with no sent_at, and the sweep sends it later)."""
    try:
        result = _render_task().delay(job_id)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("report job %s left queued: broker unavailable (%s)", job_id, exc)
        if event == Event.SENT:
            job_event(job_id, Event.NOT_SENT, message=str(exc))
        return None
    # The job the caller holds (just asked for, retried or swept): by its id through the base
    # manager, also when a request's commit sends it inside the office-scope guard.
    ReportJob._base_manager.filter(pk=job_id, state=State.QUEUED).update(
        celery_task_id=result.id or "", sent_at=timezone.now()
    )
    job_event(job_id, event)
    return result


def may_retry(user, job):
    """The requester, or anyone who may ask for this kind, may run a failed job again."""
    if job.requested_by_id == user.pk:
        return True
    return user_may(user, get_kind(job.kind).request_permission)


def may_cancel(user, job):
    """The requester, or anyone who may ask for this kind (the subcommittee), may cancel a
    queued job."""
    return may_retry(user, job)


@transaction.atomic
def report_cancel(*, job, by):
    """Take a queued job off the queue. A worker that receives its message later finds it
    cancelled and does nothing (tasks.render_report)."""
    if not may_cancel(by, job):
        raise PermissionDenied("この依頼を取り消せるのは依頼者と推進部会委員です。")
    job = ReportJob._base_manager.select_for_update().get(pk=job.pk)
    if not job.is_cancellable:
        raise ValueError("待機中の依頼だけを取り消せます（作成が始まった依頼は取り消せません）。")
    job.state = State.CANCELLED
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "finished_at"])
    job_event(job.pk, Event.CANCELLED, by=by)
    return job


@transaction.atomic
def report_retry(*, job, by):
    """Put a failed job back in the queue (the same job: its version, when made, is the first
    and only one)."""
    if not may_retry(by, job):
        raise PermissionDenied("この報告書を再実行できるのは依頼者と推進部会委員です。")
    job = ReportJob._base_manager.select_for_update().get(pk=job.pk)
    if job.state != State.FAILED:
        raise ValueError("失敗した報告書だけを再実行できます。")
    job.state = State.QUEUED
    job.error = ""
    job.attempts = 0
    job.started_at = job.finished_at = job.sent_at = None
    job.celery_task_id = ""
    job.save()
    job_event(job.pk, Event.RETRIED_BY_USER, by=by)
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def job_timeout():
    """Seconds after which a running job is taken for lost (its worker died or hung)."""
    return timedelta(seconds=settings.REPORT_JOB_TIMEOUT)


def sweep_jobs(*, now=None):
    """Re-queue jobs stuck in "running" past REPORT_JOB_TIMEOUT (failing those that used up
    their attempts), send queued jobs the broker never got, and re-send queued jobs sent
    longer than REPORT_RESEND_AFTER ago (a message lost with a Redis restart). Safe to run
    often: the task is idempotent, so a duplicate delivery makes no second version."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0, "sent": 0, "resent": 0}
    requeued = []
    stuck = ReportJob.objects.filter(state=State.RUNNING, started_at__lt=now - job_timeout())
    for job in stuck:
        with transaction.atomic():
            locked = ReportJob.objects.select_for_update(skip_locked=True).filter(pk=job.pk)
            job = locked.filter(state=State.RUNNING).first()
            if job is None:
                continue
            minutes = settings.REPORT_JOB_TIMEOUT // 60
            if job.attempts >= MAX_ATTEMPTS:
                message = (
                    f"作成が{minutes}分以内に終わらないまま、試行回数の上限（{MAX_ATTEMPTS}回）に"
                    "達しました。"
                )
                locked.update(state=State.FAILED, finished_at=now, error=message)
                job_event(job.pk, Event.FAILED, message=message)
                counts["failed"] += 1
                continue
            locked.update(state=State.QUEUED, celery_task_id="", sent_at=None)
            job_event(
                job.pk,
                Event.REQUEUED,
                message=f"{minutes}分を過ぎても作成中のままでした（ワーカーの停止など）。",
            )
            counts["requeued"] += 1
            requeued.append(job.pk)
    # Never sent (the broker was down when they were asked for, or they were just re-queued).
    unsent = ReportJob.objects.filter(state=State.QUEUED, sent_at__isnull=True).filter(
        Q(requested_at__lt=now - SEND_GRACE) | Q(pk__in=requeued)
    )
    for job_id in unsent.values_list("pk", flat=True):
        if enqueue(job_id, event=Event.RESENT) is None:
            break  # the broker is still down: the next sweep tries again
        counts["sent"] += 1
    lost = ReportJob.objects.filter(
        state=State.QUEUED, sent_at__lt=now - timedelta(seconds=settings.REPORT_RESEND_AFTER)
    )
    for job_id in lost.values_list("pk", flat=True):
        if enqueue(job_id, event=Event.RESENT) is None:
            break
        counts["resent"] += 1
    if any(counts.values()):
        logger.info("report sweep: %s", counts)
    return counts
