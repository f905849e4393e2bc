from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from plans.access import plans_for
from takatsu_portal.accounts.permissions import require_perm

from .access import REFUSAL, get_job_for_user, jobs_for
from .forms import AnnualPlanReportForm
from .services import report_request


def _plan_form(request, data=None):
    plans = plans_for(request.user).order_by("-fiscal_year", "id")
    return AnnualPlanReportForm(data, plans=plans)


@require_perm("portal.view_reports", REFUSAL)
def index(request):
    """My requests and every report of my office, with live state while a job runs."""
    jobs = list(jobs_for(request.user)[:100])
    context = {
        "my_jobs": [j for j in jobs if j.requested_by_id == request.user.pk],
        "other_jobs": [j for j in jobs if j.requested_by_id != request.user.pk],
        "form": _plan_form(request),
        "breadcrumbs": [("報告書", None)],
    }
    return TemplateResponse(request, "reports/index.html", context)


@require_perm("portal.view_reports", REFUSAL)
def job_row(request, pk):
    """One row of the list (htmx polls it while the job is queued or running); without htmx,
    the whole page."""
    job = get_job_for_user(request.user, pk)
    if not request.htmx:
        return redirect("reports:index")
    return TemplateResponse(request, "reports/_jobs.html#job_row", {"job": job})


@require_POST
@require_perm("portal.view_reports", REFUSAL)
def request_annual_plan(request):
    form = _plan_form(request, request.POST)
    if not form.is_valid():
        messages.error(request, "計画を選んでください。")
        return redirect("reports:index")
    report_request(
        kind="annual_plan", params={"plan": form.cleaned_data["plan"].pk}, by=request.user
    )
    messages.success(request, "報告書の作成を受け付けました。できあがるとダウンロードできます。")
    return redirect("reports:index")


@require_perm("portal.view_reports", REFUSAL)
def download(request, pk):
    job = get_job_for_user(request.user, pk)
    version = getattr(job, "version", None)
    if version is None:
        raise Http404("まだできていません。")
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=f"{job.kind}-{job.pk}.pdf",
        content_type="application/pdf",
    )
