"""Progress reports (進捗報告): the plan's reporting settings, filing a project's PDCA report
for a period, submitting it, the subcommittee's review, and the report's attachments.

Reports are read by the roles that follow progress (plans.view_progress) within their office;
they are filed by the lead of the project's working group or the subcommittee
(plans.file_report on the project) and reviewed by the subcommittee. Attachments are served
only through download_attachment, to those who may read the report.
"""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import (
    check_perm,
    user_may,
)
from takatsu_portal.core import pending_uploads
from takatsu_portal.core.editing import (
    run_step,
    save_or_explain,
)
from takatsu_portal.core.fiscal import today
from takatsu_portal.core.history import history_entries

from ..access import (
    PROGRESS_REPORT_REFUSAL as VIEW_REFUSAL,
)
from ..access import (
    get_attachment_for_user,
    get_plan_for_user,
    get_project_for_user,
    get_report_for_user,
)
from ..models import REPORTING_STAGES, ProgressReport, Stage
from . import services
from .forms import ReportForm, ReportingForm, ReviewForm, SubmitForm

FILE_REFUSAL = (
    "進捗報告を作成・編集できるのは、その事業のワーキンググループのリーダーと推進部会の委員です。"
)
REVIEW_REFUSAL = "進捗報告を確認（受理・修正依頼）できるのは推進部会の委員です。"
SET_REFUSAL = "報告期間を設定できるのは推進部会の委員です。"


# ---------------------------------------------------------------------------------------------
# Access


def _require_filer(user, project):
    check_perm(user, "plans.file_report", project, message=FILE_REFUSAL)


# ---------------------------------------------------------------------------------------------
# Crumbs


def _project_crumbs(project, *tail):
    return [
        ("計画", reverse("plans:index")),
        ("事業", reverse("plans:project_list") + f"?plan={project.plan_id}"),
        (project.code, project.get_absolute_url()),
        *tail,
    ]


def _report_crumbs(report, *tail):
    title = f"{report.period.label}の進捗報告"
    return _project_crumbs(
        report.project, (title, report.get_absolute_url() if tail else None), *tail
    )


# ---------------------------------------------------------------------------------------------
# The plan's reporting settings


def plan_reporting(request, pk):
    """The reporting periods of the plan; the subcommittee sets the frequency and due days."""
    plan = get_plan_for_user(request.user, pk, perm="plans.view_progress", message=VIEW_REFUSAL)
    can_set = user_may(request.user, "plans.set_reporting", plan)
    if request.method == "POST":
        check_perm(request.user, "plans.set_reporting", plan, message=SET_REFUSAL)
    form = ReportingForm(request.POST or None, plan=plan) if can_set else None
    context = {}
    if request.method == "POST" and form.is_valid():
        # plan_set_reporting saves the plan on top of the version it carries.
        plan.version = form.cleaned_data["version"]
        context = save_or_explain(
            request,
            form,
            lambda: services.plan_set_reporting(
                plan=plan,
                by=request.user,
                frequency=form.cleaned_data["reporting_frequency"],
                due_days=form.cleaned_data["report_due_days"],
            ),
        )
        if context is None:
            messages.success(request, "報告期間を設定しました。")
            return redirect("plans:plan_reporting", plan.pk)
        # The service may have set the new values on `plan`: show the saved ones.
        plan = get_plan_for_user(request.user, pk, perm="plans.view_progress")
    periods = list(
        plan.periods.annotate(
            report_count=Count("reports"),
            submitted_count=Count(
                "reports",
                filter=Q(
                    reports__state__in=[
                        ProgressReport.State.SUBMITTED,
                        ProgressReport.State.ACCEPTED,
                    ]
                ),
            ),
        )
    )
    preview = not periods
    if preview:
        periods = services.period_specs(
            plan.fiscal_year, plan.reporting_frequency, plan.report_due_days
        )
    return render(
        request,
        "plans/progress/reporting.html",
        {
            "plan": plan,
            "form": form,
            "periods": periods,
            "preview": preview,
            "project_count": plan.projects.count(),
            "breadcrumbs": [
                ("計画", reverse("plans:index")),
                (plan.fy.label, plan.get_absolute_url()),
                ("報告期間の設定", None),
            ],
            **context,
        },
    )


# ---------------------------------------------------------------------------------------------
# Filing a report


def report_start(request, pk, period_pk):
    """The project's report for the period: open it when it exists, else offer to create it
    (a GET creates nothing)."""
    project = get_project_for_user(
        request.user, pk, perm="plans.view_progress", message=VIEW_REFUSAL
    )
    period = get_object_or_404(project.plan.periods, pk=period_pk)
    report = project.progress_reports.filter(period=period).first()
    if report is not None:
        return redirect(report)
    _require_filer(request.user, project)
    if request.method == "POST":
        step = run_step(
            request,
            None,
            lambda: services.report_start(project=project, period=period, by=request.user),
            success=f"{period.label}の進捗報告を作成しました（下書き）。",
        )
        if step.done:
            return redirect("plans:report_edit", step.result.pk)
        return redirect("plans:report_start", project.pk, period.pk)
    previous = (
        project.progress_reports.filter(period__number__lt=period.number)
        .select_related("period")
        .order_by("-period__number")
        .first()
    )
    return render(
        request,
        "plans/progress/start.html",
        {
            "project": project,
            "period": period,
            "previous": previous,
            "reporting_open": Stage(project.plan.stage) in REPORTING_STAGES,
            "overdue": today() > period.due_on,
            "breadcrumbs": _project_crumbs(project, (f"{period.label}の進捗報告", None)),
        },
    )


def _indicator_rows(report):
    """(indicator, actual or None, achievement % or None) of each indicator of the project:
    two queries."""
    values = {v.indicator_id: v.actual for v in report.values.all()}
    rows = []
    for indicator in report.project.indicators.all():
        actual = values.get(indicator.pk)
        rows.append((indicator, actual, services.achievement(indicator, actual)))
    return rows


def _detail_context(request, report, *, review_form=None):
    user = request.user
    project = report.project
    can_file = user_may(user, "plans.file_report", project)
    can_review = report.state == ProgressReport.State.SUBMITTED and user_may(
        user, "plans.review_report", report
    )
    if can_review and review_form is None:
        review_form = ReviewForm(initial={"version": report.version})
    return {
        "report": report,
        "project": project,
        "period": report.period,
        "overdue": report.submitted_at is None and today() > report.period.due_on,
        "indicator_rows": _indicator_rows(report),
        "attachments": report.attachments.all(),
        "history": history_entries(report, limit=5),
        "can_edit": can_file and report.is_editable,
        "submit_form": SubmitForm(initial={"version": report.version})
        if can_file and report.is_editable
        else None,
        "review_form": review_form if can_review else None,
        "breadcrumbs": _report_crumbs(report),
    }


def report_detail(request, pk):
    report = get_report_for_user(request.user, pk)
    return render(
        request, "plans/progress/progress_report_detail.html", _detail_context(request, report)
    )


def _remove_files(attachments):
    """Files written before the transaction was rolled back have no row: remove them."""
    for attachment in attachments:
        attachment.file.delete(save=False)


def _save_report(request, form, report, *, submitting, carried=()):
    """Save the report, its indicator values and new attachments (and submit it) in one
    transaction. Returns (saved report or None, extra template context). `carried` are the
    files kept from an earlier refused submit (core.pending_uploads)."""
    added = []

    def save():
        try:
            with transaction.atomic():
                services.report_save(
                    report=report,
                    by=request.user,
                    values=form.indicator_values(),
                    expected_version=form.cleaned_data["version"],
                )
                for uploaded in [*carried, *form.cleaned_data["attachments"]]:
                    added.append(
                        services.attachment_add(report=report, by=request.user, uploaded=uploaded)
                    )
                if submitting:
                    services.report_submit(
                        report=report, by=request.user, expected_version=report.version
                    )
        except Exception:
            # Nothing was saved (the transaction is rolled back): no file stays behind.
            _remove_files(added)
            raise

    context = save_or_explain(request, form, save)
    if context is None:
        return report, {}
    if "conflict" in context and (form.cleaned_data["attachments"] or carried):
        messages.warning(
            request, "添付ファイルはまだ保存されていません。保存し直すと添付されます。"
        )
    return None, context


def report_edit(request, pk):
    report = get_report_for_user(request.user, pk)
    _require_filer(request.user, report.project)
    if not report.is_editable:
        messages.error(
            request,
            f"「{report.get_state_display()}」の報告は編集できません"
            "（推進部会が修正を依頼すると、もう一度編集できます）。",
        )
        return redirect(report)
    submitting = request.method == "POST" and "submit" in request.POST
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=report,
        indicators=report.project.indicators.all(),
        values={v.indicator_id: v.actual for v in report.values.all()},
        submitting=submitting,
    )
    context = {}
    pending = pending_uploads.Pending()
    if request.method == "POST":
        # Files kept from an earlier refused submit come back with the form (#10.6).
        pending = pending_uploads.pending_from(request)
    if request.method == "POST" and form.is_valid():
        carried = pending.files()
        saved, context = _save_report(request, form, report, submitting=submitting, carried=carried)
        for handle in carried:
            handle.close()
        if saved is not None:
            pending.discard()
            if submitting:
                messages.success(request, "進捗報告を提出しました。推進部会に通知しました。")
            else:
                messages.success(request, "進捗報告を下書き保存しました。")
            return redirect(saved)
    if request.method == "POST" and "attachments" not in form.errors:
        # Refused for another reason: keep the new files rather than lose them.
        new_files = (form.cleaned_data or {}).get("attachments") or []
        pending = pending_uploads.keep(request, new_files, previous=pending)
    return render(
        request,
        "plans/progress/progress_report_form.html",
        {
            "form": form,
            "report": report,
            "project": report.project,
            "period": report.period,
            "attachments": report.attachments.all(),
            "pending": pending,
            "breadcrumbs": _report_crumbs(report, ("編集", None)),
            **context,
        },
    )


@require_POST
def report_submit(request, pk):
    report = get_report_for_user(request.user, pk)
    _require_filer(request.user, report.project)
    form = SubmitForm(request.POST)
    if not run_step(
        request,
        form,
        lambda data: services.report_submit(
            report=report, by=request.user, expected_version=data["version"]
        ),
        success="進捗報告を提出しました。推進部会に通知しました。",
    ):
        # The submit button has no field to show an error at: the reason goes on the page.
        reasons = form.non_field_errors() or [
            "画面を読み込み直してから、もう一度提出してください。"
        ]
        messages.error(request, " ".join(reasons))
    return redirect(report)


@require_POST
def report_review(request, pk):
    report = get_report_for_user(
        request.user, pk, perm="plans.review_report", message=REVIEW_REFUSAL
    )
    form = ReviewForm(request.POST)

    def review(data):
        accept = data["action"] == ReviewForm.ACCEPT
        service = services.report_accept if accept else services.report_request_changes
        service(
            report=report,
            by=request.user,
            comment=data["comment"],
            expected_version=data["version"],
        )
        if accept:
            return "進捗報告を受理しました。作成者に通知しました。"
        return "修正を依頼しました。作成者に通知しました。"

    if run_step(request, form, review, success=lambda message: message):
        return redirect(report)
    report.refresh_from_db()
    return render(
        request,
        "plans/progress/progress_report_detail.html",
        _detail_context(request, report, review_form=form),
        status=400,
    )


# ---------------------------------------------------------------------------------------------
# Attachments


def attachment_download(request, pk):
    """The file, as a download under its original name (RFC 6266 filename*), never shown
    inline: what a browser would render is not trusted."""
    attachment = get_attachment_for_user(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("ファイルが見つかりません。") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def attachment_delete(request, pk):
    attachment = get_attachment_for_user(request.user, pk)
    report = attachment.report
    _require_filer(request.user, report.project)
    name = attachment.original_name
    if run_step(
        request,
        None,
        lambda: services.attachment_delete(attachment=attachment, by=request.user),
        success=f"添付ファイル「{name}」を削除しました。",
    ):
        return redirect("plans:report_edit", report.pk)
    return redirect(report)


urlpatterns = [
    path("<int:pk>/reporting/", plan_reporting, name="plan_reporting"),
    path(
        "projects/<int:pk>/reports/<int:period_pk>/",
        report_start,
        name="report_start",
    ),
    path("reports/<int:pk>/", report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", report_submit, name="report_submit"),
    path("reports/<int:pk>/review/", report_review, name="report_review"),
    path("attachments/<int:pk>/", attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", attachment_delete, name="attachment_delete"),
]
