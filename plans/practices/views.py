"""Good practices shared city-wide (「他区の優良事例」): the list and page every ward's staff
and the city planning bureau read, the ward subcommittee's share and withdraw steps, and
「提案として取り込む」, which copies a practice into a proposal of the reader's own plan."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import require_perm, user_may
from takatsu_portal.core.editing import run_step
from takatsu_portal.core.fiscal import FiscalYear

from ..access import (
    citywide_practices_for,
    get_improvement_for_user,
    get_practice_for_user,
    proposals_for,
)
from ..navigation import plans_crumb
from . import services
from .forms import CopyForm, PracticeFilterForm, ShareForm

PER_PAGE = 20
VIEW_REFUSAL = "他区の優良事例は、区役所の職員と総合企画局が閲覧できます。"
SEARCH_FIELDS = ["title", "problem", "change", "effect", "related_goal"]


def _list_crumb():
    return ("他区の優良事例", reverse("plans:practice_list"))


def _filtered(practices, filters):
    if filters.get("office"):
        practices = practices.filter(section__department__office=filters["office"])
    if filters.get("policy"):
        practices = practices.filter(policies__number=filters["policy"]).distinct()
    if filters.get("year"):
        fy = FiscalYear(filters["year"])
        practices = practices.filter(recorded_on__range=(fy.start, fy.end))
    if filters.get("q"):
        query = Q()
        for field in SEARCH_FIELDS:
            query |= Q(**{f"{field}__icontains": filters["q"]})
        practices = practices.filter(query)
    return practices


@require_perm("plans.view_citywide_practices", VIEW_REFUSAL)
def practice_list(request):
    """Other wards' good practices shared city-wide (every ward's for the city), newest
    shared first, by ward, policy number, fiscal year of the improvement and keyword."""
    form = PracticeFilterForm(request.GET, user=request.user)
    form.is_valid()
    practices = _filtered(citywide_practices_for(request.user), form.cleaned_data)
    practices = practices.for_citywide_list().order_by("-shared_citywide_at", "-id")
    page = Paginator(practices, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/practices/list.html",
        {
            "form": form,
            "page_obj": page,
            "breadcrumbs": [plans_crumb(), ("他区の優良事例", None)],
        },
    )


def _copy_refusal(user, practice):
    """Why `user` may not copy `practice` now, or None."""
    if not user_may(user, "plans.add_proposal") or not user_may(
        user, "plans.copy_practice", practice
    ):
        return services.COPY_REFUSAL
    if not services.proposal_plans(user.office).exists():
        return services.NO_OPEN_PLAN
    return None


def practice_detail(request, pk):
    practice = get_practice_for_user(request.user, pk, message=VIEW_REFUSAL)
    user = request.user
    copies = []
    if user.office is not None:
        copies = list(proposals_for(user).filter(source_practice=practice).select_related("plan"))
    return render(
        request,
        "plans/practices/detail.html",
        {
            "practice": practice,
            "office": practice.section.department.office,
            "policies": practice.policies.all(),
            "fiscal_year": FiscalYear.of(practice.recorded_on),
            "copy_refusal": _copy_refusal(user, practice),
            "copies": copies,
            "breadcrumbs": [plans_crumb(), _list_crumb(), (practice.title, None)],
        },
    )


def practice_copy(request, pk):
    """「提案として取り込む」: the plan, policies and area, then a new proposal of the user's
    own office, and its edit form to make it the ward's own."""
    user = request.user
    if not user_may(user, "plans.add_proposal"):
        raise PermissionDenied(services.COPY_REFUSAL)
    practice = get_practice_for_user(
        user, pk, perm="plans.copy_practice", message=services.COPY_REFUSAL
    )
    plans = services.proposal_plans(user.office).order_by("-fiscal_year")
    if not plans.exists():
        raise PermissionDenied(services.NO_OPEN_PLAN)
    initial = {"plan": getattr(services.default_plan(plans), "pk", None)}
    form = CopyForm(
        request.POST or None,
        office=user.office,
        plans=plans,
        practice=practice,
        initial=initial,
    )
    made = {}

    def copy(data):
        made["proposal"] = services.practice_copy(
            practice=practice,
            by=user,
            plan=data["plan"],
            policies=data["policies"],
            initiative_area=data["initiative_area"],
        )
        return made["proposal"]

    if request.method == "POST" and run_step(request, form, copy, success=None):
        if "proposal" not in made:
            return redirect("plans:practice_detail", practice.pk)
        messages.success(
            request,
            f"他区の優良事例「{practice.title}」を事業企画案として取り込み、提出しました。"
            "あなたの区役所に合わせて内容・概算額を修正してください。",
        )
        return redirect("plans:proposal_edit", made["proposal"].pk)
    return render(
        request,
        "plans/practices/copy.html",
        {
            "form": form,
            "practice": practice,
            "office": practice.section.department.office,
            "breadcrumbs": [
                plans_crumb(),
                _list_crumb(),
                (practice.title, reverse("plans:practice_detail", args=[practice.pk])),
                ("提案として取り込む", None),
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


def _share_step(request, pk, service, success):
    improvement = get_improvement_for_user(
        request.user, pk, perm="plans.share_practice", message=services.SHARE_REFUSAL
    )
    form = ShareForm(request.POST)
    if not run_step(
        request,
        form,
        lambda data: service(
            improvement=improvement, by=request.user, expected_version=data["version"]
        ),
        success=success,
    ):
        reason = " ".join(form.non_field_errors())
        messages.error(request, reason or "画面を読み込み直してから、もう一度操作してください。")
    return redirect(improvement)


@require_POST
def improvement_share_citywide(request, pk):
    return _share_step(
        request,
        pk,
        services.practice_share,
        "優良事例を全市に共有しました。他区の職員が「他区の優良事例」で読めます。",
    )


@require_POST
def improvement_withdraw_citywide(request, pk):
    return _share_step(
        request,
        pk,
        services.practice_withdraw,
        "全市への共有を取り下げました。取り込み済みの提案はそのまま残ります。",
    )


urlpatterns = [
    path("practices/", practice_list, name="practice_list"),
    path("practices/<int:pk>/", practice_detail, name="practice_detail"),
    path("practices/<int:pk>/copy/", practice_copy, name="practice_copy"),
    path(
        "improvements/<int:pk>/share-citywide/",
        improvement_share_citywide,
        name="improvement_share_citywide",
    ),
    path(
        "improvements/<int:pk>/withdraw-citywide/",
        improvement_withdraw_citywide,
        name="improvement_withdraw_citywide",
    ),
]
