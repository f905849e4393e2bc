"""Report requests: the job row first, the Celery task after the transaction commits."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

from .kinds import get_kind
from .models import ReportJob

logger = logging.getLogger(__name__)


def report_request(*, kind, params, by):
    """Create a queued job for `kind` and enqueue its render on commit. A broker outage leaves
    the job queued (the row is the request), never loses it."""
    report_kind = get_kind(kind)
    job = ReportJob.objects.create(
        kind=report_kind.key,
        params=params,
        requested_by=by,
        office_id=report_kind.office_of(params),
    )
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


# The name the issue uses.
request_report = report_request


def enqueue(job_id):
    from .tasks import render_report

    try:
        result = render_report.delay(job_id)
    except (OperationalError, ConnectionError) as exc:
        logger.warning("report job %s left queued: broker unavailable (%s)", job_id, exc)
        return None
    ReportJob.objects.filter(pk=job_id, celery_task_id="").update(celery_task_id=result.id or "")
    return result
