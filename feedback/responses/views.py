"""Answers that do not come through the public form: paper sheets typed in by staff, one
screen per sheet, and files exported by an external form service (upload → preview of every
row → confirm). Both go through services.response_submit, like the public form."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode

from takatsu_portal.accounts.permissions import require_perm
from takatsu_portal.core import imports as core_imports
from takatsu_portal.core import tabular
from takatsu_portal.core.editing import save_or_explain
from takatsu_portal.core.fiscal import today

from ..access import get_survey_for_user
from ..analysis.forms import PaperEntryForm, ResponseImportForm
from ..models import Question, Response
from ..surveys.services import survey_windows
from . import imports as response_imports
from . import spreadsheet as imports
from .services import response_submit

PAPER_REFUSAL = "紙の回答は職員が入力できます。"
IMPORT_REFUSAL = "回答を取り込めるのは、推進部会の委員と課長です。"
PAPER_COUNT_KEY = "feedback_paper_count"


def _crumbs(survey, *tail):
    return [
        ("区民の声・アンケート", reverse("feedback:index")),
        ("アンケート", reverse("feedback:survey_list")),
        (survey.title, survey.get_absolute_url()),
        *tail,
    ]


# ---------------------------------------------------------------------------------------------
# Paper sheets


def _count_today(request, survey, *, add=0):
    """Sheets of this survey the user entered today in this session (the response has no
    entry time: its date is the resident's answer date)."""
    stored = request.session.get(PAPER_COUNT_KEY) or {}
    day = today().isoformat()
    if stored.get("day") != day:
        stored = {"day": day, "surveys": {}}
    count = stored["surveys"].get(str(survey.pk), 0) + add
    if add:
        stored["surveys"][str(survey.pk)] = count
        request.session[PAPER_COUNT_KEY] = stored
    return count


def _carried(request):
    """The answer date, language and window of the previous sheet (from the redirect after a
    save): a pile of sheets usually shares them."""
    initial = {}
    for name in ("submitted_on", "language", "window"):
        value = request.GET.get(name)
        if value:
            initial[name] = value
    return initial


def paper_entry(request, pk):
    """One paper sheet per screen. "保存して次の用紙へ" stores it and shows an empty sheet with
    the same date and language, the focus on the first question."""
    survey = get_survey_for_user(
        request.user, pk, perm="feedback.enter_paper", message=PAPER_REFUSAL
    )
    questions = list(survey.questions.order_by("order", "id").prefetch_related("choices"))
    windows = list(survey_windows(survey))
    has_window_question = any(q.kind == Question.Kind.WINDOW for q in questions)
    form = PaperEntryForm(
        request.POST if request.method == "POST" else None,
        survey=survey,
        questions=questions,
        windows=windows,
        sheet_window=not has_window_question,
        initial=_carried(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key = data["submission_key"]
        sent_before = survey.responses.filter(submission_key=key).exists()
        context = save_or_explain(
            request,
            form,
            lambda: response_submit(
                survey=survey,
                answers=form.answers(),
                channel=Response.Channel.PAPER,
                language=data["language"],
                submitted_on=data["submitted_on"],
                submission_key=key,
                window=data.get("window"),
                entered_by=request.user,
            ),
        )
        if context is None:
            if sent_before:
                count = _count_today(request, survey)
                messages.info(
                    request,
                    f"この用紙はすでに保存されています（二重送信のため保存し直していません）。"
                    f"本日入力した用紙：{count}枚。",
                )
            else:
                count = _count_today(request, survey, add=1)
                messages.success(
                    request, f"用紙を保存しました。本日入力した用紙：{count}枚。次の用紙をどうぞ。"
                )
            carry = {
                "submitted_on": data["submitted_on"].isoformat(),
                "language": data["language"],
            }
            if data.get("window"):
                carry["window"] = data["window"]
            return redirect(
                f"{reverse('feedback:paper_entry', args=[survey.pk])}?{urlencode(carry)}"
            )
    form.focus_first()
    return render(
        request,
        "feedback/responses/entry.html",
        {
            "survey": survey,
            "form": form,
            "count_today": _count_today(request, survey),
            "is_open_today": survey.is_open_on(today()),
            "breadcrumbs": _crumbs(survey, ("紙の回答の入力", None)),
        },
    )


# ---------------------------------------------------------------------------------------------
# Import: upload → the worker checks every row (core/imports.py's job page shows the progress
# and the preview) → confirm → the worker stores them all at once


@require_perm("feedback.import_responses", IMPORT_REFUSAL)
def response_import(request, pk):
    """Upload a file: it is stored as an import job and checked by the worker; the job's page
    follows its progress and shows every bad row."""
    survey = get_survey_for_user(
        request.user, pk, perm="feedback.import_responses", message=IMPORT_REFUSAL
    )
    form = ResponseImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = core_imports.import_request(
                kind=response_imports.KIND,
                params={"survey": survey.pk},
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except tabular.ImportRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect("imports:detail", pk=job.pk)
    questions = list(survey.questions.order_by("order", "id").prefetch_related("choices"))
    return render(
        request,
        "feedback/responses/import.html",
        {
            "survey": survey,
            "form": form,
            "questions": questions,
            "windows": list(survey_windows(survey)),
            "satisfaction_help": imports.SATISFACTION_HELP,
            "max_rows": response_imports.settings.RESPONSE_IMPORT_MAX_ROWS,
            "max_mb": response_imports.settings.RESPONSE_IMPORT_MAX_MB,
            "import_jobs": core_imports.recent_jobs(
                request.user, kind=response_imports.KIND, params={"survey": survey.pk}
            ),
            "breadcrumbs": _crumbs(survey, ("回答の取込み", None)),
        },
    )


urlpatterns = [
    path("surveys/<int:pk>/paper/", paper_entry, name="paper_entry"),
    path("surveys/<int:pk>/import/", response_import, name="response_import"),
]
