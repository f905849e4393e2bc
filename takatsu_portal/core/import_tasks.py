"""The tasks of import jobs (core/imports.py): thin, the job's id in, a service called, the
requester told of the end. Apart from tasks.py, which notifications.py imports to send mail.
Registered in every process by CoreConfig.ready (the web process sends them by name).
Not acks_late: a worker that dies leaves the job 内容を確認中 or 書込み中 (the write's
transaction rolled back) until `core.import_sweep` (beat, every minute) fails it with the
reason, and the person retries; never a second write."""

from celery import shared_task


def _import_limits():
    from django.conf import settings

    return {
        "soft_time_limit": settings.IMPORT_JOB_TIMEOUT,
        "time_limit": settings.IMPORT_JOB_TIMEOUT + 60,
    }


@shared_task(name="core.import_check", **_import_limits())
def import_check(job_id):
    """Check every row of an import job's file (nothing written)."""
    from .imports import run_check

    state = run_check(job_id)
    _tell_import(job_id, state)
    return state


@shared_task(name="core.import_write", **_import_limits())
def import_write(job_id):
    """Write a confirmed import job's rows, all in one transaction."""
    from .imports import run_write

    state = run_write(job_id)
    _tell_import(job_id, state)
    return state


@shared_task(name="core.import_sweep")
def import_sweep():
    """Beat, every minute: fail jobs a dead worker left checking or writing (their requester is
    told, and may retry) and send again queued jobs whose message was lost."""
    from .imports import import_sweep as sweep

    failed, resent = sweep()
    for job_id in failed:
        _tell_import(job_id, "failed")
    return {"failed": len(failed), "resent": len(resent)}


def _tell_import(job_id, state):
    """The requester hears of the end of a job (done or failed) on the home page and by mail:
    a long file may be left to the worker while they do something else."""
    from django.urls import reverse

    from .models import ImportJob
    from .notifications import notify

    if state not in (ImportJob.State.DONE, ImportJob.State.FAILED):
        return
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    if state == ImportJob.State.DONE:
        text = "が終わりました。" + job.result.get("message", "")
    else:
        text = "に失敗しました。理由を確認し、再実行できます。"
    notify(
        recipient=job.requested_by,
        message=f"{job.kind_label}（{job.filename}）{text}"[:300],
        url=reverse("imports:detail", args=[job_id]),
    )
