"""The report task: thin, takes a job id, calls rendering.render_job."""

import logging

from celery import shared_task
from django.utils import timezone

from .models import ReportJob

logger = logging.getLogger(__name__)

MAX_RETRIES = 3


@shared_task(
    name="reports.render",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=MAX_RETRIES,
)
def render_report(self, job_id):
    """Render one job. Idempotent (render_job makes one version per job), which is what makes
    acks_late and re-delivery safe. Transient OSErrors are retried with back-off; any other
    error, or the last retry, marks the job failed with its message (the trace goes to the
    log)."""
    from .rendering import render_job

    job = ReportJob.objects.filter(pk=job_id).first()
    if job is None or job.state == ReportJob.State.SUCCEEDED:
        return
    ReportJob.objects.filter(pk=job_id).update(
        state=ReportJob.State.RUNNING,
        started_at=timezone.now(),
        attempts=job.attempts + 1,
        celery_task_id=self.request.id or "",
    )
    try:
        render_job(job_id)
    except OSError as exc:
        if self.request.retries >= MAX_RETRIES:
            _fail(job_id, exc)
        raise
    except Exception as exc:  # not transient: retrying would fail the same way
        _fail(job_id, exc)
        return
    ReportJob.objects.filter(pk=job_id).update(
        state=ReportJob.State.SUCCEEDED, finished_at=timezone.now(), error=""
    )


def _fail(job_id, exc):
    logger.exception("report job %s failed", job_id)
    ReportJob.objects.filter(pk=job_id).update(
        state=ReportJob.State.FAILED,
        finished_at=timezone.now(),
        error=f"{type(exc).__name__}: {exc}",
    )
