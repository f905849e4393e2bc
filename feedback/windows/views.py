"""Service windows (窓口): list, create, edit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse

from takatsu_portal.accounts.permissions import require_perm, user_may
from takatsu_portal.core.editing import save_or_explain

from ..access import get_window_for_user, windows_for
from ..navigation import feedback_crumb
from . import services
from .forms import WindowForm

VIEW_WINDOWS = "窓口の一覧は職員が閲覧できます。"
MANAGE_WINDOWS = "窓口を登録・編集できるのは推進部会の委員・課長・管理者です。"
OWN_SECTION_ONLY = "窓口を登録・編集できるのは、自分の課の窓口だけです。"
VIEW_SURVEYS = "アンケートは職員が閲覧できます。"
MANAGE_SURVEYS = "アンケートを作成・編集できるのは推進部会の委員と課長です。"


def _windows_crumb():
    return ("窓口", reverse("feedback:window_list"))


# ---------------------------------------------------------------------------------------------
# Windows


@require_perm("feedback.view_windows", VIEW_WINDOWS)
def window_list(request):
    """The office's windows grouped by section, the active ones first in each section."""
    windows = (
        windows_for(request.user)
        .select_related("section", "section__department")
        .order_by(
            "section__department__sort_order",
            "section__sort_order",
            "section_id",
            "-is_active",
            "sort_order",
            "id",
        )
    )
    page = Paginator(windows, 50).get_page(request.GET.get("page"))
    can_manage = user_may(request.user, "feedback.manage_windows")
    editable = (
        set(services.sections_for_windows(request.user).values_list("pk", flat=True))
        if can_manage
        else set()
    )
    return render(
        request,
        "feedback/windows/list.html",
        {
            "page_obj": page,
            "can_manage": can_manage,
            "editable_sections": editable,
            "breadcrumbs": [feedback_crumb(), ("窓口", None)],
        },
    )


def _window_form_page(request, *, window, form, breadcrumbs):
    """The create and edit pages. A save based on an older version than the saved one is
    refused: the page shows the other person's change and keeps what was typed."""
    context = {}
    if request.method == "POST" and form.is_valid():
        creating = window.pk is None
        context = save_or_explain(
            request,
            form,
            lambda: services.window_save(
                window=form.save(commit=False),
                by=request.user,
                expected_version=form.cleaned_data["version"],
            ),
        )
        if context is None:
            verb = "登録" if creating else "保存"
            messages.success(request, f"窓口「{form.instance}」を{verb}しました。")
            return redirect("feedback:window_list")
    return render(
        request,
        "feedback/windows/form.html",
        {
            "form": form,
            "window": window if window.pk else None,
            "breadcrumbs": breadcrumbs,
            **context,
        },
    )


@require_perm("feedback.manage_windows", MANAGE_WINDOWS)
def window_create(request):
    if request.user.office is None:
        messages.error(request, "所属課が設定されていないため、窓口を登録できません。")
        return redirect("feedback:window_list")
    form = WindowForm(request.POST or None, user=request.user)
    return _window_form_page(
        request,
        window=form.instance,
        form=form,
        breadcrumbs=[feedback_crumb(), _windows_crumb(), ("窓口の登録", None)],
    )


def window_edit(request, pk):
    window = get_window_for_user(
        request.user, pk, perm="feedback.manage_windows", message=MANAGE_WINDOWS
    )
    if not services.may_manage_window(request.user, window):
        raise PermissionDenied(OWN_SECTION_ONLY)
    form = WindowForm(request.POST or None, instance=window, user=request.user)
    return _window_form_page(
        request,
        window=window,
        form=form,
        breadcrumbs=[feedback_crumb(), _windows_crumb(), (f"{window.name}の編集", None)],
    )


urlpatterns = [
    path("windows/", window_list, name="window_list"),
    path("windows/new/", window_create, name="window_create"),
    path("windows/<int:pk>/edit/", window_edit, name="window_edit"),
]
