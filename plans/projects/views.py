"""Projects (事業): list with filters, CSV/Excel export and import, create, detail, edit with
milestones and indicators, delete, history."""

from django.contrib import messages
from django.contrib.auth.context_processors import PermWrapper
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse

from takatsu_portal.accounts.permissions import require_perm, user_may
from takatsu_portal.accounts.roles import roles_of
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core import imports as core_imports
from takatsu_portal.core import tabular
from takatsu_portal.core.audit import record_event
from takatsu_portal.core.downloads import csv_download, xlsx_download
from takatsu_portal.core.editing import save_or_explain
from takatsu_portal.core.export_views import (
    Link,
    csv_encoding,
    unencodable_response,
)
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.forms import add_formset_row
from takatsu_portal.core.history import history_entries, render_history
from takatsu_portal.core.shared_cache import render_shared, scope_part

from ..access import (
    PROJECT_RULES_RELATED,
    get_plan_for_user,
    get_project_for_user,
    plans_for,
    projects_for,
)
from ..models import Project, Proposal, Stage
from ..navigation import plans_crumb
from . import imports as project_imports
from . import services
from . import spreadsheet as imports
from .forms import ImportForm, ProjectFilter, ProjectForm, project_formsets

PER_PAGE = 25
EDIT_REFUSAL = (
    "この事業を編集できるのは推進部会の委員と、担当ワーキンググループのリーダーです"
    "（年度末評価の完了前まで）。"
)
DELETE_REFUSAL = (
    "承認済みの計画の事業や、進捗のある事業は削除できません（削除できるのは推進部会の委員です）。"
)
IMPORT_REFUSAL = "事業を取り込めるのは推進部会の委員です。"


def _list_crumb(plan=None):
    url = reverse("plans:project_list")
    if plan is not None:
        url += f"?plan={plan.pk}"
    return ("事業", url)


def _project_crumbs(project, *tail):
    return [
        plans_crumb(),
        _list_crumb(project.plan),
        (project.code, project.get_absolute_url() if tail else None),
        *tail,
    ]


# ---------------------------------------------------------------------------------------------
# List and exports


def _filtered(request):
    """The filter set of the list and the exports. Without a `plan` parameter the current
    fiscal year's plan is chosen when there is one; `plan=` (empty) means every plan."""
    data = request.GET.copy()
    if "plan" not in data:
        current = plans_for(request.user).filter(fiscal_year=FiscalYear.current().year).first()
        data["plan"] = str(current.pk) if current else ""
    queryset = projects_for(request.user).for_list().order_by("-plan__fiscal_year", "code", "pk")
    filterset = ProjectFilter(data, queryset=queryset, request=request)
    return filterset, data


@require_perm("plans.view_project", "事業は職員が閲覧できます。")
def project_list(request):
    def context():
        filterset, data = _filtered(request)
        projects = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        page = Paginator(projects, PER_PAGE).get_page(request.GET.get("page"))
        query = data.copy()
        query.pop("page", None)
        chosen_plan = filterset.form.cleaned_data.get("plan") if filterset.is_valid() else None
        return {
            "filter": filterset,
            "page_obj": page,
            "export_query": query.urlencode(),
            "chosen_plan": chosen_plan,
            **buttons,
        }

    user = request.user
    # The buttons the user's permissions allow: rendered without the request, the content
    # has no `perms` of its own (and the buttons are part of its key).
    buttons = {
        "may_add": user.has_perm("plans.add_project"),
        "may_export": user.has_perm("plans.export_projects"),
        "may_import": user.has_perm("plans.import_projects"),
    }
    # The same for everyone of the office with the same roles and buttons: kept until the
    # office's plans' data changes (or the day).
    content = render_shared(
        "project-list",
        (
            scope_part(user),
            sorted(roles_of(user)),
            user.is_superuser,
            sorted(buttons.items()),
            sorted(request.GET.lists()),
        ),
        "plans/projects/_list_content.html",
        context,
        query=request.GET,
        scope=office_scope_of(user),
    )
    return render(
        request,
        "plans/projects/list.html",
        {"list_content": content, "breadcrumbs": [plans_crumb(), ("事業", None)]},
    )


def _export_names(filterset, extension):
    """(ASCII file name, Japanese file name) such as projects-2026.csv / 事業一覧_令和8年度.csv."""
    plan = filterset.form.cleaned_data.get("plan") if filterset.is_valid() else None
    if plan is None:
        return f"projects-all.{extension}", f"事業一覧.{extension}"
    fy = FiscalYear(plan.fiscal_year)
    return f"projects-{plan.fiscal_year}.{extension}", f"事業一覧_{fy.era_label}.{extension}"


def _export_projects(request):
    filterset, _ = _filtered(request)
    projects = list(filterset.qs) if filterset.is_valid() else []
    return filterset, projects


@require_perm("plans.export_projects", "事業の一覧は職員が出力できます。")
def project_export_csv(request):
    filterset, projects = _export_projects(request)
    encoding = csv_encoding(request)
    try:
        content = imports.export_csv(projects, encoding=encoding)
    except tabular.UnencodableError as error:
        return unencodable_response(
            request,
            error,
            subject="事業",
            key_label="事業コード",
            advice="UTF-8のCSV（Excel 2016以降で開けます）又はExcel形式で出力するか、"
            "事業の文字を直してから出力し直してください。",
            links=[
                Link("CSV出力（UTF-8）", reverse("plans:project_export_csv")),
                Link(
                    "Excel出力", reverse("plans:project_export_xlsx"), "btn btn-outline-secondary"
                ),
                Link("事業一覧に戻る", reverse("plans:project_list"), "btn btn-link"),
            ],
            breadcrumbs=[plans_crumb(), _list_crumb(), ("CSV出力", None)],
        )
    record_event(
        "export", request=request, what="projects", rows=len(projects), format=f"csv-{encoding}"
    )
    filename, filename_ja = _export_names(filterset, "csv")
    return csv_download(
        content,
        encoding=encoding,
        filename=filename,
        filename_ja=filename_ja,
    )


@require_perm("plans.export_projects", "事業の一覧は職員が出力できます。")
def project_export_xlsx(request):
    filterset, projects = _export_projects(request)
    content = imports.export_xlsx(projects)
    record_event("export", request=request, what="projects", rows=len(projects), format="xlsx")
    filename, filename_ja = _export_names(filterset, "xlsx")
    return xlsx_download(
        content,
        filename=filename,
        filename_ja=filename_ja,
    )


# ---------------------------------------------------------------------------------------------
# Import: upload → preview (every row checked) → confirm (checked again, written at once)


def _import_crumbs(*tail):
    return [
        plans_crumb(),
        _list_crumb(),
        ("取込み", reverse("plans:project_import") if tail else None),
        *tail,
    ]


@require_perm("plans.import_projects", IMPORT_REFUSAL)
def project_import(request):
    """Upload a file: it is stored as an import job and checked by the worker; the job's page
    (core/imports.py) follows its progress, shows every bad row and takes the confirmation."""
    initial = {}
    current = plans_for(request.user).filter(fiscal_year=FiscalYear.current().year).first()
    if current is not None and current.stage != Stage.CLOSED:
        initial["plan"] = current.pk
    form = ImportForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        plan = project_imports.import_plan(request.user, form.cleaned_data["plan"].pk)
        try:
            job = core_imports.import_request(
                kind=project_imports.KIND,
                params={"plan": plan.pk},
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except tabular.ImportRefused as error:
            form.add_error("file", str(error))
        else:
            return redirect("imports:detail", pk=job.pk)
    return render(
        request,
        "plans/projects/import.html",
        {
            "form": form,
            "import_jobs": core_imports.recent_jobs(request.user, kind=project_imports.KIND),
            "breadcrumbs": _import_crumbs(),
        },
    )


# ---------------------------------------------------------------------------------------------
# Create, detail, edit, delete, history


def _save_project(request, form, formsets):
    """Save the project and its rows in one transaction. Returns the project, or None after
    putting the reason on the form (and, for a concurrent save, the conflict context)."""

    @transaction.atomic
    def save():
        project = services.project_save(
            project=form.instance,
            by=request.user,
            policies=form.cleaned_data["policies"],
            expected_version=form.cleaned_data["version"],
        )
        for formset in formsets.values():
            formset.instance = project
            formset.save()

    context = save_or_explain(request, form, save)
    return (form.instance, {}) if context is None else (None, context)


def _project_form_page(request, *, project, plan, template_context):
    """The create and edit pages: the project form and its milestones and indicators, saved in
    one transaction; a concurrent save is refused and shown (conflict page)."""
    data = request.POST if request.method == "POST" else None
    adding = next((p for p in ("milestones", "indicators") if f"add_{p}" in request.POST), None)
    if adding:
        data = add_formset_row(request.POST, adding)
    creating = project.pk is None
    form = ProjectForm(data, instance=project, plan=plan, user=request.user)
    formsets = project_formsets(data, instance=project)
    context = {}
    # Check every part, so that all the errors show at once.
    rows_valid = [formset.is_valid() for formset in formsets.values()]
    if data is not None and not adding and form.is_valid() and all(rows_valid):
        saved, context = _save_project(request, form, formsets)
        if saved is not None:
            verb = "登録" if creating else "保存"
            messages.success(request, f"事業「{saved}」を{verb}しました。")
            return redirect(saved)
    return render(
        request,
        "plans/projects/form.html",
        {"form": form, **formsets, "plan": plan, **template_context, **context},
    )


def _default_plan(user):
    """The plan a new project goes to when none was chosen: this fiscal year's, else the newest
    that is still open."""
    plans = plans_for(user).exclude(stage=Stage.CLOSED)
    return (
        plans.filter(fiscal_year=FiscalYear.current().year).first()
        or plans.order_by("-fiscal_year").first()
    )


def project_create(request):
    pk = request.GET.get("plan")
    if pk is None or not pk.isdigit():
        plan = _default_plan(request.user)
        if plan is None:
            messages.error(
                request, "事業を追加できる計画がありません。先に計画を作成してください。"
            )
            return redirect("plans:index")
        return redirect(f"{reverse('plans:project_create')}?plan={plan.pk}")
    plan = get_plan_for_user(
        request.user,
        int(pk),
        perm="plans.add_project",
        message="事業を追加できるのは推進部会の委員とワーキンググループのリーダーです（年度末評価の完了前まで）。",
    )
    return _project_form_page(
        request,
        project=Project(plan=plan),
        plan=plan,
        template_context={
            "breadcrumbs": [plans_crumb(), _list_crumb(plan), ("事業の登録", None)],
        },
    )


def project_detail(request, pk):
    # Only what the rules and the page's head read: the body usually comes from the cache (on
    # a miss, its template loads the other relations it shows).
    project = get_project_for_user(request.user, pk, related=PROJECT_RULES_RELATED)
    user = request.user

    def content():
        return {
            "project": project,
            "policies": project.policies.all(),
            "milestones": project.milestones.all(),
            "indicators": project.indicators.all(),
            "proposal": (
                Proposal._base_manager.filter(project=project).select_related("proposer").first()
            ),
            "history": history_entries(project, limit=5),
            # Rendered without the request: the progress table reads the reader's permissions
            # (all three of which are in the key) through these.
            "user": user,
            "perms": PermWrapper(user),
        }

    # The page's body (outline, schedule, indicators, progress reports, voices, history) is
    # the same for everyone who may follow and file the project's progress alike: its HTML is
    # kept in the shared cache until the data generation moves (every save of the project,
    # its reports and its voices) or the day changes.
    body = render_shared(
        "project-detail",
        (
            project.pk,
            project.version,
            user.has_perm("plans.view_progress"),
            user_may(user, "plans.view_progress", project),
            user_may(user, "plans.file_report", project),
        ),
        "plans/projects/_detail_content.html",
        content,
        scope=office_scope_of(user),
    )
    return render(
        request,
        "plans/projects/detail.html",
        {
            "project": project,
            "detail_content": body,
            "can_edit": user.has_perm("plans.change_project", project),
            "can_delete": user.has_perm("plans.delete_project", project),
            "breadcrumbs": _project_crumbs(project),
        },
    )


def project_edit(request, pk):
    project = get_project_for_user(
        request.user, pk, perm="plans.change_project", message=EDIT_REFUSAL
    )
    return _project_form_page(
        request,
        project=project,
        plan=project.plan,
        template_context={
            "project": project,
            "breadcrumbs": _project_crumbs(project, ("編集", None)),
        },
    )


def project_delete(request, pk):
    project = get_project_for_user(
        request.user, pk, perm="plans.delete_project", message=DELETE_REFUSAL
    )
    if request.method == "POST":
        name = str(project)
        plan = project.plan
        services.project_delete(project=project, by=request.user)
        messages.success(request, f"事業「{name}」を削除しました。")
        return redirect(f"{reverse('plans:project_list')}?plan={plan.pk}")
    return render(
        request,
        "plans/projects/confirm_delete.html",
        {"project": project, "breadcrumbs": _project_crumbs(project, ("削除", None))},
    )


def project_history(request, pk):
    project = get_project_for_user(request.user, pk)
    return render_history(
        request, project, breadcrumbs=_project_crumbs(project, ("変更履歴", None))
    )


urlpatterns = [
    path("projects/", project_list, name="project_list"),
    path("projects/export.csv", project_export_csv, name="project_export_csv"),
    path("projects/export.xlsx", project_export_xlsx, name="project_export_xlsx"),
    path("projects/import/", project_import, name="project_import"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/<int:pk>/", project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", project_delete, name="project_delete"),
    path("projects/<int:pk>/history/", project_history, name="project_history"),
]
