"""The reports page: ask for a report of any kind the user may request, follow its progress,
download the finished version, read why a job failed and run it again."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import check_perm, require_perm, writes_nothing_of_a_ward
from takatsu_portal.accounts.roles import roles_of
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core import generations
from takatsu_portal.core.attention import scope_generation_keys
from takatsu_portal.core.audit import record_event
from takatsu_portal.core.downloads import file_attachment, safe_filename
from takatsu_portal.core.fiscal import today
from takatsu_portal.core.form_cache import crispy_shared_many
from takatsu_portal.core.shared_cache import fill_csrf, render_kept, scope_part

from . import presentations
from .access import REFUSAL, REQUEST_REFUSAL, get_job_for_user, jobs_for, requestable_kinds
from .kinds import COMMON_FACT_LABELS, REGISTRY, kinds
from .models import ReportJobEvent
from .services import may_cancel, may_retry, report_cancel, report_request, report_retry

PER_PAGE = 25
MY_JOBS = 10


def _forms(request, bound=None):
    """One form per kind the user may ask for; `bound` replaces one with its bound copy. A
    blank form comes as its HTML from the shared cache (core/form_cache.py): its choices
    depend on the office scope and the roles only."""
    user = request.user
    parts = (scope_part(user), sorted(roles_of(user)), user.is_superuser)
    kinds = requestable_kinds(user)
    blank = [kind for kind in kinds if bound is None or bound.prefix != kind.key]
    htmls = dict(
        zip(
            (kind.key for kind in blank),
            crispy_shared_many(
                (
                    f"report-{kind.key}",
                    parts,
                    lambda kind=kind: kind.form(user=user, prefix=kind.key),
                )
                for kind in blank
            ),
            strict=True,
        )
    )
    return [(kind, htmls.get(kind.key, bound)) for kind in kinds]


def _job_tables(request):
    """The user's own jobs, the meetings' reports and the page of every job the user may read,
    as HTML. Kept in the cache (per user and query string) while none of its jobs is queued or
    running: every change of a job's state writes a ReportJobEvent, so the newest event's id
    among the jobs of the user's scope (one query) is part of the key; names, meetings and
    decisions move the office's data generation (core/attention.py). A pending job's row
    changes without an event (its stage) and polls, so a table that shows one is rendered
    afresh. Cancel forms (queued jobs only) get this request's CSRF token."""
    user = request.user
    scope = office_scope_of(user)
    events = scope.apply(ReportJobEvent.objects.all())  # of the jobs in the user's scope
    # The newest by a backward walk of the events' primary key, stopping at the first of the
    # scope's jobs: an index step or a few. (MAX() over the join reads every event of the
    # office: 23 ms at 200,000 events against 0.05 ms this way.)
    newest_event = events.order_by("-id").values_list("id", flat=True).first()
    query = hashlib.sha256(request.GET.urlencode().encode()).hexdigest()[:32]
    key = f"reports:tables:{user.pk}:{int(user.is_superuser)}:{newest_event}:{query}"
    seconds = settings.SHARED_CACHE_SECONDS
    stamp, html = generations.lookup(
        key, scope_generation_keys(scope), extra=(today().isoformat(), sorted(roles_of(user)))
    )
    if html is generations.MISSING or not seconds:
        jobs = jobs_for(user)
        kind_filter = request.GET.get("kind", "")
        listed = jobs.filter(kind=kind_filter) if kind_filter in REGISTRY else jobs
        page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
        page.object_list = _mark_cancellable(user, list(page.object_list))
        my_jobs = _mark_cancellable(user, list(jobs.filter(requested_by=user)[:MY_JOBS]))
        html = render_kept(
            "reports/_index_tables.html",
            {
                "my_jobs": my_jobs,
                "page_obj": page,
                "pagination_query": request.GET.copy(),
                "kinds": [kind for kind in kinds() if kind.on_reports_page],
                "kind_filter": kind_filter,
                "presented": presentations.recent(user),
            },
        )
        if seconds and not any(job.is_pending for job in [*page.object_list, *my_jobs]):
            generations.store(key, stamp, html, seconds)
    return fill_csrf(html, request)


@require_perm("portal.view_reports", REFUSAL)
def index(request, bound=None, status=200):
    context = {
        "forms": _forms(request, bound),
        "job_tables": _job_tables(request),
        "breadcrumbs": [("報告書", None)],
    }
    return TemplateResponse(request, "reports/index.html", context, status=status)


@writes_nothing_of_a_ward
@require_POST
@require_perm("portal.view_reports", REFUSAL)
def request_kind(request, kind):
    report_kind = REGISTRY.get(kind)
    if report_kind is None:
        raise Http404("その種類の報告書はありません。")
    check_perm(request.user, report_kind.request_permission, message=REQUEST_REFUSAL)
    form = report_kind.form(request.POST, user=request.user, prefix=report_kind.key)
    if not form.is_valid():
        messages.error(request, f"「{report_kind.label}」の条件を確認してください。")
        return index(request, bound=form, status=400)
    job = report_request(kind=report_kind.key, params=form.params(), by=request.user)
    messages.success(
        request,
        f"「{report_kind.label}」の作成を受け付けました（受付番号 {job.pk}）。"
        "できあがるとこのページからダウンロードできます。",
    )
    return redirect("reports:index")


TABLES = ("mine", "all")


def _mark_cancellable(user, jobs):
    """Set `can_cancel` on each job of a list: a queued job the user may take back."""
    for job in jobs:
        job.can_cancel = job.is_cancellable and may_cancel(user, job)
    return jobs


@require_perm("portal.view_reports", REFUSAL)
def job_row(request, pk):
    """One row of the list (htmx polls it while the job is queued or running); without htmx,
    the job's page. `was` is the state the page showed: when it changed, the row carries the
    news for the page's live region, which screen readers announce once."""
    job = get_job_for_user(request.user, pk)
    if not request.htmx:
        return redirect("reports:detail", pk=job.pk)
    table = request.GET.get("table")
    was = request.GET.get("was", "")
    _mark_cancellable(request.user, [job])
    context = {
        "job": job,
        "table": table if table in TABLES else "all",
        "announce": was != job.state,
    }
    return TemplateResponse(request, "reports/_jobs.html#job_row", context)


@writes_nothing_of_a_ward
@require_POST
@require_perm("portal.view_reports", REFUSAL)
def cancel(request, pk):
    job = get_job_for_user(request.user, pk)
    try:
        report_cancel(job=job, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"「{job.kind_label}」（受付番号 {job.pk}）の依頼を取り消しました。"
        )
    if request.POST.get("next") == "index":
        return redirect("reports:index")
    return redirect("reports:detail", pk=job.pk)


@require_perm("portal.view_reports", REFUSAL)
def detail(request, pk):
    """A job: its state, what it was made from, every step it went through, the meetings it
    was presented at, and a retry button when it failed."""
    job = get_job_for_user(request.user, pk)
    version = getattr(job, "version", None)
    prefetch_related_objects([job], "events__by")
    return TemplateResponse(
        request,
        "reports/detail.html",
        {
            "job": job,
            "version": version,
            "facts": _facts(job, version),
            "presentations": presentations.of_version(version) if version else [],
            "can_retry": job.is_failed and may_retry(request.user, job),
            "can_cancel": job.is_cancellable and may_cancel(request.user, job),
            "breadcrumbs": [
                ("報告書", reverse("reports:index")),
                (f"{job.kind_label} #{job.pk}", None),
            ],
        },
    )


def _facts(job, version):
    """The version's facts as (label, value) rows, labelled by the kind that made them."""
    if version is None:
        return []
    kind = REGISTRY.get(job.kind)
    labels = {**COMMON_FACT_LABELS, **(kind.fact_labels if kind else {})}
    facts = version.snapshot.get("facts", {})
    return [(labels.get(key, key), value) for key, value in facts.items()]


@writes_nothing_of_a_ward
@require_POST
@require_perm("portal.view_reports", REFUSAL)
def retry(request, pk):
    job = get_job_for_user(request.user, pk)
    try:
        report_retry(job=job, by=request.user)
    except PermissionDenied:
        raise
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"「{job.kind_label}」（受付番号 {job.pk}）を再実行します。")
    return redirect("reports:detail", pk=job.pk)


@require_perm("portal.view_reports", REFUSAL)
def download(request, pk):
    job = get_job_for_user(request.user, pk)
    version = getattr(job, "version", None)
    if version is None:
        raise Http404("この報告書はまだできていません。")
    # Who took which PDF, as for every export (the satisfaction report holds residents'
    # answers, if only counted).
    record_event(
        "export", request=request, what="report", job=job.pk, kind=job.kind, sha256=version.sha256
    )
    return file_attachment(
        version.file.open("rb"),
        content_type="application/pdf",
        filename=f"{job.kind}-{job.pk}.pdf",
        filename_ja=f"{safe_filename(version.title)}_受付番号{job.pk}.pdf",
    )
