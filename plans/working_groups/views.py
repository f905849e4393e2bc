"""Working groups: the project working groups of the Service Promotion Team and the
issue-study working groups (課題検討ワーキング) that are set up for a problem and dissolved.

The subcommittee sets groups up, edits them and dissolves them; a group's lead edits its
purpose and members (a narrower form, so the lead cannot change the lead or dissolve it);
everyone else reads.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F
from django.shortcuts import redirect, render
from django.urls import path, reverse

from takatsu_portal.accounts.permissions import require_perm
from takatsu_portal.core.editing import create_or_explain, save_or_explain
from takatsu_portal.core.history import history_entries

from ..access import get_working_group_for_user, working_groups_for
from ..models import WorkingGroup
from . import services
from .forms import WorkingGroupFilterForm, WorkingGroupForm, WorkingGroupLeadForm

PER_PAGE = 30
EDIT_REFUSAL = (
    "このワーキンググループを編集できるのは推進部会の委員と、このグループのリーダーです。"
)


def _crumbs(*tail):
    return [
        ("計画", reverse("plans:index")),
        ("ワーキンググループ", reverse("plans:working_group_list")),
        *tail,
    ]


@require_perm("plans.view_working_group", "ワーキンググループは職員が閲覧できます。")
def working_group_list(request):
    """The office's groups: active ones first, then the dissolved, the latest first."""
    filters = WorkingGroupFilterForm(request.GET or None)
    groups = (
        filters.filter(working_groups_for(request.user))
        .select_related("lead", "lead__section")
        .annotate(
            member_count=Count("members", distinct=True),
            project_count=Count("projects", distinct=True),
        )
        .order_by(F("dissolved_on").desc(nulls_first=True), "kind", "name", "pk")
    )
    page = Paginator(groups, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/working_groups/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "can_add": request.user.has_perm("plans.add_working_group"),
            "breadcrumbs": [("計画", reverse("plans:index")), ("ワーキンググループ", None)],
        },
    )


@require_perm("plans.add_working_group", "ワーキンググループを設置できるのは推進部会の委員です。")
def working_group_create(request):
    office = request.user.office
    if office is None:
        messages.error(
            request, "所属課が設定されていないため、ワーキンググループを設置できません。"
        )
        return redirect("plans:working_group_list")
    group = WorkingGroup(office=office)
    form = WorkingGroupForm(request.POST or None, instance=group, office=office)
    if request.method == "POST" and form.is_valid():
        group, context = create_or_explain(
            request,
            form,
            lambda: services.working_group_save(
                group=form.save(commit=False),
                by=request.user,
                members=form.cleaned_data["members"],
            ),
        )
        if context is None:
            messages.success(request, f"「{group}」を設置しました。")
            return redirect(group)
    return render(
        request,
        "plans/working_groups/form.html",
        {"form": form, "breadcrumbs": _crumbs(("設置", None))},
    )


def working_group_detail(request, pk):
    group = get_working_group_for_user(request.user, pk)
    members = group.members.select_related("section", "section__department").order_by(
        "section__department__sort_order", "section__sort_order", "full_name_kana", "username"
    )
    projects = group.projects.select_related("plan").order_by("-plan__fiscal_year", "code")
    return render(
        request,
        "plans/working_groups/detail.html",
        {
            "group": group,
            "members": members,
            "projects": projects,
            "history": history_entries(group, limit=5),
            "can_edit": request.user.has_perm("plans.change_working_group", group),
            "breadcrumbs": _crumbs((group.name, None)),
        },
    )


def working_group_edit(request, pk):
    """The subcommittee edits everything; the lead gets a form of the purpose and members
    only, so whatever else a lead posts is never read."""
    group = get_working_group_for_user(
        request.user, pk, perm="plans.change_working_group", message=EDIT_REFUSAL
    )
    full = request.user.has_perm("plans.add_working_group")
    form_class = WorkingGroupForm if full else WorkingGroupLeadForm
    form = form_class(request.POST or None, instance=group, office=group.office)
    context = {}
    if request.method == "POST" and form.is_valid():
        context = save_or_explain(
            request,
            form,
            lambda: services.working_group_save(
                group=form.save(commit=False),
                by=request.user,
                members=form.cleaned_data["members"],
                expected_version=form.cleaned_data["version"],
            ),
        )
        if context is None:
            messages.success(request, "ワーキンググループを保存しました。")
            return redirect(group)
    return render(
        request,
        "plans/working_groups/form.html",
        {
            "form": form,
            "group": group,
            "lead_only": not full,
            "breadcrumbs": _crumbs((group.name, group.get_absolute_url()), ("編集", None)),
            **context,
        },
    )


urlpatterns = [
    path("working-groups/", working_group_list, name="working_group_list"),
    path("working-groups/new/", working_group_create, name="working_group_create"),
    path("working-groups/<int:pk>/", working_group_detail, name="working_group_detail"),
    path("working-groups/<int:pk>/edit/", working_group_edit, name="working_group_edit"),
]
