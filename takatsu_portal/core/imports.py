"""Imports of spreadsheets as background jobs: one mechanism for every app that imports a file.

    upload ─▶ ImportJob (queued, file stored) ─on commit▶ worker: check ─▶ ready
        ready (every bad row listed, nothing written) ─confirm▶ queued ─▶ worker: write ─▶ done

- The upload stores the file under a random name (MEDIA_ROOT/imports/, outside the web root)
  after the cheap checks of `tabular.check_file` (size, emptiness, type confirmed by the
  content) and creates the job row; the check task is sent after the transaction commits.
- The worker's check reads every row and reports every bad one; it writes nothing. It updates
  `rows_checked` as it goes, each UPDATE conditional on the job still being checked, so a
  cancelled job stops at its next update.
- Confirming (only a job whose rows are all good) queues the write. The writer checks every
  row again (the database may have changed since the preview), writes them in one
  transaction with bulk inserts, and counts the rows written in the cache (the transaction's
  own updates are invisible to the page until it commits). Should the check no longer hold,
  the job goes back to 確認済み with the new preview, and nothing is written.
- Who: the requester, and the subcommittee and administrators of the office
  (`portal.manage_imports`), see, cancel and retry a job; confirming also needs the kind's own
  permission (`ImportKind.permission`) and its `authorize` check.

An app registers an `ImportKind` (its check and write functions, labels, limits and links)
in its AppConfig.ready; the floor's pages (`import_views.py`) show every kind's jobs.
"""

import hashlib
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

import rules
from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.fields.json import KT
from django.http import Http404
from django.utils import timezone
from kombu.exceptions import OperationalError

from takatsu_portal.accounts.permissions import (
    check_perm,
    is_administrator,
    is_subcommittee,
    user_may,
)
from takatsu_portal.accounts.scope import office_scope_of

from . import tabular
from .import_kinds import REGISTRY, ImportKind, get_kind, register  # noqa: F401  (re-exported)
from .models import ImportJob
from .uploads import clean_upload_name
from .versioning import ConflictError

logger = logging.getLogger(__name__)
State = ImportJob.State

MANAGE = "portal.manage_imports"
rules.add_perm(MANAGE, is_subcommittee | is_administrator)

VIEW_REFUSAL = (
    "この取込みを見たり取り消したりできるのは、ファイルを取り込んだ人と、"
    "同じ区役所の推進部会の委員・管理者です。"
)
CHECK_TASK = "core.import_check"
WRITE_TASK = "core.import_write"
# Rows shown in the preview's table (every bad row is listed apart, whatever their number).
PREVIEW_ROWS = 200
# Progress is saved at most this often (seconds), and at the end.
PROGRESS_EVERY = 0.5
BATCH_SIZE = 1000

UNEXPECTED_ERROR = (
    "予期しないエラーで取り込めませんでした。「再実行する」を押しても失敗するときは、"
    "受付番号を添えて管理者に連絡してください。"
)
SEND_ERROR = (
    "ワーカーに処理を送れませんでした（サーバーの一時的な不調）。"
    "しばらく待ってから「再実行する」を押してください。"
)
CONCURRENT_ERROR = (
    "書き込む間に、別の取込み又は入力で同じ行が登録・変更されました。何も取り込んでいません。"
    "「再実行する」を押すと、今の内容で確認し直します。"
)


# ---------------------------------------------------------------------------------------------
# What a kind's check and write return


@dataclass
class Checked:
    """The result of a check, kept as the job's preview: counts, the shown rows, every bad
    row with its reasons, and what a kind needs again at writing (`extra`)."""

    rows_total: int
    headers: list
    rows: list  # dicts: number, action, cells, errors (the first PREVIEW_ROWS rows)
    bad: list  # dicts: number, label, errors (every bad row)
    summary: str
    to_write: int
    notes: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def as_result(self, *, warning=""):
        return {
            "headers": self.headers,
            "rows": self.rows[:PREVIEW_ROWS],
            "rows_hidden": max(0, self.rows_total - min(len(self.rows), PREVIEW_ROWS)),
            "bad": self.bad,
            "summary": self.summary,
            "to_write": self.to_write,
            "notes": self.notes,
            "extra": self.extra,
            "warning": warning,
        }


@dataclass
class Written:
    rows_written: int
    message: str


class Recheck(Exception):  # noqa: N818  (a signal, not an error)
    """Raised by a kind's write when the file no longer checks as the person saw it: the job
    goes back to 確認済み with this new preview and nothing is written."""

    def __init__(self, checked, warning):
        self.checked = checked
        self.warning = warning
        super().__init__(warning)


class Cancelled(Exception):  # noqa: N818
    """The job was cancelled while the worker checked it."""


# ---------------------------------------------------------------------------------------------
# Progress


def _written_key(job_id):
    return f"imports:written:{job_id}"


class Progress:
    """The worker's count of rows, saved at most every PROGRESS_EVERY seconds: checked rows on
    the job's row (an UPDATE that also finds out whether the job was cancelled), written rows
    in the cache (the write transaction's UPDATEs would be invisible until it commits)."""

    def __init__(self, job_id, *, every=PROGRESS_EVERY):
        self.job_id = job_id
        self.every = every
        self._last = time.monotonic()

    def _due(self, force):
        now = time.monotonic()
        if force or now - self._last >= self.every:
            self._last = now
            return True
        return False

    def checked(self, count, *, total=None, force=False):
        if not self._due(force):
            return
        fields = {"rows_checked": count}
        if total is not None:
            fields["rows_total"] = total
        updated = ImportJob.objects.filter(pk=self.job_id, state=State.CHECKING).update(**fields)
        if not updated:
            raise Cancelled

    def written(self, count, *, force=False):
        if self._due(force):
            cache.set(_written_key(self.job_id), count, timeout=settings.IMPORT_JOB_TIMEOUT * 2)


class _Silent:
    """Progress that goes nowhere: the writer's second check of the rows."""

    def checked(self, count, *, total=None, force=False):
        pass

    def written(self, count, *, force=False):
        pass


SILENT = _Silent()


def with_live_progress(job):
    """The job with its written rows read from the cache while it writes."""
    if job.state == State.WRITING:
        job.rows_written = cache.get(_written_key(job.pk), job.rows_written)
    return job


# ---------------------------------------------------------------------------------------------
# What the check prepared for the write


def _prepared_name(job):
    return f"{job.file.name}.checked.json"


def keep_prepared(job, payload):
    """Keep what the check made of the rows (JSON, beside the stored file, never in the job's
    row that the page polls), so that the write need not make it again when nothing it
    depends on changed; the kind decides that (a fingerprint of its rules in `payload`)."""
    import json

    storage = job.file.storage
    name = _prepared_name(job)
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(json.dumps(payload, ensure_ascii=False).encode()))


def load_prepared(job):
    """What keep_prepared kept for the job, or None."""
    import json

    storage = job.file.storage
    name = _prepared_name(job)
    if not job.file.name or not storage.exists(name):
        return None
    with storage.open(name, "rb") as handle:
        return json.loads(handle.read())


def _discard_files(job, *, upload=True):
    storage = job.file.storage
    names = [_prepared_name(job)] + ([job.file.name] if upload else [])
    for name in names:
        if job.file.name and storage.exists(name):
            storage.delete(name)


# ---------------------------------------------------------------------------------------------
# Who sees what


def may_manage(user):
    return user_may(user, MANAGE)


def jobs_for(user):
    """The jobs the user may see: their own, or every job of their office for the
    subcommittee and administrators."""
    jobs = office_scope_of(user).apply(ImportJob.objects.for_list())
    if not may_manage(user):
        jobs = jobs.filter(requested_by=user)
    return jobs


def get_import_job_for_user(user, pk, *, poll=False):
    """404 outside the user's office; 403 with the reason for someone else's job. For the
    page's `poll`, without the preview (`result`, up to megabytes): only the number of rows
    to write is read out of it; the preview loads when the page needs it (the state changed)."""
    jobs = ImportJob.objects.for_list()
    if poll:
        jobs = jobs.defer("result").annotate(result_to_write=KT("result__to_write"))
    job = office_scope_of(user).apply(jobs).filter(pk=pk).first()
    if job is None:
        raise Http404("その取込みはありません。")
    if job.requested_by_id != user.pk and not may_manage(user):
        raise PermissionDenied(VIEW_REFUSAL)
    return with_live_progress(job)


def may_confirm(user, job):
    kind = REGISTRY.get(job.kind)
    return kind is not None and user_may(user, kind.permission)


# ---------------------------------------------------------------------------------------------
# Services


def import_request(*, kind, params, upload, by):
    """Store the uploaded file and create a queued job; the check is sent to the worker after
    the transaction commits. Raises tabular.ImportRefused for a file refused at once."""
    import_kind = get_kind(kind)
    check_perm(by, import_kind.permission, message=import_kind.refusal)
    max_bytes, max_rows = import_kind.limits()
    data = upload.read(max_bytes + 1)
    name = clean_upload_name(getattr(upload, "name", "") or "") or "file"
    tabular.check_file(data, name, max_bytes=max_bytes, max_rows=max_rows)
    job = ImportJob(
        kind=import_kind.key,
        params=params,
        office_id=import_kind.office_of(params),
        requested_by=by,
        filename=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    job.file.save(name, ContentFile(data), save=False)
    job.save()
    transaction.on_commit(lambda: enqueue(job.pk, CHECK_TASK))
    return job


def enqueue(job_id, task_name):
    """Send the job's next step to the workers; a broker that cannot be reached fails the job
    with a reason (the person retries), it never leaves it waiting for nothing."""
    try:
        return current_app.tasks[task_name].delay(job_id)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("import job %s: broker unavailable (%s)", job_id, exc)
        _fail(job_id, SEND_ERROR, detail=f"{type(exc).__name__}: {exc}", states=[State.QUEUED])
        return None


def _check_may_see(job, by):
    if job.requested_by_id != by.pk and not may_manage(by):
        raise PermissionDenied(VIEW_REFUSAL)


def _the_job(job):
    """The row of `job` (loaded through the user's scope) for a conditional UPDATE: scoped by
    the job's own office."""
    return ImportJob.objects.for_office(job.office_id).filter(pk=job.pk)


def import_cancel(*, job, by):
    """Cancel a job that has not started writing. A worker that takes it up afterwards (or is
    checking it) finds it cancelled and stops; its file is removed (nothing came of it)."""
    _check_may_see(job, by)
    cancelled = (
        _the_job(job)
        .filter(state__in=[State.QUEUED, State.CHECKING, State.READY])
        .update(state=State.CANCELLED, finished_at=timezone.now())
    )
    if not cancelled:
        raise ValidationError("書込みが始まった取込み、又は終わった取込みは取り消せません。")
    transaction.on_commit(lambda: _discard_files(job))
    job.refresh_from_db()
    return job


def import_confirm(*, job, by):
    """Queue the writing of a checked job whose rows are all good."""
    _check_may_see(job, by)
    kind = get_kind(job.kind)
    check_perm(by, kind.permission, message=kind.refusal)
    if kind.authorize is not None:
        kind.authorize(job, by)
    confirmed = (
        _the_job(job)
        .filter(state=State.READY, bad_rows=0, rows_total__gt=0)
        .update(state=State.QUEUED, confirmed_at=timezone.now(), confirmed_by=by, rows_written=0)
    )
    if not confirmed:
        raise ValidationError(
            "取り込めるのは、確認が終わり、すべての行が正しい取込みだけです。"
            "この取込みの状態を確認してください。"
        )
    transaction.on_commit(lambda: enqueue(job.pk, WRITE_TASK))
    job.refresh_from_db()
    return job


def import_retry(*, job, by):
    """Check a failed job's file again from the start (it is confirmed again afterwards)."""
    _check_may_see(job, by)
    kind = get_kind(job.kind)
    check_perm(by, kind.permission, message=kind.refusal)
    retried = (
        _the_job(job)
        .filter(state=State.FAILED)
        .update(
            state=State.QUEUED,
            confirmed_at=None,
            confirmed_by=None,
            rows_checked=0,
            rows_written=0,
            bad_rows=0,
            result={},
            error="",
            error_detail="",
            started_at=None,
            finished_at=None,
        )
    )
    if not retried:
        raise ValidationError("失敗した取込みだけを再実行できます。")
    transaction.on_commit(lambda: enqueue(job.pk, CHECK_TASK))
    job.refresh_from_db()
    return job


# ---------------------------------------------------------------------------------------------
# The worker's side (called by the tasks in tasks.py)


def _read(job):
    with job.file.open("rb") as handle:
        return handle.read()


def _fail(job_id, message, *, detail="", states=None):
    states = states or [State.QUEUED, State.CHECKING, State.WRITING]
    # The job the caller holds by its id (the worker's, the sweep's, or one a request's commit
    # could not send: enqueue runs inside the office-scope guard then): the base manager.
    failed = ImportJob._base_manager.filter(pk=job_id, state__in=states).update(
        state=State.FAILED, finished_at=timezone.now(), error=message, error_detail=detail[:4000]
    )
    return failed


def run_check(job_id):
    """Check every row of a queued job's file; nothing is written. Returns the new state."""
    started = ImportJob.objects.filter(
        pk=job_id, state=State.QUEUED, confirmed_at__isnull=True
    ).update(
        state=State.CHECKING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        rows_checked=0,
        bad_rows=0,
    )
    if not started:  # cancelled, or taken by another delivery
        return None
    job = ImportJob.objects.get(pk=job_id)
    kind = get_kind(job.kind)
    progress = Progress(job_id)
    try:
        checked = kind.check(job, _read(job), progress)
    except Cancelled:
        return State.CANCELLED
    except tabular.ImportRefused as refusal:
        _fail(job_id, str(refusal))
        return State.FAILED
    except SoftTimeLimitExceeded:
        _fail(job_id, timeout_message())
        return State.FAILED
    except Exception as exc:
        logger.exception("import job %s: the check failed", job_id)
        _fail(job_id, UNEXPECTED_ERROR, detail=f"{type(exc).__name__}: {exc}")
        return State.FAILED
    ready = ImportJob.objects.filter(pk=job_id, state=State.CHECKING).update(
        state=State.READY,
        rows_total=checked.rows_total,
        rows_checked=checked.rows_total,
        bad_rows=len(checked.bad),
        result=checked.as_result(),
    )
    return State.READY if ready else State.CANCELLED


def run_write(job_id):
    """Write a confirmed job: check again, then every row in one transaction, or nothing."""
    started = ImportJob.objects.filter(
        pk=job_id, state=State.QUEUED, confirmed_at__isnull=False
    ).update(state=State.WRITING, started_at=timezone.now(), attempts=F("attempts") + 1)
    if not started:
        return None
    job = ImportJob.objects.select_related("confirmed_by", "requested_by").get(pk=job_id)
    kind = get_kind(job.kind)
    progress = Progress(job_id)
    try:
        data = _read(job)
        with transaction.atomic():
            written = kind.write(job, data, progress)
    except Recheck as recheck:
        ImportJob.objects.filter(pk=job_id, state=State.WRITING).update(
            state=State.READY,
            confirmed_at=None,
            confirmed_by=None,
            rows_total=recheck.checked.rows_total,
            rows_checked=recheck.checked.rows_total,
            bad_rows=len(recheck.checked.bad),
            rows_written=0,
            result=recheck.checked.as_result(warning=recheck.warning),
        )
        return State.READY
    except tabular.ImportRefused as refusal:
        _fail(job_id, str(refusal))
        return State.FAILED
    except (IntegrityError, ConflictError) as exc:
        logger.warning("import job %s: a concurrent change while writing: %s", job_id, exc)
        _fail(job_id, CONCURRENT_ERROR, detail=f"{type(exc).__name__}: {exc}")
        return State.FAILED
    except ValidationError as exc:
        _fail(job_id, " ".join(exc.messages) + "何も取り込んでいません。")
        return State.FAILED
    except PermissionDenied as exc:
        _fail(job_id, str(exc) or "取り込む権限がありません。")
        return State.FAILED
    except SoftTimeLimitExceeded:
        _fail(job_id, timeout_message() + "何も取り込んでいません。")
        return State.FAILED
    except Exception as exc:
        logger.exception("import job %s: the write failed", job_id)
        _fail(job_id, UNEXPECTED_ERROR, detail=f"{type(exc).__name__}: {exc}")
        return State.FAILED
    finally:
        cache.delete(_written_key(job_id))
    _discard_files(job, upload=False)  # the upload stays: what was imported, for the record
    result = {**job.result, "message": written.message}
    ImportJob.objects.filter(pk=job_id, state=State.WRITING).update(
        state=State.DONE,
        rows_written=written.rows_written,
        finished_at=timezone.now(),
        result=result,
    )
    return State.DONE


# A queued job not taken up by a worker after this long is sent again (its message was lost,
# a Redis restart): a second delivery is harmless, the worker's conditional UPDATE takes one.
RESEND_AFTER = timedelta(minutes=1)
STUCK_ERROR = (
    "処理していたワーカーが途中で止まったため、取込みが終わりませんでした（サーバーの再起動など）。"
    "何も取り込んでいません。「再実行する」を押すと、最初から確認し直します。"
)


def import_sweep(*, now=None):
    """Fail the jobs left 内容を確認中 or 書込み中 longer than the task's hard limit
    (IMPORT_JOB_TIMEOUT + 60 s: the worker died; a write's transaction rolled back with it), so
    that the person sees why and retries; send again the queued jobs no worker took up within
    RESEND_AFTER. Returns the ids of the jobs failed and of those sent again."""
    now = now or timezone.now()
    stuck_since = now - timedelta(seconds=settings.IMPORT_JOB_TIMEOUT + 60)
    failed = []
    stuck = ImportJob.objects.filter(
        state__in=[State.CHECKING, State.WRITING], started_at__lt=stuck_since
    )
    for job_id, state in stuck.values_list("pk", "state"):
        if _fail(job_id, STUCK_ERROR, detail=f"stuck in {state} (swept)", states=[state]):
            logger.warning("import job %s: stuck in %s, failed by the sweep", job_id, state)
            failed.append(job_id)
    cutoff = now - RESEND_AFTER
    lost = ImportJob.objects.filter(state=State.QUEUED).filter(
        Q(confirmed_at__isnull=True, created_at__lt=cutoff) | Q(confirmed_at__lt=cutoff)
    )
    resent = []
    for job_id, confirmed_at in lost.values_list("pk", "confirmed_at"):
        if enqueue(job_id, WRITE_TASK if confirmed_at else CHECK_TASK) is None:
            break  # the broker is down: enqueue failed the job with the reason
        resent.append(job_id)
    return failed, resent


def timeout_message():
    return f"取込みが{settings.IMPORT_JOB_TIMEOUT // 60}分以内に終わりませんでした。"


def bad_rows_table(job, *, with_cells=True):
    """The header and rows of the CSV of a checked job's bad rows: the row's number and name,
    its cells as the preview shows them (the first PREVIEW_ROWS rows; left out unless
    `with_cells`, for a kind whose rows only some may read), and a last column with every
    reason it cannot be imported."""
    result = job.result or {}
    headers = list(result.get("headers") or []) if with_cells else []
    cells = {row.get("number"): row.get("cells") or [] for row in result.get("rows") or []}
    header = ["行", "識別", *headers, "取り込めない理由"]
    rows = []
    for bad in result.get("bad") or []:
        number = bad.get("number")
        shown = [str(cell) for cell in cells.get(number, [])] if with_cells else []
        shown = (shown + [""] * len(headers))[: len(headers)]
        values = [str(number), str(bad.get("label") or ""), *shown, "／".join(bad["errors"])]
        rows.append((f"{number}行目", values))
    return header, rows


def recent_jobs(user, *, kind, params=None, limit=10):
    """The latest jobs of a kind (into one target, when `params` is given) the user may see."""
    jobs = jobs_for(user).filter(kind=kind)
    if params is not None:
        jobs = jobs.filter(params=params)
    return list(jobs[:limit])
