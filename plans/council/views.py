"""The ward planning coordination council (区企画調整会議): meetings, their agenda items and
the council's decision on each, which moves the plan (services.agenda_item_decide).

The subcommittee and the council register meetings and agenda items; only council members
record decisions; every member of staff reads them.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import require_perm, user_may
from takatsu_portal.accounts.roles import roles_of
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core.editing import create_or_explain, run_step
from takatsu_portal.core.fiscal import today
from takatsu_portal.core.form_cache import crispy_shared
from takatsu_portal.core.history import history_entries
from takatsu_portal.core.shared_cache import render_shared, scope_part
from takatsu_portal.reports.models import ReportJob, ReportVersion

from ..access import (
    get_agenda_item_for_user,
    get_meeting_for_user,
    meetings_for,
    plans_for,
    proposals_for,
)
from ..models import AgendaItem, CouncilMeeting, Proposal, Stage
from . import services
from .forms import (
    SUBJECT_STAGE,
    AgendaDecisionForm,
    AgendaItemForm,
    MeetingForm,
    PresentReportForm,
    default_meeting_title,
)

PER_PAGE = 20
MEETING_REFUSAL = "会議を登録・編集できるのは推進部会・区企画調整会議の委員です。"
DECIDE_REFUSAL = "決定を記録できるのは区企画調整会議の委員です。"


def _crumbs(*tail):
    return [
        ("計画", reverse("plans:index")),
        ("区企画調整会議", reverse("plans:meeting_list")),
        *tail,
    ]


@require_perm("plans.view_meeting", "区企画調整会議の記録は職員が閲覧できます。")
def meeting_list(request):
    """Meetings newest first, with how many agenda items each has and how many are decided.
    `?waiting=1`: only the upcoming meetings with undecided items, soonest first — the list the
    council's home-page item counts (#10.9)."""
    pending = Q(items__decision=AgendaItem.Decision.PENDING)
    meetings = meetings_for(request.user).annotate(
        item_count=Count("items", distinct=True),
        decided_count=Count("items", filter=~pending, distinct=True),
        pending_count=Count("items", filter=pending, distinct=True),
    )
    waiting = request.GET.get("waiting") == "1"
    if waiting:
        meetings = meetings.filter(held_on__gte=today(), pending_count__gt=0).order_by(
            "held_on", "id"
        )
    else:
        meetings = meetings.order_by("-held_on", "-id")
    page = Paginator(meetings, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/council/list.html",
        {
            "page_obj": page,
            "waiting": waiting,
            "can_add": request.user.has_perm("plans.add_meeting"),
            "breadcrumbs": [("計画", reverse("plans:index")), ("区企画調整会議", None)],
        },
    )


@require_perm("plans.add_meeting", MEETING_REFUSAL)
def meeting_create(request):
    office = request.user.office
    if office is None:
        messages.error(request, "所属課が設定されていないため、会議を登録できません。")
        return redirect("plans:meeting_list")
    form = MeetingForm(
        request.POST or None,
        instance=CouncilMeeting(office=office),
        initial={"title": default_meeting_title(office)},
    )
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_save(meeting=form.save(commit=False), by=request.user)
        messages.success(request, f"「{meeting}」を登録しました。議題を追加してください。")
        return redirect(meeting)
    return render(
        request,
        "plans/council/meeting_form.html",
        {"form": form, "breadcrumbs": _crumbs(("会議の登録", None))},
    )


def meeting_edit(request, pk):
    meeting = get_meeting_for_user(
        request.user, pk, perm="plans.change_meeting", message=MEETING_REFUSAL
    )
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        services.meeting_save(meeting=form.save(commit=False), by=request.user)
        messages.success(request, "会議を保存しました。")
        return redirect(meeting)
    return render(
        request,
        "plans/council/meeting_form.html",
        {
            "form": form,
            "meeting": meeting,
            "breadcrumbs": _crumbs((meeting.title, meeting.get_absolute_url()), ("編集", None)),
        },
    )


def _agenda_item_form(user, data=None):
    """The form for a new agenda item: the office's plans that are still running and their
    proposals."""
    plans = plans_for(user).exclude(stage=Stage.CLOSED).order_by("-fiscal_year")
    proposals = (
        proposals_for(user)
        .filter(plan__in=plans)
        .select_related("plan")
        .order_by("-plan__fiscal_year", "-submitted_at", "-id")
    )
    return AgendaItemForm(
        data,
        plans=plans,
        proposals=proposals,
        report_versions=_report_versions(user),
        prefix="item",
    )


def _report_versions(user):
    """The finished report PDFs of the user's office that an item may present."""
    from takatsu_portal.reports.access import readable_kinds

    return (
        ReportVersion.objects.filter(
            job__in=ReportJob.objects.for_user(user).filter(kind__in=readable_kinds(user))
        )
        .select_related("job")
        .order_by("-created_at", "-id")
    )


def _meeting_context(
    request, meeting, *, decide_forms=None, present_forms=None, refusals=None, item_form=None
):
    """The meeting page: each item with its plan, proposals and decision; for council members
    a decision form on each undecided item, for those who may change the meeting a form to add
    an item. `decide_forms` and `refusals` (by item pk) carry a refused decision back."""
    decide_forms = decide_forms or {}
    present_forms = present_forms or {}
    refusals = refusals or {}
    user = request.user
    can_decide = user.has_perm("plans.decide_agenda_item")
    can_change = user.has_perm("plans.change_meeting", meeting)
    report_versions = list(_report_versions(user)) if can_change else []
    items = list(
        meeting.items.select_related("plan", "decided_by", "report_version").prefetch_related(
            Prefetch("proposals", queryset=Proposal.objects.order_by("submitted_at", "id"))
        )
    )
    fingerprints = {}  # one computation per plan, not one per item
    for item in items:
        item.plan_changed = (
            item.plan is not None
            and not item.is_decided
            and item.presented_version is not None
            and item.plan.version != item.presented_version
        )
        item.content_changed = not item.is_decided and services.agenda_item_content_changed(
            item, fingerprints=fingerprints
        )
        # Only the plan's and the projects' approval are refused on a changed plan.
        item.blocks_on_change = item.subject in SUBJECT_STAGE
        item.refusals = refusals.get(item.pk, [])
        item.decide_form = None
        # The report choice is drawn from one list for every item (one query, not one a form).
        item.can_present = can_change and not item.is_decided
        bound = present_forms.get(item.pk)
        item.present_errors = (
            [e for errors in bound.errors.values() for e in errors] if bound else []
        )
        if can_decide and not item.is_decided:
            item.decide_form = decide_forms.get(item.pk)
            if item.decide_form is None:
                # A blank decision form differs from another only by its prefix.
                item.decide_form = crispy_shared(
                    "agenda-decide",
                    (item.pk,),
                    lambda pk=item.pk: AgendaDecisionForm(prefix=f"decide-{pk}"),
                )
    item_form_html = None
    if can_change and item_form is None:
        # The blank form is the same for everyone with the same office scope and roles: its
        # HTML comes from the shared cache (no query for its plans, proposals and reports).
        item_form_html = crispy_shared(
            "agenda-item",
            (scope_part(user), sorted(roles_of(user)), user.is_superuser),
            lambda: _agenda_item_form(user),
        )
    return {
        "meeting": meeting,
        "items": items,
        "can_decide": can_decide,
        "can_change": can_change,
        "item_form": item_form if can_change else None,
        "item_form_html": item_form_html,
        "can_read_reports": user_may(user, "portal.view_reports"),
        "report_versions": report_versions,
        "history": history_entries(meeting, limit=5),
        "breadcrumbs": _crumbs((meeting.title, None)),
    }


def meeting_detail(request, pk):
    """The meeting page. Its body is the same for everyone of the office with the same
    permissions on it, so it is kept in the shared cache (core/shared_cache.py) until the
    office's data changes: agenda items and decisions (`attention.changed()` in the
    services), plans, projects and proposals (`save_versioned`), a stored report version
    (`attention.changed()` in reports/rendering.py). Its forms get this request's CSRF
    token."""
    meeting = get_meeting_for_user(request.user, pk)
    user = request.user
    parts = (
        meeting.pk,
        scope_part(user),
        sorted(roles_of(user)),
        user.is_superuser,
        user.has_perm("plans.decide_agenda_item"),
        user.has_perm("plans.change_meeting", meeting),
        user_may(user, "portal.view_reports"),
    )
    body = render_shared(
        "council-meeting",
        parts,
        "plans/council/_detail_body.html",
        lambda: _meeting_context(request, meeting),
        scope=office_scope_of(user),
        request=request,
    )
    return render(
        request,
        "plans/council/detail.html",
        {"meeting": meeting, "body": body, "breadcrumbs": _crumbs((meeting.title, None))},
    )


def agenda_item_create(request, pk):
    meeting = get_meeting_for_user(
        request.user,
        pk,
        perm="plans.change_meeting",
        message="議題を追加できるのは推進部会・区企画調整会議の委員です。",
    )
    form = _agenda_item_form(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        item, context = create_or_explain(
            request,
            form,
            lambda: services.agenda_item_add(
                meeting=meeting,
                by=request.user,
                title=form.cleaned_data["title"],
                subject=form.cleaned_data["subject"],
                plan=form.cleaned_data["plan"],
                proposals=form.cleaned_data["proposals"],
                report_version=form.cleaned_data["report_version"],
            ),
        )
        if context is None:
            if item.plan is not None:
                messages.success(
                    request,
                    f"議題「{item}」を追加しました（提示する計画の版：第{item.presented_version}版）。",
                )
            else:
                messages.success(request, f"議題「{item}」を追加しました。")
            return redirect(meeting)
    return render(
        request,
        "plans/council/item_form.html",
        {
            "form": form,
            "meeting": meeting,
            "breadcrumbs": _crumbs(
                (meeting.title, meeting.get_absolute_url()), ("議題の追加", None)
            ),
        },
    )


@require_POST
def agenda_item_decide(request, pk):
    """Record the council's decision. A refusal (the plan is at another stage, was changed
    after it was presented, the item is already decided) re-renders the meeting page with the
    reason at the item, status 400."""
    item = get_agenda_item_for_user(
        request.user, pk, perm="plans.decide_agenda_item", message=DECIDE_REFUSAL
    )
    meeting = item.meeting
    form = AgendaDecisionForm(request.POST, prefix=f"decide-{item.pk}")
    if run_step(
        request,
        form,
        lambda data: services.agenda_item_decide(
            item=item, by=request.user, decision=data["decision"], comment=data["comment"]
        ),
        success=lambda decided: (
            f"議題「{decided}」の決定「{decided.get_decision_display()}」を記録しました。"
        ),
    ):
        return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
    # The service's refusal (not on one of the form's fields) is shown at the item.
    refusals = {item.pk: form.non_field_errors()} if form.non_field_errors() else {}
    if item.is_decided and item.pk not in refusals:
        refusals[item.pk] = ["この議題の決定はすでに記録されています。"]
    messages.error(
        request, f"議題「{item}」の決定を記録できませんでした。理由は議題の欄を確認してください。"
    )
    context = _meeting_context(request, meeting, decide_forms={item.pk: form}, refusals=refusals)
    return render(request, "plans/council/detail.html", context, status=400)


def _presented(item):
    if item.report_version is None:
        return f"議題「{item}」の提示する報告書を外しました。"
    return f"議題「{item}」に報告書「{item.report_version.title}」を登録しました。"


@require_POST
def agenda_item_present(request, pk):
    """Set, replace or take off the report PDF presented for an undecided item."""
    item = get_agenda_item_for_user(
        request.user,
        pk,
        perm="plans.change_meeting",
        message="提示する報告書を登録できるのは推進部会・区企画調整会議の委員です。",
    )
    meeting = item.meeting
    form = PresentReportForm(
        request.POST, prefix=f"present-{item.pk}", report_versions=_report_versions(request.user)
    )
    if run_step(
        request,
        form,
        lambda data: services.agenda_item_present_report(
            item=item, by=request.user, report_version=data["report_version"]
        ),
        success=_presented,
    ):
        return redirect(f"{meeting.get_absolute_url()}#item-{item.pk}")
    messages.error(request, f"議題「{item}」に報告書を登録できませんでした。")
    context = _meeting_context(request, meeting, present_forms={item.pk: form})
    return render(request, "plans/council/detail.html", context, status=400)


urlpatterns = [
    path("council/", meeting_list, name="meeting_list"),
    path("council/new/", meeting_create, name="meeting_create"),
    path("council/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("council/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("council/<int:pk>/items/new/", agenda_item_create, name="agenda_item_create"),
    path("council/items/<int:pk>/decide/", agenda_item_decide, name="agenda_item_decide"),
    path("council/items/<int:pk>/report/", agenda_item_present, name="agenda_item_present"),
]
