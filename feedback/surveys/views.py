"""Surveys with their questions: list, create, edit, copy, the QR poster.

Once a survey has answers its questions are locked (results never mix two wordings): every
question edit is refused with the reason, and a copy is made to change them.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import check_perm, require_perm, user_may
from takatsu_portal.core.checks import public_address_is_loopback
from takatsu_portal.core.editing import create_or_explain, run_step, save_or_explain
from takatsu_portal.core.fiscal import today
from takatsu_portal.core.forms import add_formset_row

from ..access import get_survey_for_user, surveys_for
from ..models import SATISFACTION_LABELS, Question
from ..navigation import feedback_crumb
from ..responses.forms import survey_languages
from . import poster, services
from .forms import TRANSLATION_LANGUAGES, ChoiceFormSet, QuestionForm, SurveyForm, choices_from

VIEW_WINDOWS = "窓口の一覧は職員が閲覧できます。"
MANAGE_WINDOWS = "窓口を登録・編集できるのは推進部会の委員・課長・管理者です。"
OWN_SECTION_ONLY = "窓口を登録・編集できるのは、自分の課の窓口だけです。"
VIEW_SURVEYS = "アンケートは職員が閲覧できます。"
MANAGE_SURVEYS = "アンケートを作成・編集できるのは推進部会の委員と課長です。"


def _surveys_crumb():
    return ("アンケート", reverse("feedback:survey_list"))


def _survey_crumbs(survey, *rest):
    return [feedback_crumb(), _surveys_crumb(), (survey.title, survey.get_absolute_url()), *rest]


# ---------------------------------------------------------------------------------------------
# Surveys


@require_perm("feedback.view_surveys", VIEW_SURVEYS)
def survey_list(request):
    day = today()
    status = request.GET.get("status", "")
    if status not in services.SurveyStatus.values:
        status = ""
    surveys = services.SurveyStatus.filter(
        surveys_for(request.user)
        .annotate(response_count=Count("responses"))
        .order_by("-opens_on", "-id"),
        status,
        day,
    )
    page = Paginator(surveys, 20).get_page(request.GET.get("page"))
    rows = [(survey, services.SurveyStatus.of(survey, day)) for survey in page.object_list]
    return render(
        request,
        "feedback/surveys/list.html",
        {
            "page_obj": page,
            "rows": rows,
            "status": status,
            "statuses": services.SurveyStatus.choices,
            "can_manage": user_may(request.user, "feedback.manage_surveys"),
            "breadcrumbs": [feedback_crumb(), ("アンケート", None)],
        },
    )


@require_perm("feedback.manage_surveys", MANAGE_SURVEYS)
def survey_create(request):
    office = request.user.office
    if office is None:
        messages.error(request, "所属課が設定されていないため、アンケートを作成できません。")
        return redirect("feedback:survey_list")
    day = today()
    form = SurveyForm(
        request.POST or None,
        office=office,
        initial={"opens_on": day, "closes_on": services.add_months(day, 3)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        survey, context = create_or_explain(
            request,
            form,
            lambda: services.survey_create(
                office=office,
                by=request.user,
                title=data["title"],
                introduction=data["introduction"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                windows=data["windows"],
                translations=form.translations(),
            ),
        )
        if context is None:
            messages.success(
                request, f"アンケート「{survey}」を作成しました。続けて質問を追加してください。"
            )
            return redirect(survey)
    return render(
        request,
        "feedback/surveys/form.html",
        {
            "form": form,
            "breadcrumbs": [feedback_crumb(), _surveys_crumb(), ("アンケートの作成", None)],
        },
    )


def _question_rows(survey, language_names):
    rows = []
    for question in survey.questions.prefetch_related("choices").order_by("order", "id"):
        translated = [
            name
            for code, name in language_names
            if any((question.translations.get(code) or {}).values())
        ]
        rows.append(
            {"question": question, "choices": question.choices.all(), "languages": translated}
        )
    return rows


def missing_translations(survey, questions):
    """For each language the survey is offered in (beyond Japanese), the texts a resident
    would read in Japanese: the office's name, questions, choices and windows (#10.3)."""
    languages = dict(TRANSLATION_LANGUAGES)
    windows = services.survey_windows(survey)
    rows = []
    for code in survey_languages(survey)[1:]:
        items = []
        if not survey.office.public_name(code):
            items.append(f"区役所名「{survey.office.name}」")
        for row in questions:
            question = row["question"]
            if not ((question.translations or {}).get(code) or {}).get("text"):
                items.append(f"質問{question.order}「{question.text}」")
            untranslated = [
                c.text
                for c in row["choices"]
                if not ((c.translations or {}).get(code) or {}).get("text")
            ]
            if untranslated:
                items.append(f"質問{question.order}の選択肢「{'」「'.join(untranslated)}」")
        items += [
            f"窓口「{w.name}」"
            for w in windows
            if not ((w.translations or {}).get(code) or {}).get("name")
        ]
        if items:
            rows.append({"language": languages[code], "items": items})
    return rows


def survey_detail(request, pk):
    survey = get_survey_for_user(request.user, pk, message=VIEW_SURVEYS)
    day = today()
    response_count = survey.responses.count()
    can_manage = user_may(request.user, "feedback.manage_surveys")
    survey_translations = [
        {
            "name": name,
            "title": (survey.translations.get(code) or {}).get("title", ""),
            "introduction": (survey.translations.get(code) or {}).get("introduction", ""),
        }
        for code, name in TRANSLATION_LANGUAGES
        if any((survey.translations.get(code) or {}).values())
    ]
    questions = _question_rows(survey, TRANSLATION_LANGUAGES)
    return render(
        request,
        "feedback/surveys/detail.html",
        {
            "survey": survey,
            "status": services.SurveyStatus.of(survey, day),
            "response_count": response_count,
            "locked": response_count > 0,
            "questions": questions,
            "missing_translations": missing_translations(survey, questions),
            "windows": survey.windows.select_related("section").order_by(
                "section__department__sort_order", "section__sort_order", "sort_order", "id"
            ),
            "poster_windows": services.survey_windows(survey),
            "public_url": poster.public_url(survey),
            "public_address_is_loopback": public_address_is_loopback(survey.office),
            "survey_translations": survey_translations,
            "satisfaction_labels": list(reversed(SATISFACTION_LABELS["ja"])),
            "can_manage": can_manage,
            "can_edit_questions": can_manage and response_count == 0,
            "breadcrumbs": [feedback_crumb(), _surveys_crumb(), (survey.title, None)],
        },
    )


def survey_edit(request, pk):
    survey = get_survey_for_user(
        request.user, pk, perm="feedback.manage_surveys", message=MANAGE_SURVEYS
    )
    form = SurveyForm(request.POST or None, instance=survey, office=survey.office)
    context = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        context = save_or_explain(
            request,
            form,
            lambda: services.survey_update(
                survey=survey,
                by=request.user,
                expected_version=data["version"],
                title=data["title"],
                introduction=data["introduction"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                windows=data["windows"],
                translations=form.translations(),
            ),
        )
        if context is None:
            messages.success(request, "アンケートを保存しました。")
            return redirect(survey)
    return render(
        request,
        "feedback/surveys/form.html",
        {
            "form": form,
            "survey": survey,
            "breadcrumbs": _survey_crumbs(survey, ("編集", None)),
            **context,
        },
    )


@require_POST
def survey_copy(request, pk):
    survey = get_survey_for_user(
        request.user, pk, perm="feedback.manage_surveys", message=MANAGE_SURVEYS
    )
    copies = []

    def copy():
        copies.append(services.survey_copy(survey=survey, by=request.user, today=today()))

    run_step(
        request,
        None,
        copy,
        success=f"「{survey}」を複製しました。質問を変更でき、公開用のQRコードは新しくなっています。",
    )
    return redirect(copies[0] if copies else survey)


def survey_poster(request, pk):
    survey = get_survey_for_user(request.user, pk, message=VIEW_SURVEYS)
    window = None
    raw = request.GET.get("window")
    if raw:
        if not raw.isdigit():
            raise Http404("窓口が見つかりません。")
        window = services.survey_windows(survey).filter(pk=int(raw)).first()
        if window is None:
            raise Http404("このアンケートの窓口ではありません。")
    pdf = poster.poster_pdf(survey, window)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"survey-{survey.pk}-poster" + (f"-window-{window.pk}" if window else "") + ".pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# ---------------------------------------------------------------------------------------------
# Questions


def _get_question(user, pk):
    """A question of a survey of the user's office (404 otherwise), for someone who may manage
    surveys (403 otherwise)."""
    question = get_object_or_404(
        Question.objects.select_related("survey", "survey__office"),
        pk=pk,
        survey__in=surveys_for(user),
    )
    check_perm(user, "feedback.manage_surveys", message=MANAGE_SURVEYS)
    return question


def _refuse_locked(request, survey):
    messages.error(request, services.LOCKED_MESSAGE)
    return redirect(survey)


def _question_form_page(request, *, survey, question):
    data = request.POST if request.method == "POST" else None
    adding = data is not None and "add_choice" in request.POST
    if adding:
        data = add_formset_row(request.POST, "choices")
    existing = list(question.choices.all()) if question.pk else []
    form = QuestionForm(data, instance=question, choices=existing)
    formset = ChoiceFormSet(data, instance=question, prefix="choices")
    rows_valid = formset.is_valid() if data is not None else False
    if data is not None and not adding and form.is_valid() and rows_valid:
        choices = choices_from(form, formset)
        if choices is not None:
            creating = question.pk is None
            instance = form.save(commit=False)
            instance.translations = form.translations()
            saved, context = create_or_explain(
                request,
                form,
                lambda: services.question_save(question=instance, by=request.user, choices=choices),
            )
            if services.LOCKED_MESSAGE in form.non_field_errors():
                # The first answer came in while the question was being edited.
                return _refuse_locked(request, survey)
            if context is None:
                verb = "追加" if creating else "保存"
                messages.success(request, f"質問「{saved}」を{verb}しました。")
                return redirect(f"{survey.get_absolute_url()}#question-{saved.pk}")
    return render(
        request,
        "feedback/surveys/question_form.html",
        {
            "form": form,
            "choices": formset,
            "survey": survey,
            "question": question if question.pk else None,
            "breadcrumbs": _survey_crumbs(
                survey, ("質問の編集" if question.pk else "質問の追加", None)
            ),
        },
    )


def question_create(request, pk):
    survey = get_survey_for_user(
        request.user, pk, perm="feedback.manage_surveys", message=MANAGE_SURVEYS
    )
    if survey.is_locked:
        return _refuse_locked(request, survey)
    return _question_form_page(request, survey=survey, question=Question(survey=survey))


def question_edit(request, pk):
    question = _get_question(request.user, pk)
    if question.survey.is_locked:
        return _refuse_locked(request, question.survey)
    return _question_form_page(request, survey=question.survey, question=question)


@require_POST
def question_delete(request, pk):
    question = _get_question(request.user, pk)
    survey = question.survey
    run_step(
        request,
        None,
        lambda: services.question_delete(question=question, by=request.user),
        success=f"質問「{question}」を削除しました。",
    )
    return redirect(survey)


@require_POST
def question_move(request, pk):
    question = _get_question(request.user, pk)
    survey = question.survey
    if run_step(
        request,
        None,
        lambda: services.question_move(
            question=question, by=request.user, direction=request.POST.get("direction", "")
        ),
        success=None,
    ):
        return redirect(f"{survey.get_absolute_url()}#question-{question.pk}")
    return redirect(survey)


urlpatterns = [
    path("surveys/", survey_list, name="survey_list"),
    path("surveys/new/", survey_create, name="survey_create"),
    path("surveys/<int:pk>/", survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/copy/", survey_copy, name="survey_copy"),
    path("surveys/<int:pk>/poster.pdf", survey_poster, name="survey_poster"),
    path("surveys/<int:pk>/questions/new/", question_create, name="question_create"),
    path("questions/<int:pk>/edit/", question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", question_delete, name="question_delete"),
    path("questions/<int:pk>/move/", question_move, name="question_move"),
]
