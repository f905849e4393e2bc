"""Individual improvements (個別業務の改善): staff record them, the section manager
acknowledges them, and the good practices are shared ward-wide for others to reuse."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import require_perm
from takatsu_portal.accounts.roles import Role, roles_of
from takatsu_portal.core.editing import run_step, save_or_explain
from takatsu_portal.core.history import history_entries, render_history

from ..access import get_improvement_for_user, improvements_for
from . import services
from .forms import IMPROVEMENT_SCOPES, AcknowledgeForm, ImprovementFilterForm, ImprovementForm

PER_PAGE = 30
VIEW_REFUSAL = "個別業務の改善は職員が閲覧できます。"
EDIT_REFUSAL = "改善の記録を修正できるのは記録者です（課長の確認前のみ）。"
ACKNOWLEDGE_REFUSAL = "改善の記録を確認できるのは、その課の課長です。"
SEARCH_FIELDS = ["title", "problem", "change", "effect", "related_goal"]


def _list_crumb():
    return ("個別業務の改善", reverse("plans:improvement_list"))


def _crumbs(*tail):
    return [("計画", reverse("plans:index")), _list_crumb(), *tail]


def _search(improvements, text):
    query = Q()
    for field in SEARCH_FIELDS:
        query |= Q(**{f"{field}__icontains": text})
    return improvements.filter(query)


@require_perm("plans.view_improvement", VIEW_REFUSAL)
def improvement_list(request):
    """One's own records, one's section's, or the whole office's; by status and keyword."""
    user = request.user
    scopes = dict(IMPROVEMENT_SCOPES)
    scope = request.GET.get("scope")
    if scope not in scopes:
        # A section manager starts on the section's records (those waiting for them).
        scope = "section" if Role.SECTION_MANAGER in roles_of(request.user) else "mine"
    improvements = improvements_for(user).for_list()
    if scope == "mine":
        improvements = improvements.filter(author=user)
    elif scope == "section":
        improvements = improvements.filter(section_id=user.section_id)
    form = ImprovementFilterForm(request.GET)
    form.is_valid()
    filters = form.cleaned_data
    if filters.get("status") == "pending":
        improvements = improvements.filter(acknowledged_at__isnull=True)
    elif filters.get("status") == "acknowledged":
        improvements = improvements.filter(acknowledged_at__isnull=False)
    if filters.get("q"):
        improvements = _search(improvements, filters["q"])
    page = Paginator(improvements, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/improvements/list.html",
        {
            "form": form,
            "scope": scope,
            "scopes": IMPROVEMENT_SCOPES,
            "scope_label": scopes[scope],
            "page_obj": page,
            "breadcrumbs": [("計画", reverse("plans:index")), ("個別業務の改善", None)],
        },
    )


@require_perm("plans.view_improvement", VIEW_REFUSAL)
def improvement_good_practices(request):
    """The office's acknowledged improvements that their managers chose to share."""
    improvements = improvements_for(request.user).good_practices().for_list()
    form = ImprovementFilterForm(request.GET)
    form.is_valid()
    if form.cleaned_data.get("q"):
        improvements = _search(improvements, form.cleaned_data["q"])
    page = Paginator(improvements, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/improvements/good_practices.html",
        {"form": form, "page_obj": page, "breadcrumbs": _crumbs(("優良事例", None))},
    )


@require_perm("plans.add_improvement", "改善の記録は職員が行えます。")
def improvement_create(request):
    form = ImprovementForm(request.POST or None, office=request.user.office)
    if request.method == "POST" and form.is_valid():
        improvement = form.save(commit=False)
        context = save_or_explain(
            request,
            form,
            lambda: services.improvement_save(
                improvement=improvement, by=request.user, policies=form.cleaned_data["policies"]
            ),
        )
        if context is None:
            messages.success(
                request, f"改善「{improvement.title}」を記録しました。課長が確認します。"
            )
            return redirect(improvement)
    return render(
        request,
        "plans/improvements/form.html",
        {"form": form, "breadcrumbs": _crumbs(("改善を記録する", None))},
    )


def _detail_context(request, improvement, acknowledge_form=None):
    can_acknowledge = not improvement.is_acknowledged and request.user.has_perm(
        "plans.acknowledge_improvement", improvement
    )
    if can_acknowledge and acknowledge_form is None:
        acknowledge_form = AcknowledgeForm(initial={"version": improvement.version})
    return {
        "improvement": improvement,
        "policies": improvement.policies.all(),
        "history": history_entries(improvement, limit=5),
        "can_edit": request.user.has_perm("plans.change_improvement", improvement),
        "can_acknowledge": can_acknowledge,
        "acknowledge_form": acknowledge_form,
        "breadcrumbs": _crumbs((improvement.title, None)),
    }


def improvement_detail(request, pk):
    improvement = get_improvement_for_user(request.user, pk, message=VIEW_REFUSAL)
    return render(
        request,
        "plans/improvements/detail.html",
        _detail_context(request, improvement),
    )


def improvement_edit(request, pk):
    improvement = get_improvement_for_user(
        request.user, pk, perm="plans.change_improvement", message=EDIT_REFUSAL
    )
    title = improvement.title
    form = ImprovementForm(
        request.POST or None, instance=improvement, office=improvement.section.department.office
    )
    context = {}
    if request.method == "POST" and form.is_valid():
        context = save_or_explain(
            request,
            form,
            lambda: services.improvement_save(
                improvement=form.instance,
                by=request.user,
                policies=form.cleaned_data["policies"],
                expected_version=form.cleaned_data["version"],
            ),
        )
        if context is None:
            messages.success(request, "改善の記録を保存しました。")
            return redirect(improvement)
    return render(
        request,
        "plans/improvements/form.html",
        {
            "form": form,
            "improvement": improvement,
            "title": title,
            "breadcrumbs": _crumbs((title, improvement.get_absolute_url()), ("修正", None)),
            **context,
        },
    )


@require_POST
def improvement_acknowledge(request, pk):
    improvement = get_improvement_for_user(
        request.user, pk, perm="plans.acknowledge_improvement", message=ACKNOWLEDGE_REFUSAL
    )
    form = AcknowledgeForm(request.POST)
    if run_step(
        request,
        form,
        lambda data: services.improvement_acknowledge(
            improvement=improvement,
            by=request.user,
            comment=data["comment"],
            good_practice=data["good_practice"],
            expected_version=data["version"],
        ),
        success=lambda acknowledged: (
            "改善の記録を確認しました。記録者にお知らせしました。"
            + ("優良事例として区役所全体に共有されます。" if acknowledged.is_good_practice else "")
        ),
    ):
        return redirect(improvement)
    improvement.refresh_from_db()
    if improvement.is_acknowledged and form.non_field_errors():
        # Acknowledged already: the page no longer has the form, so the reason goes on top.
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect(improvement)
    return render(
        request,
        "plans/improvements/detail.html",
        _detail_context(request, improvement, acknowledge_form=form),
        status=400,
    )


def improvement_history(request, pk):
    improvement = get_improvement_for_user(request.user, pk, message=VIEW_REFUSAL)
    crumbs = _crumbs((improvement.title, improvement.get_absolute_url()), ("変更履歴", None))
    return render_history(request, improvement, breadcrumbs=crumbs)


urlpatterns = [
    path("improvements/", improvement_list, name="improvement_list"),
    path(
        "improvements/good-practices/",
        improvement_good_practices,
        name="improvement_good_practices",
    ),
    path("improvements/new/", improvement_create, name="improvement_create"),
    path("improvements/<int:pk>/", improvement_detail, name="improvement_detail"),
    path("improvements/<int:pk>/edit/", improvement_edit, name="improvement_edit"),
    path(
        "improvements/<int:pk>/acknowledge/",
        improvement_acknowledge,
        name="improvement_acknowledge",
    ),
    path("improvements/<int:pk>/history/", improvement_history, name="improvement_history"),
]
