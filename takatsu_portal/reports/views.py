"""The reports page: ask for a report of any kind the user may request, follow its progress,
download the finished version, read why a job failed and run it again."""

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
from takatsu_portal.core.audit import record_event
from takatsu_portal.core.downloads import file_attachment, safe_filename
from takatsu_portal.core.form_cache import crispy_shared
from takatsu_portal.core.shared_cache import scope_part

from . import presentations
from .access import REFUSAL, REQUEST_REFUSAL, get_job_for_user, jobs_for, requestable_kinds
from .kinds import COMMON_FACT_LABELS, REGISTRY, kinds
from .services import may_cancel, may_retry, report_cancel, report_request, report_retry

PER_PAGE = 25
MY_JOBS = 10


def _forms(request, bound=None):
    """One form per kind the user may ask for; `bound` replaces one with its bound copy. A
    blank form comes as its HTML from the shared cache (core/form_cache.py): its choices
    depend on the office scope and the roles only."""
    user = request.user
    parts = (scope_part(user), sorted(roles_of(user)), user.is_superuser)
    forms = []
    for kind in requestable_kinds(user):
        if bound is not None and bound.prefix == kind.key:
            form = bound
        else:
            form = crispy_shared(
                f"report-{kind.key}",
                parts,
                lambda kind=kind: kind.form(user=user, prefix=kind.key),
            )
        forms.append((kind, form))
    return forms


@require_perm("portal.view_reports", REFUSAL)
def index(request, bound=None, status=200):
    user = request.user
    jobs = jobs_for(user)
    kind_filter = request.GET.get("kind", "")
    listed = jobs.filter(kind=kind_filter) if kind_filter in REGISTRY else jobs
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _mark_cancellable(user, list(page.object_list))
    context = {
        "forms": _forms(request, bound),
        "my_jobs": _mark_cancellable(user, list(jobs.filter(requested_by=user)[:MY_JOBS])),
        "page_obj": page,
        "kinds": [kind for kind in kinds() if kind.on_reports_page],
        "kind_filter": kind_filter,
        "presented": presentations.recent(user),
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
