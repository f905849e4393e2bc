"""Resident voices (区民の声): the register with filters and masked exports, recording (also
from a survey's free-text answer), the detail page with each step of the state machine, edit
with conflict handling, history, and monthly statistics.

Personal data (name, contact) is shown only to those who may see it on this voice (its
section and the subcommittee). Lists and exports never carry it: the list does not even load
it, and the exports say only that there is some.
"""

import copy

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    F,
    IntegerField,
    Min,
    Q,
    Value,
    When,
)
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import get_object_for_user, require_perm, user_may
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core import charts
from takatsu_portal.core.audit import record_event
from takatsu_portal.core.downloads import csv_download, xlsx_download
from takatsu_portal.core.editing import create_or_explain, run_step, save_or_explain
from takatsu_portal.core.export_views import Link, csv_encoding, unencodable_response
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.history import history_entries, render_history
from takatsu_portal.core.shared_cache import render_shared, scope_part
from takatsu_portal.core.tabular import (
    UnencodableError,
    csv_bytes,
    workbook_bytes,
    write_sheet,
)

from ..access import get_voice_for_user, surveys_for, voices_for
from ..models import Answer, Question, ResidentVoice
from ..navigation import feedback_crumb
from . import services as services
from .forms import (
    AnswerForm,
    AssignForm,
    CloseForm,
    ProjectsForm,
    ReopenForm,
    StatisticsForm,
    VoiceFilter,
    VoiceForm,
)
from .statistics import voice_statistics_data

State = ResidentVoice.State
OPEN_STATES = [State.RECEIVED, State.ASSIGNED]
PER_PAGE = 30
MASKED = "（個人情報あり・非表示）"

VIEW_REFUSAL = "区民の声は職員が閲覧できます。"
EXPORT_REFUSAL = "区民の声を出力できるのは推進部会の委員と課長です。"
STATISTICS_REFUSAL = (
    "区民の声の統計を閲覧できるのは、推進部会の委員・課長・区企画調整会議の委員です。"
)


def _list_crumb():
    return ("区民の声", reverse("feedback:voice_list"))


def _voice_crumbs(voice, *tail):
    return [
        feedback_crumb(),
        _list_crumb(),
        (f"No.{voice.pk} {voice.summary}", voice.get_absolute_url() if tail else None),
        *tail,
    ]


# ---------------------------------------------------------------------------------------------
# List and exports


def register_queryset(user):
    """Voices of the user's office as the list and the exports show them: without loading the
    personal data at all, with whether there is some (`has_contact`) and whether the answer
    is overdue (`is_overdue`)."""
    day = today()
    return (
        voices_for(user)
        .select_related("section", "window", "assignee")
        .defer("contact_name", "contact_info")
        .annotate(
            has_contact=Case(
                When(Q(contact_name="") & Q(contact_info=""), then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            ),
            is_overdue=Case(
                When(Q(state__in=OPEN_STATES, due_on__lt=day), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            open_rank=Case(
                When(state__in=OPEN_STATES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
    )


def _ordered(queryset, sort):
    if sort == "received":
        return queryset.order_by("-received_on", "-pk")
    return queryset.order_by(
        "-is_overdue", "open_rank", F("due_on").asc(nulls_last=True), "-received_on", "-pk"
    )


def _filtered(request):
    filterset = VoiceFilter(request.GET, queryset=register_queryset(request.user), request=request)
    if not filterset.is_valid():
        return filterset, filterset.queryset.none()
    return filterset, _ordered(filterset.qs, filterset.chosen_sort)


@require_perm("feedback.view_voices", VIEW_REFUSAL)
def voice_list(request):
    user = request.user
    query = request.GET.copy()
    query.pop("page", None)
    # The filter's fields and the page of results are the same for everyone of the office
    # with the same query (「自分が担当のものだけ」 reads the user): their HTML comes from the
    # shared cache until a voice is saved (save_versioned moves the data generation) or the
    # day changes.
    parts = [scope_part(user), sorted(request.GET.lists())]
    if request.GET.get("mine"):
        parts.append(user.pk)
    filterset = None

    def filtered():
        nonlocal filterset
        if filterset is None:
            filterset = _filtered(request)
        return filterset

    def filter_context():
        return {"filter": filtered()[0]}

    def results_context():
        _, voices = filtered()
        return {"page_obj": Paginator(voices, PER_PAGE).get_page(request.GET.get("page"))}

    return render(
        request,
        "feedback/voices/list.html",
        {
            "filter_fields": render_shared(
                "voice-filter",
                parts,
                "feedback/voices/_filter_fields.html",
                filter_context,
                scope=office_scope_of(user),
            ),
            "results": render_shared(
                "voice-list",
                parts,
                "feedback/voices/_results.html",
                results_context,
                query=query,
                scope=office_scope_of(user),
            ),
            "export_query": query.urlencode(),
            "breadcrumbs": [feedback_crumb(), ("区民の声", None)],
        },
    )


EXPORT_HEADERS = [
    "受付番号",
    "受付日",
    "受付方法",
    "分類",
    "担当課",
    "窓口",
    "件名",
    "内容",
    "状況",
    "担当者",
    "回答期限",
    "期限超過",
    "回答日",
    "回答内容",
    "個人情報",
    "対応する事業",
]
EXPORT_WIDTHS = [10, 12, 14, 16, 16, 20, 40, 60, 10, 14, 12, 8, 12, 60, 24, 20]


def _export_values(voice):
    """One export row. Personal data is never written: only that there is some."""
    answered = voice.answered_at
    return [
        voice.pk,
        voice.received_on,
        voice.get_channel_display(),
        voice.get_category_display(),
        voice.section.name,
        voice.window.name if voice.window_id else "",
        voice.summary,
        voice.body,
        voice.get_state_display(),
        str(voice.assignee) if voice.assignee_id else "",
        voice.due_on,
        "期限超過" if voice.is_overdue else "",
        timezone.localtime(answered).date() if answered else None,
        voice.answer_text,
        MASKED if voice.has_contact else "",
        "・".join(project.code for project in voice.projects.all()),
    ]


def _export_voices(request):
    _, voices = _filtered(request)
    return list(voices.prefetch_related("projects"))


def _csv_bytes(voices, *, encoding):
    """CSV for Excel (core.tabular's rules); CP932 names each voice it cannot write."""
    rows = ((f"No.{voice.pk}", _export_values(voice)) for voice in voices)
    return csv_bytes(EXPORT_HEADERS, rows, encoding=encoding)


def _xlsx_bytes(voices):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "区民の声"
    write_sheet(
        sheet,
        EXPORT_HEADERS,
        (_export_values(voice) for voice in voices),
        widths=dict(enumerate(EXPORT_WIDTHS)),
        wrapped={EXPORT_HEADERS.index("内容"), EXPORT_HEADERS.index("回答内容")},
    )
    return workbook_bytes(workbook)


def _export_names(extension):
    day = today()
    return f"voices-{day:%Y%m%d}.{extension}", f"区民の声_{day:%Y%m%d}.{extension}"


@require_perm("feedback.export_voices", EXPORT_REFUSAL)
def voice_export_csv(request):
    voices = _export_voices(request)
    encoding = csv_encoding(request)
    try:
        content = _csv_bytes(voices, encoding=encoding)
    except UnencodableError as error:
        return unencodable_response(
            request,
            error,
            subject="区民の声",
            key_label="受付番号",
            links=[
                Link("CSV出力（UTF-8）", reverse("feedback:voice_export_csv")),
                Link(
                    "Excel出力",
                    reverse("feedback:voice_export_xlsx"),
                    "btn btn-outline-secondary",
                ),
                Link("区民の声の一覧に戻る", reverse("feedback:voice_list"), "btn btn-link"),
            ],
            breadcrumbs=[feedback_crumb(), _list_crumb(), ("CSV出力", None)],
        )
    record_event(
        "export",
        request=request,
        what="resident_voices",
        rows=len(voices),
        format=f"csv-{encoding}",
    )
    filename, filename_ja = _export_names("csv")
    return csv_download(
        content,
        encoding=encoding,
        filename=filename,
        filename_ja=filename_ja,
    )


@require_perm("feedback.export_voices", EXPORT_REFUSAL)
def voice_export_xlsx(request):
    voices = _export_voices(request)
    content = _xlsx_bytes(voices)
    record_event("export", request=request, what="resident_voices", rows=len(voices), format="xlsx")
    filename, filename_ja = _export_names("xlsx")
    return xlsx_download(
        content,
        filename=filename,
        filename_ja=filename_ja,
    )


# ---------------------------------------------------------------------------------------------
# Record (also from a survey's free-text answer)


def get_free_text_answer_for_user(user, pk):
    """A free-text answer of a survey of the user's office (404 outside it; 403 unless the
    user may read free text)."""
    queryset = (
        Answer.objects.filter(
            question__kind=Question.Kind.TEXT, response__survey__in=surveys_for(user)
        )
        .exclude(text="")
        .select_related("response__survey", "response__window", "question")
    )
    return get_object_for_user(
        user,
        queryset,
        perm="feedback.read_free_text",
        message=services.FREE_TEXT_REFUSAL,
        pk=pk,
    )


def _answer_initial(answer):
    response = answer.response
    window = response.window
    first_line = answer.text.strip().splitlines()[0] if answer.text.strip() else ""
    initial = {
        "channel": ResidentVoice.Channel.SURVEY,
        "body": answer.text,
        "summary": first_line[:60],
        "received_on": response.submitted_on,
        "category": ResidentVoice.Category.OTHER,
    }
    if window is not None:  # otherwise the section stays the user's own
        initial.update(window=window.pk, section=window.section_id)
    return initial


def _answer_id(request):
    raw = request.GET.get("answer", "")
    return int(raw) if raw.isdigit() else None


@require_perm("feedback.record_voice", services.RECORD_REFUSAL)
def voice_create(request):
    user = request.user
    office = user.office
    if office is None:
        messages.error(request, "所属課が設定されていないため、区民の声を記録できません。")
        return redirect("feedback:voice_list")
    answer = None
    answer_id = _answer_id(request)
    if answer_id is not None:
        answer = get_free_text_answer_for_user(user, answer_id)
        existing = ResidentVoice._base_manager.filter(source_answer=answer).first()
        if existing is not None:
            messages.info(
                request, f"この回答はすでに区民の声（No.{existing.pk}）として記録されています。"
            )
            return redirect(existing)
    # A survey's answers are anonymous: a promoted answer has no personal data to record.
    form = VoiceForm(
        request.POST or None,
        user=user,
        personal_data=answer is None,
        initial=_answer_initial(answer) if answer else None,
        all_projects=bool(request.GET.get("all_projects")),
    )
    if answer is not None:
        form.fields["channel"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "office": office,
            "category": data["category"],
            "section": data["section"],
            "window": data["window"],
            "received_on": data["received_on"],
            "due_on": data["due_on"],
            "summary": data["summary"],
            "body": data["body"],
            "projects": data["projects"],
        }

        def record():
            if answer is not None:
                return services.voice_promote_from_answer(answer=answer, by=user, **fields)
            return services.voice_record(
                by=user, channel=data["channel"], **fields, **form.personal_data()
            )

        try:
            voice, context = create_or_explain(request, form, record)
        except services.AlreadyPromoted as already:
            messages.info(
                request,
                f"この回答はすでに区民の声（No.{already.voice.pk}）として記録されています。",
            )
            return redirect(already.voice)
        if context is None:
            messages.success(
                request, f"区民の声「{voice.summary}」（No.{voice.pk}）を記録しました。"
            )
            return redirect(voice)
    return render(
        request,
        "feedback/voices/form.html",
        {
            "form": form,
            "answer": answer,
            "breadcrumbs": [feedback_crumb(), _list_crumb(), ("記録", None)],
        },
    )


# ---------------------------------------------------------------------------------------------
# Detail, edit, history


def _detail_context(request, voice, **forms):
    user = request.user
    may = {
        "see_personal": user_may(user, "feedback.view_personal_data", voice),
        "assign": user_may(user, "feedback.assign_voice", voice) and voice.state in OPEN_STATES,
        "handle": user_may(user, "feedback.handle_voice", voice),
        "reopen": user_may(user, "feedback.reopen_voice", voice),
        "link": user_may(user, "feedback.link_voice_projects", voice),
    }
    may["answer"] = may["handle"] and voice.state in OPEN_STATES
    may["close"] = may["handle"] and voice.state == State.ANSWERED
    may["remove_personal"] = may["see_personal"] and voice.has_personal_data
    initial = {"version": voice.version}
    context = {
        "voice": voice,
        "may": may,
        # Personal data reaches the template only for those who may see it.
        "personal": (
            {"name": voice.contact_name, "info": voice.contact_info}
            if may["see_personal"]
            else None
        ),
        "projects": voice.projects.select_related("plan").order_by("-plan__fiscal_year", "code"),
        "source": _source(voice),
        "overdue": voice.state in OPEN_STATES and voice.due_on and voice.due_on < today(),
        "history": history_entries(voice, limit=10),
        "breadcrumbs": _voice_crumbs(voice),
        "assign_form": (
            AssignForm(initial=initial, voice=voice, auto_id=_ids("assign_form"))
            if may["assign"]
            else None
        ),
        "answer_form": (
            AnswerForm(initial=initial, auto_id=_ids("answer_form")) if may["answer"] else None
        ),
        "close_form": (
            CloseForm(initial=initial, auto_id=_ids("close_form")) if may["close"] else None
        ),
        "reopen_form": (
            ReopenForm(initial=initial, auto_id=_ids("reopen_form")) if may["reopen"] else None
        ),
        "projects_form": (
            ProjectsForm(
                user=user,
                voice=voice,
                auto_id=_ids("projects_form"),
                all_projects=bool(request.GET.get("all_projects")),
            )
            if may["link"]
            else None
        ),
        "version_form": CloseForm(initial=initial, auto_id=_ids("version_form")),
    }
    context.update(forms)
    return context


def _source(voice):
    if voice.source_answer_id is None:
        return None
    return (
        Answer.objects.for_office(voice.office_id)
        .filter(pk=voice.source_answer_id)
        .select_related("response__survey", "question")
        .first()
    )


def voice_detail(request, pk):
    voice = get_voice_for_user(request.user, pk, message=VIEW_REFUSAL)
    return render(request, "feedback/voices/detail.html", _detail_context(request, voice))


def voice_edit(request, pk):
    user = request.user
    voice = get_voice_for_user(
        user, pk, perm="feedback.handle_voice", message=services.HANDLE_REFUSAL
    )
    personal = user_may(user, "feedback.view_personal_data", voice)
    # The form works on a copy: validating a ModelForm writes to its instance, and the service
    # must still see the voice as it was (e.g. to notice a change of section).
    form = VoiceForm(
        request.POST or None,
        instance=copy.copy(voice),
        user=user,
        personal_data=personal,
        all_projects=bool(request.GET.get("all_projects")),
    )
    context = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        context = save_or_explain(
            request,
            form,
            lambda: services.voice_update(
                voice=voice,
                by=user,
                expected_version=data["version"],
                channel=data["channel"],
                category=data["category"],
                section=data["section"],
                window=data["window"],
                received_on=data["received_on"],
                due_on=data["due_on"],
                summary=data["summary"],
                body=data["body"],
                projects=data["projects"],
                **form.personal_data(),
            ),
        )
        if context is None:
            messages.success(request, "区民の声を保存しました。")
            return redirect(voice)
    return render(
        request,
        "feedback/voices/form.html",
        {
            "form": form,
            "voice": voice,
            "breadcrumbs": _voice_crumbs(voice, ("編集", None)),
            **context,
        },
    )


def voice_history(request, pk):
    voice = get_voice_for_user(request.user, pk, message=VIEW_REFUSAL)
    return render_history(
        request,
        voice,
        breadcrumbs=_voice_crumbs(voice, ("変更履歴", None)),
        template="feedback/voices/history.html",
        voice=voice,
    )


# ---------------------------------------------------------------------------------------------
# The steps: one POST view each, a service each


def _ids(form_name):
    """Each step form's own ids ("id_answer_form-version"): the page holds several step forms,
    each with a version field, and an id must be unique on a page (#10.11)."""
    return f"id_{form_name}-%s"


def _step(request, pk, *, perm, refusal, form_class, form_name, run, success, form_kwargs=None):
    """Load the voice (404/403), validate the step's form, run the service. A conflict sends
    the user back to the current version; a refused step shows the detail page with the
    reason (status 400)."""
    voice = get_voice_for_user(request.user, pk, perm=perm, message=refusal)
    kwargs = form_kwargs(voice) if form_kwargs else {}
    form = form_class(request.POST, auto_id=_ids(form_name), **kwargs)
    if run_step(request, form, lambda data: run(voice, data), success=success):
        return redirect(voice)
    voice.refresh_from_db()
    context = _detail_context(request, voice, **{form_name: form})
    return render(request, "feedback/voices/detail.html", context, status=400)


@require_POST
def voice_assign(request, pk):
    return _step(
        request,
        pk,
        perm="feedback.assign_voice",
        refusal=services.ASSIGN_REFUSAL,
        form_class=AssignForm,
        form_name="assign_form",
        form_kwargs=lambda voice: {"voice": voice},
        run=lambda voice, data: services.voice_assign(
            voice=voice,
            by=request.user,
            assignee=data["assignee"],
            expected_version=data["version"],
        ),
        success="担当者を決めました。担当者にお知らせが届きます。",
    )


@require_POST
def voice_answer(request, pk):
    return _step(
        request,
        pk,
        perm="feedback.handle_voice",
        refusal=services.HANDLE_REFUSAL,
        form_class=AnswerForm,
        form_name="answer_form",
        run=lambda voice, data: services.voice_answer(
            voice=voice,
            by=request.user,
            answer_text=data["answer_text"],
            answered_on=data.get("answered_on"),
            expected_version=data["version"],
        ),
        success="回答を記録しました。",
    )


@require_POST
def voice_close(request, pk):
    return _step(
        request,
        pk,
        perm="feedback.handle_voice",
        refusal=services.HANDLE_REFUSAL,
        form_class=CloseForm,
        form_name="close_form",
        run=lambda voice, data: services.voice_close(
            voice=voice, by=request.user, expected_version=data["version"]
        ),
        success="区民の声を完了にしました。",
    )


@require_POST
def voice_reopen(request, pk):
    return _step(
        request,
        pk,
        perm="feedback.reopen_voice",
        refusal=services.REOPEN_REFUSAL,
        form_class=ReopenForm,
        form_name="reopen_form",
        run=lambda voice, data: services.voice_reopen(
            voice=voice,
            by=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        success="区民の声を再開しました。",
    )


@require_POST
def voice_projects(request, pk):
    return _step(
        request,
        pk,
        perm="feedback.link_voice_projects",
        refusal=services.LINK_REFUSAL,
        form_class=ProjectsForm,
        form_name="projects_form",
        form_kwargs=lambda voice: {"voice": voice, "user": request.user},
        run=lambda voice, data: services.voice_link_projects(
            voice=voice,
            by=request.user,
            projects=data["projects"],
            expected_version=data["version"],
        ),
        success="対応する事業を保存しました。",
    )


@require_POST
def voice_remove_personal_data(request, pk):
    return _step(
        request,
        pk,
        perm="feedback.view_personal_data",
        refusal=services.PERSONAL_REFUSAL,
        form_class=CloseForm,
        form_name="version_form",
        run=lambda voice, data: services.voice_remove_personal_data(
            voice=voice, by=request.user, expected_version=data["version"]
        ),
        success="個人情報を削除しました。区民の声の内容は残っています。",
    )


# ---------------------------------------------------------------------------------------------
# Statistics


def _figures(data, fy):
    """Bar charts of the year's counts by month and by category, each with its table."""
    return [
        charts.bar_figure(
            title=f"{fy.era_label}の区民の声の受付件数（月別）",
            labels=[f"{month.month}月" for month in data["months"]],
            values=data["category_totals"],
            value_header="受付件数",
            unit="件",
            row_header="月",
            chart_id="voices-by-month",
        ),
        charts.bar_figure(
            title=f"{fy.era_label}の区民の声の受付件数（分類別）",
            labels=[label for label, _, _ in data["by_category"]],
            values=[total for _, _, total in data["by_category"]],
            value_header="受付件数",
            unit="件",
            row_header="分類",
            chart_id="voices-by-category",
        ),
    ]


@require_perm("feedback.voice_statistics", STATISTICS_REFUSAL)
def voice_statistics(request):
    voices = voices_for(request.user)
    current = FiscalYear.current()
    first = voices.aggregate(first=Min("received_on"))["first"]
    oldest = FiscalYear.of(first).year if first else current.year
    years = list(range(current.year, min(oldest, current.year) - 1, -1))
    form = StatisticsForm(request.GET or None, years=years)
    year = current.year
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        year = form.cleaned_data["year"]
    fy = FiscalYear(year)
    data = voice_statistics_data(voices, fy)
    return render(
        request,
        "feedback/voices/statistics.html",
        {
            "form": form,
            "fy": fy,
            "figures": _figures(data, fy),
            **data,
            "breadcrumbs": [feedback_crumb(), _list_crumb(), ("統計", None)],
        },
    )


urlpatterns = [
    path("voices/", voice_list, name="voice_list"),
    path("voices/export.csv", voice_export_csv, name="voice_export_csv"),
    path("voices/export.xlsx", voice_export_xlsx, name="voice_export_xlsx"),
    path("voices/new/", voice_create, name="voice_create"),
    path("voices/statistics/", voice_statistics, name="voice_statistics"),
    path("voices/<int:pk>/", voice_detail, name="voice_detail"),
    path("voices/<int:pk>/edit/", voice_edit, name="voice_edit"),
    path("voices/<int:pk>/history/", voice_history, name="voice_history"),
    path("voices/<int:pk>/assign/", voice_assign, name="voice_assign"),
    path("voices/<int:pk>/answer/", voice_answer, name="voice_answer"),
    path("voices/<int:pk>/close/", voice_close, name="voice_close"),
    path("voices/<int:pk>/reopen/", voice_reopen, name="voice_reopen"),
    path("voices/<int:pk>/projects/", voice_projects, name="voice_projects"),
    path(
        "voices/<int:pk>/remove-personal-data/",
        voice_remove_personal_data,
        name="voice_remove_personal_data",
    ),
]
