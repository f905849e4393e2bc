"""After the session: attendance on one screen, the sign-in sheet, evaluations and their
results, certificates and the page their QR code opens."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import check_perm, require_perm
from takatsu_portal.core.downloads import file_attachment, safe_filename
from takatsu_portal.core.editing import run_step
from takatsu_portal.reports.models import ReportJob
from takatsu_portal.reports.services import report_request

from .. import completion
from ..access import (
    ORGANISE_REFUSAL,
    VIEW_REFUSAL,
    enrolments_for,
    get_course_for_user,
    get_enrolment_for_user,
    get_session_for_user,
)
from ..forms import AttendanceForm, EvaluationForm
from ..models import Enrolment, Evaluation
from ..report_kinds import CERTIFICATE, SIGNIN_SHEET
from ..results import comments, summarise
from .common import crumbs

Attendance = Enrolment.Attendance
RESULTS_REFUSAL = "研修評価の回答を閲覧できるのは研修担当です。"


def _session_crumbs(session, *tail):
    return crumbs(
        (session.course.title, session.course.get_absolute_url()),
        (f"{session.day:%Y/%m/%d}の回", session.get_absolute_url()),
        *tail,
    )


@require_perm("training.organise", ORGANISE_REFUSAL)
def attendance(request, pk):
    """Every confirmed participant with four radio buttons (出席・遅刻・早退・欠席): arrow keys
    move within a row, Tab to the next person. 「全員を出席にする」 fills the rows left empty."""
    session = get_session_for_user(
        request.user, pk, perm="training.manage_session", message=ORGANISE_REFUSAL
    )
    rows = list(
        session.enrolments.filter(state=Enrolment.State.CONFIRMED)
        .select_related("user", "user__section")
        .annotate(evaluated=Count("evaluation"))
        .order_by("user__full_name_kana", "id")
    )
    form = AttendanceForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and run_step(
        request,
        form,
        lambda data: completion.attendance_record(
            session=session, marks=form.marks(), by=request.user
        ),
        success=lambda changed: f"出欠を保存しました（{changed}名分を更新）。",
    ):
        return redirect("training:attendance", pk=session.pk)
    errors = []
    if form.is_bound:  # refused: the reasons, and the page shows what was chosen
        errors = form.messages()
        form.keep_input()
    return render(
        request,
        "training/sessions/attendance.html",
        {
            "breadcrumbs": _session_crumbs(session, ("出欠の入力", None)),
            "session": session,
            "rows": rows,
            "choices": Attendance.choices,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@require_perm("training.view", VIEW_REFUSAL)
def evaluate(request, pk):
    enrolment = get_enrolment_for_user(
        request.user,
        pk,
        perm="training.evaluate",
        message="研修評価は受講した本人だけが回答できます。",
    )
    session = enrolment.session
    existing = (
        Evaluation.objects.for_office(session.course.office_id).filter(enrolment=enrolment).first()
    )
    if existing is not None:
        return render(
            request,
            "training/evaluate.html",
            {
                "breadcrumbs": _session_crumbs(session, ("研修評価", None)),
                "enrolment": enrolment,
                "evaluation": existing,
            },
        )
    if not completion.may_evaluate(enrolment):
        messages.error(
            request, "研修評価は、受講が確定した研修の開始後に回答できます（欠席の場合を除く）。"
        )
        return redirect(session)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and run_step(
        request,
        form,
        lambda data: completion.evaluation_submit(enrolment=enrolment, by=request.user, **data),
        success="研修評価を提出しました。ご協力ありがとうございました。",
    ):
        return redirect(session)
    return render(
        request,
        "training/evaluate.html",
        {
            "breadcrumbs": _session_crumbs(session, ("研修評価", None)),
            "enrolment": enrolment,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@require_perm("training.view_evaluations", RESULTS_REFUSAL)
def session_results(request, pk):
    session = get_session_for_user(
        request.user, pk, perm="training.view_evaluations", message=RESULTS_REFUSAL
    )
    evaluations = Evaluation.objects.filter(enrolment__in=session.enrolments.all())
    return render(
        request,
        "training/results.html",
        {
            "breadcrumbs": _session_crumbs(session, ("研修評価の結果", None)),
            "heading": f"{session.course.title}（{session.day:%Y年%m月%d日}）の研修評価",
            "summary": summarise(evaluations, title=f"{session.day:%m/%d}の回"),
            "comments": comments(evaluations),
            "participants": session.enrolments.filter(state=Enrolment.State.CONFIRMED).count(),
        },
    )


@require_perm("training.view_evaluations", RESULTS_REFUSAL)
def course_results(request, pk):
    course = get_course_for_user(
        request.user, pk, perm="training.view_evaluations", message=RESULTS_REFUSAL
    )
    evaluations = Evaluation.objects.filter(enrolment__session__in=course.sessions.all())
    per_session = (
        course.sessions.filter(is_cancelled=False)
        .annotate(
            answers=Count("enrolments__evaluation"),
            participants=Count(
                "enrolments", filter=Q(enrolments__state=Enrolment.State.CONFIRMED), distinct=True
            ),
        )
        .order_by("starts_at")
    )
    return render(
        request,
        "training/results.html",
        {
            "breadcrumbs": crumbs(
                (course.title, course.get_absolute_url()), ("研修評価の結果", None)
            ),
            "heading": f"{course.title}の研修評価（全回）",
            "summary": summarise(evaluations, title=course.title),
            "comments": comments(evaluations),
            "per_session": per_session,
        },
    )


# ---------------------------------------------------------------------------------------------
# PDFs through the reports mechanism (rendered by the Celery worker)


def _job_for_user(user, pk):
    """A training PDF job (certificate or sign-in sheet) the user may read: a certificate of
    their own completion (organisers: any), a sign-in sheet of a session they manage."""
    job = get_object_or_404(
        ReportJob.objects.for_user(user).select_related("version"),
        pk=pk,
        kind__in=[CERTIFICATE, SIGNIN_SHEET],
    )
    if job.kind == CERTIFICATE:
        enrolment = (
            enrolments_for(user)
            .filter(pk=job.params.get("enrolment"))
            .select_related("user")
            .first()
        )
        if enrolment is None:
            raise Http404
        check_perm(
            user,
            "training.certificate",
            enrolment,
            message="この修了証は本人と研修担当だけが受け取れます。",
        )
    else:
        session = get_session_for_user(
            user,
            job.params.get("session"),
            perm="training.manage_session",
            message=ORGANISE_REFUSAL,
        )
        del session
    return job


def _request_pdf(request, kind, params):
    existing = (
        ReportJob.objects.for_user(request.user)
        .filter(kind=kind, params=params)
        .exclude(state__in=[ReportJob.State.FAILED, ReportJob.State.CANCELLED])
        .order_by("-requested_at")
        .first()
    )
    if existing is not None and kind == CERTIFICATE:
        return existing
    return report_request(kind=kind, params=params, by=request.user)


@require_POST
@require_perm("training.view", VIEW_REFUSAL)
def certificate(request, pk):
    enrolment = get_enrolment_for_user(
        request.user,
        pk,
        perm="training.certificate",
        message="この修了証は本人と研修担当だけが作成できます。",
    )
    if enrolment.completed_on is None:
        messages.error(request, "修了していない研修の修了証は作成できません。")
        return redirect(enrolment.session)
    job = _request_pdf(request, CERTIFICATE, {"enrolment": enrolment.pk})
    return redirect("training:job", pk=job.pk)


@require_perm("training.organise", ORGANISE_REFUSAL)
def signin_sheet(request, pk):
    session = get_session_for_user(
        request.user, pk, perm="training.manage_session", message=ORGANISE_REFUSAL
    )
    if request.method == "POST":
        job = _request_pdf(request, SIGNIN_SHEET, {"session": session.pk})
        return redirect("training:job", pk=job.pk)
    return render(
        request,
        "training/sessions/signin.html",
        {"breadcrumbs": _session_crumbs(session, ("出席簿（PDF）", None)), "session": session},
    )


@require_perm("training.view", VIEW_REFUSAL)
def job(request, pk):
    job = _job_for_user(request.user, pk)
    return render(
        request,
        "training/job.html",
        {
            "breadcrumbs": crumbs(("PDFの作成", None)),
            "job": job,
            "version": getattr(job, "version", None),
        },
    )


@require_perm("training.view", VIEW_REFUSAL)
def job_download(request, pk):
    job = _job_for_user(request.user, pk)
    version = getattr(job, "version", None)
    if version is None:
        raise Http404("このPDFはまだできていません。")
    name = "certificate" if job.kind == CERTIFICATE else "signin-sheet"
    return file_attachment(
        version.file.open("rb"),
        content_type="application/pdf",
        filename=f"{name}-{job.pk}.pdf",
        filename_ja=f"{safe_filename(version.title)}.pdf",
    )


@require_perm("training.view", VIEW_REFUSAL)
def certificate_verify(request, code):
    """The page the certificate's QR code opens: who completed what, when (intranet only,
    signed-in staff). An unknown or not-completed code says so plainly."""
    enrolment = (
        enrolments_for(request.user)
        .filter(certificate_code=code, completed_on__isnull=False)
        .select_related(
            "user", "user__section", "session", "session__course", "session__course__office"
        )
        .first()
    )
    return render(
        request,
        "training/certificate_verify.html",
        {"breadcrumbs": crumbs(("修了証の確認", None)), "enrolment": enrolment, "code": code},
        status=200 if enrolment else 404,
    )
