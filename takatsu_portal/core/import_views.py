"""The page of an import job (every kind's): its state and progress, polled with htmx inside a
live region that stays on the page; the preview (every bad row) when it is checked, and the
bad rows as a CSV to fix in Excel; 「取り込む」, 「取消」 and 「再実行する」. The list of the
user's import jobs (the subcommittee and administrators: their office's). Included at
/imports/ by takatsu_portal/urls.py."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from . import imports, tabular
from .audit import record_event
from .downloads import csv_download
from .editing import run_step
from .models import ImportJob

app_name = "imports"
POLL_SECONDS = 2
PER_PAGE = 30


def _may_read_rows(user, kind):
    """The rows' cells are shown unless the kind keeps them to a permission the user lacks."""
    if kind is None or kind.rows_permission is None:
        return True
    return imports.user_may(user, kind.rows_permission)


def _context(request, job, *, poll=False):
    """What the page shows; for its `poll`, without the target (a kind's target may cost a
    query) and the breadcrumbs, which the poll's fragment never shows."""
    kind = imports.REGISTRY.get(job.kind)
    user = request.user
    done, of = job.progress_value
    target = kind.target(job) if kind and not poll else ("", "")
    return {
        "job": job,
        "kind": kind,
        "target_label": target[0],
        "target_url": target[1],
        "done_link": kind.done_link(job) if kind and job.state == ImportJob.State.DONE else None,
        "upload_url": kind.upload_url(job) if kind else "",
        "done": done,
        "of": of,
        "percent": round(100 * done / of) if of else 0,
        "phase_label": "書き込んだ行" if job.is_writing_phase else "確認した行",
        "show_rows": _may_read_rows(user, kind),
        "rows_refusal": kind.rows_refusal if kind else "",
        "can_cancel": job.is_cancellable,  # anyone who may see the job
        "can_confirm": job.is_confirmable and imports.may_confirm(user, job),
        "can_retry": job.is_failed and imports.may_confirm(user, job),
        "poll_seconds": POLL_SECONDS,
        "breadcrumbs": [
            ("取込みの履歴", reverse("imports:index")),
            *([(target[0], target[1])] if target[0] else []),
            (f"{job.kind_label}（受付番号 {job.pk}）", None),
        ],
    }


def detail(request, pk):
    """The job's page; with htmx, only its status (and, once the state changed from `was`,
    the actions and the result, swapped out of band)."""
    if request.htmx:
        job = imports.get_import_job_for_user(request.user, pk, poll=True)
        context = _context(request, job, poll=True)
        context["changed"] = request.GET.get("was", "") != job.state
        return TemplateResponse(request, "core/imports/_poll.html", context)
    job = imports.get_import_job_for_user(request.user, pk)
    return TemplateResponse(request, "core/imports/detail.html", _context(request, job))


def index(request):
    """The import jobs the user may see (their own; their office's for the subcommittee and
    administrators), newest first, by state."""
    jobs = imports.jobs_for(request.user).defer("result", "error_detail")
    state = request.GET.get("state", "")
    if state in ImportJob.State.values:
        jobs = jobs.filter(state=state)
    else:
        state = ""
    page = Paginator(jobs, PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "core/imports/index.html",
        {
            "page_obj": page,
            "state": state,
            "states": ImportJob.State.choices,
            "sees_office": imports.may_manage(request.user),
            "breadcrumbs": [("取込みの履歴", None)],
        },
    )


def errors_csv(request, pk):
    """The bad rows of a checked job, with the reasons in a last column (UTF-8 with a BOM:
    Excel opens it as it is)."""
    job = imports.get_import_job_for_user(request.user, pk)
    if not job.bad_rows or not job.result.get("bad"):
        raise Http404("この取込みに取り込めない行はありません。")
    kind = imports.REGISTRY.get(job.kind)
    header, rows = imports.bad_rows_table(job, with_cells=_may_read_rows(request.user, kind))
    content = tabular.csv_bytes(header, rows)
    record_event("export", request=request, what="import_errors", job=job.pk, rows=len(rows))
    return csv_download(
        content,
        encoding="utf-8",
        filename=f"import-{job.pk}-errors.csv",
        filename_ja=f"取込み{job.pk}_取り込めない行.csv",
    )


def _act(request, pk, service, success):
    """A button of the job's page: the service's refusal (a ValidationError) or its success as
    a message, then back to the job's page (`editing.run_step`, with nothing to fill in)."""
    job = imports.get_import_job_for_user(request.user, pk)
    run_step(
        request,
        None,
        lambda: service(job=job, by=request.user),
        success=lambda done: success.format(job=done),
    )
    return redirect("imports:detail", pk=job.pk)


@require_POST
def cancel(request, pk):
    return _act(
        request,
        pk,
        imports.import_cancel,
        "「{job.filename}」の取込み（受付番号 {job.pk}）を取り消しました。何も取り込んでいません。",
    )


@require_POST
def confirm(request, pk):
    return _act(
        request,
        pk,
        imports.import_confirm,
        "「{job.filename}」の取込み（受付番号 {job.pk}）を受け付けました。"
        "ワーカーがすべての行を一度に書き込みます。",
    )


@require_POST
def retry(request, pk):
    return _act(
        request,
        pk,
        imports.import_retry,
        "「{job.filename}」（受付番号 {job.pk}）をもう一度確認します。",
    )


urlpatterns = [
    path("", index, name="index"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/errors.csv", errors_csv, name="errors_csv"),
    path("<int:pk>/cancel/", cancel, name="cancel"),
    path("<int:pk>/confirm/", confirm, name="confirm"),
    path("<int:pk>/retry/", retry, name="retry"),
]
