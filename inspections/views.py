"""Pages of barrier-free inspections. Every object is loaded through inspections.access."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from feedback.access import voices_for, windows_for
from feedback.models import ResidentVoice
from takatsu_portal.accounts.permissions import check_perm, require_perm, user_may
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core.editing import create_or_explain, run_step, save_or_explain
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.history import history_entries, render_history

from . import services, summary
from .access import (
    LOCATION_REFUSALS,
    buildings_for,
    findings_for,
    floors_for,
    get_finding_for_user,
    get_inspection_for_user,
    get_location_for_user,
    get_photo_for_user,
    get_template_for_user,
    inspections_for,
    places_for,
)
from .forms import (
    AnswerForm,
    BuildingForm,
    CorrectionForm,
    FindingFilterForm,
    FindingForm,
    FloorForm,
    InspectionForm,
    ItemAddForm,
    ItemForm,
    LocationStepForm,
    PlaceFilterForm,
    PlaceForm,
    ProposeForm,
    RecheckForm,
    SummaryForm,
    TeamMemberForm,
    TemplateCreateForm,
    TemplateForm,
    TemplateStepForm,
    VoiceLinkForm,
)
from .models import ChecklistItem, ChecklistTemplate, Finding, Floor, Photo

PER_PAGE = 20
VIEW_REFUSAL = "バリアフリー点検は職員が閲覧できます。"


def _crumb():
    return ("バリアフリー点検", reverse("inspections:index"))


# ---------------------------------------------------------------------------------------------
# Inspections


@require_perm("portal.view_inspections", VIEW_REFUSAL)
def index(request):
    inspections = (
        inspections_for(request.user)
        .order_by("-inspected_on", "-id")
        .annotate(
            finding_count=Count("findings", distinct=True),
            open_count=Count(
                "findings", filter=~Q(findings__state=Finding.State.CLOSED), distinct=True
            ),
        )
    )
    page = Paginator(inspections, PER_PAGE).get_page(request.GET.get("page"))
    overdue = findings_for(request.user).overdue().count()
    return render(
        request,
        "inspections/index.html",
        {
            "page_obj": page,
            "overdue": overdue,
            "may_add": user_may(request.user, "inspections.add_inspection"),
            "breadcrumbs": [("バリアフリー点検", None)],
        },
    )


@require_perm("inspections.add_inspection", "点検を計画できるのは推進部会の委員と課長です。")
def inspection_create(request):
    if request.user.office is None:
        messages.error(request, "所属課が設定されていないため、点検を計画できません。")
        return redirect("inspections:index")
    form = InspectionForm(
        request.POST or None,
        user=request.user,
        places=places_for(request.user),
        initial={"inspected_on": today(), "section": None},
    )
    created = []

    def create(data):
        created.append(
            services.inspection_create(
                office=request.user.office,
                by=request.user,
                title=data["title"],
                inspected_on=data["inspected_on"],
                template=data["template"],
                places=list(data["places"]),
                section=data["section"],
                notes=data["notes"],
            )
        )
        return created[0]

    if request.method == "POST" and run_step(
        request,
        form,
        create,
        success=lambda inspection: (
            f"点検「{inspection.title}」を計画しました。チームを登録してください。"
        ),
    ):
        return redirect(created[0])
    return render(
        request,
        "inspections/inspection_form.html",
        {"form": form, "breadcrumbs": [_crumb(), ("点検を計画する", None)]},
        status=400 if form.is_bound else 200,
    )


def _place_progress(inspection):
    """Each place of the inspection with its items and how many are answered (three queries)."""
    places = list(inspection.places.with_location())
    items = list(inspection.template_version.items.all())
    answered = {}
    for place_id, item_id in inspection.answers.values_list("place_id", "item_id"):
        answered.setdefault(place_id, set()).add(item_id)
    rows = []
    for place in places:
        own = [item for item in items if item.applies_to(place)]
        done = answered.get(place.pk, set())
        rows.append(
            {"place": place, "total": len(own), "done": sum(1 for i in own if i.pk in done)}
        )
    return rows


def inspection_detail(request, pk):
    inspection = get_inspection_for_user(request.user, pk)
    team = inspection.team.select_related("user", "user__section")
    findings = inspection.findings.for_list()
    may_change = user_may(request.user, "inspections.change_inspection", inspection)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "places": _place_progress(inspection),
            "team": team,
            "findings": findings,
            "may_change": may_change and inspection.state != inspection.State.DONE,
            "may_walk": user_may(request.user, "inspections.record_answer", inspection),
            "team_form": TeamMemberForm(user=request.user) if may_change else None,
            "history": history_entries(inspection, limit=5),
            "breadcrumbs": [_crumb(), (inspection.title, None)],
        },
    )


def inspection_edit(request, pk):
    inspection = get_inspection_for_user(
        request.user,
        pk,
        perm="inspections.change_inspection",
        message="点検を変更できるのは実施する推進部会の委員・課長です。",
    )
    form = InspectionForm(
        request.POST or None,
        instance=inspection,
        user=request.user,
        places=places_for(request.user),
    )
    context = {}
    if request.method == "POST" and form.is_valid():
        context = save_or_explain(
            request,
            form,
            lambda: services.inspection_update(
                inspection=form.instance,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                title=form.cleaned_data["title"],
                inspected_on=form.cleaned_data["inspected_on"],
                places=list(form.cleaned_data["places"]),
                notes=form.cleaned_data["notes"],
            ),
        )
        if context is None:
            messages.success(request, "点検を変更しました。")
            return redirect(inspection)
    return render(
        request,
        "inspections/inspection_form.html",
        {
            "form": form,
            "inspection": inspection,
            **context,
            "breadcrumbs": [
                _crumb(),
                (inspection.title, inspection.get_absolute_url()),
                ("変更", None),
            ],
        },
        status=400 if form.is_bound else 200,
    )


def inspection_history(request, pk):
    inspection = get_inspection_for_user(request.user, pk)
    return render_history(
        request,
        inspection,
        breadcrumbs=[
            _crumb(),
            (inspection.title, inspection.get_absolute_url()),
            ("変更履歴", None),
        ],
    )


@require_POST
def team_add(request, pk):
    inspection = get_inspection_for_user(
        request.user,
        pk,
        perm="inspections.change_inspection",
        message="点検チームを変更できるのは実施する推進部会の委員・課長です。",
    )
    form = TeamMemberForm(request.POST, user=request.user)
    if run_step(
        request,
        form,
        lambda data: services.team_member_add(inspection=inspection, by=request.user, **data),
        success="点検チームに加えました。",
    ):
        return redirect(inspection)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "places": _place_progress(inspection),
            "team": inspection.team.select_related("user", "user__section"),
            "findings": inspection.findings.for_list(),
            "may_change": True,
            "may_walk": user_may(request.user, "inspections.record_answer", inspection),
            "team_form": form,
            "history": history_entries(inspection, limit=5),
            "breadcrumbs": [_crumb(), (inspection.title, None)],
        },
        status=400,
    )


@require_POST
def inspection_finish(request, pk):
    inspection = get_inspection_for_user(
        request.user,
        pk,
        perm="inspections.change_inspection",
        message="点検を完了にできるのは実施する推進部会の委員・課長です。",
    )
    form = ProposeForm(request.POST)
    if run_step(
        request,
        form,
        lambda data: services.inspection_finish(
            inspection=inspection, by=request.user, expected_version=data["version"]
        ),
        success="点検を完了にしました。回答は変更できなくなります。",
    ):
        return redirect(inspection)
    messages.error(request, "画面を読み込み直してから、もう一度操作してください。")
    return redirect(inspection)


# ---------------------------------------------------------------------------------------------
# The walk: one item after another per place


def _walk_state(inspection, place, items, position):
    answers = {
        a.item_id: a for a in inspection.answers.filter(place=place).prefetch_related("photos")
    }
    position = max(0, min(position, len(items) - 1)) if items else 0
    item = items[position] if items else None
    return {
        "place": place,
        "items": [(index, i, answers.get(i.pk)) for index, i in enumerate(items)],
        "item": item,
        "answer": answers.get(item.pk) if item else None,
        "answer_value": (
            item.format_value(answers[item.pk].value)
            if item and item.pk in answers and answers[item.pk].value is not None
            else ""
        ),
        "position": position,
        "count": len(items),
        "answered": len(answers),
        "next_position": position + 1 if position + 1 < len(items) else None,
        "previous_position": position - 1 if position > 0 else None,
    }


def walk(request, pk):
    inspection = get_inspection_for_user(
        request.user,
        pk,
        perm="inspections.record_answer",
        message="回答を記録できるのは点検チームの職員です（完了した点検は変更できません）。",
    )
    places = list(inspection.places.with_location())
    if not places:
        messages.error(request, "この点検には場所がありません。")
        return redirect(inspection)
    try:
        place_id = int(request.GET.get("place") or request.POST.get("place") or places[0].pk)
        position = int(request.GET.get("item") or request.POST.get("item") or 0)
    except ValueError:
        place_id, position = places[0].pk, 0
    place = next((p for p in places if p.pk == place_id), places[0])
    items = [i for i in inspection.template_version.items.all() if i.applies_to(place)]
    state = _walk_state(inspection, place, items, position)
    form = AnswerForm()
    status = 200
    if request.method == "POST" and state["item"] is not None:
        form = AnswerForm(request.POST, request.FILES)
        item = state["item"]

        def record(data):
            value = None
            if item.is_measure and data["rating"] != "na":
                value = services.parse_measure(data["value"], item=item)
            return services.answer_record(
                inspection=inspection,
                place=place,
                item=item,
                by=request.user,
                rating=data["rating"] or None,
                value=value,
                note=data["note"],
                severity=data["severity"] or None,
                photo=data["photo"],
            )

        step = run_step(request, form, record, success=None)
        if step:
            if step.done:  # answer_record has no version to conflict on
                answer = step.result
                label = answer.get_rating_display()
                if item.is_measure and answer.value is not None:
                    label = f"{item.format_value(answer.value)}：{label}"
                saved = f"{item.code}「{item.text}」を保存しました（{label}）。"
                nxt = state["next_position"]
                if request.POST.get("stay") or nxt is None:
                    nxt = state["position"]
                walk_url = reverse("inspections:walk", args=[inspection.pk])
                url = f"{walk_url}?place={place.pk}&item={nxt}"
                if not request.htmx:
                    messages.success(request, saved)
                    return redirect(url)
                state = _walk_state(inspection, place, items, nxt)
                form = AnswerForm()
                state["saved"] = saved
        else:
            status = 400
    template = "inspections/walk.html"
    if request.htmx:
        template += "#panel"
        # htmx swaps only a successful response: the item comes back with its errors as 200
        # (a plain POST gets 400).
        status = 200
    return render(
        request,
        template,
        {
            "inspection": inspection,
            "places": places,
            "form": form,
            **state,
            "breadcrumbs": [
                _crumb(),
                (inspection.title, inspection.get_absolute_url()),
                ("点検の記録", None),
            ],
        },
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# Places and checklists


TEMPLATE_REFUSAL = "チェックリストを変更できるのは推進部会の委員です。"
LOCATION_NAMES = {"building": "建物", "floor": "階", "place": "点検場所"}


def _place_crumbs(*rest):
    return [_crumb(), ("点検場所", reverse("inspections:place_list")), *rest]


@require_perm("portal.view_inspections", VIEW_REFUSAL)
def place_list(request):
    form = PlaceFilterForm(request.GET or None)
    places = places_for(request.user)
    show_retired = form.is_valid() and form.cleaned_data["retired"]
    if not show_retired:
        places = places.in_use()
    page = Paginator(places, 50).get_page(request.GET.get("page"))
    for place in page.object_list:
        place.may_keep = user_may(request.user, "inspections.keep_location", place)
    return render(
        request,
        "inspections/place_list.html",
        {
            "form": form,
            "page_obj": page,
            "show_retired": show_retired,
            "may_manage": user_may(request.user, "inspections.manage_places"),
            "breadcrumbs": [_crumb(), ("点検場所", None)],
        },
    )


@require_perm("portal.view_inspections", VIEW_REFUSAL)
def building_list(request):
    buildings = buildings_for(request.user).prefetch_related(
        Prefetch("floors", queryset=Floor.objects.annotate(place_count=Count("places")))
    )
    page = Paginator(buildings, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/building_list.html",
        {
            "page_obj": page,
            "may_manage": user_may(request.user, "inspections.manage_buildings"),
            "breadcrumbs": _place_crumbs(("建物と階", None)),
        },
    )


def _location_form(request, kind, instance=None):
    user = request.user
    data = request.POST or None
    if kind == "building":
        return BuildingForm(data, instance=instance, user=user)
    if kind == "floor":
        initial = {}
        if instance is None and request.GET.get("building", "").isdigit():
            initial["building"] = int(request.GET["building"])
        return FloorForm(data, instance=instance, buildings=buildings_for(user), initial=initial)
    initial = {}
    if instance is None and request.GET.get("floor", "").isdigit():
        initial["floor"] = int(request.GET["floor"])
    return PlaceForm(
        data,
        instance=instance,
        user=user,
        floors=floors_for(user),
        windows=windows_for(user),
        initial=initial,
    )


def _back_to(kind, location=None):
    if kind == "place":
        return reverse("inspections:place_list") + (f"#place-{location.pk}" if location else "")
    url = reverse("inspections:building_list")
    if location is not None:
        url += f"#{kind}-{location.pk}"
    return url


def location_create(request, kind):
    if kind == "place":
        check_perm(request.user, "inspections.manage_places", message=LOCATION_REFUSALS[kind])
    else:
        check_perm(request.user, "inspections.manage_buildings", message=LOCATION_REFUSALS[kind])
    scope = office_scope_of(request.user)
    if scope.is_empty:
        raise PermissionDenied("所属課が設定されていないため、点検場所を登録できません。")
    form = _location_form(request, kind)
    noun = LOCATION_NAMES[kind]
    context = {}
    if request.method == "POST" and form.is_valid():
        location = form.save(commit=False)
        if kind == "building" and "office" not in form.fields:
            location.office = scope.office
        context = save_or_explain(
            request, form, lambda: services.location_save(location=location, by=request.user)
        )
        if context is None:
            messages.success(request, f"{noun}「{location.name}」を登録しました。")
            return redirect(_back_to(kind, location))
    return render(
        request,
        "inspections/location_form.html",
        {
            "form": form,
            "kind": kind,
            "noun": noun,
            "back": _back_to(kind),
            **(context or {}),
            "breadcrumbs": _place_crumbs((f"{noun}を登録する", None)),
        },
        # A form sent back with its errors (the field's, or the service's refusal) is a 400.
        status=400 if form.is_bound else 200,
    )


def location_edit(request, kind, pk):
    location = get_location_for_user(request.user, kind, pk)
    form = _location_form(request, kind, instance=location)
    noun = LOCATION_NAMES[kind]
    context = {}
    if request.method == "POST" and form.is_valid():
        context = save_or_explain(
            request,
            form,
            lambda: services.location_save(
                location=form.instance,
                by=request.user,
                expected_version=form.cleaned_data["version"],
            ),
        )
        if context is None:
            messages.success(request, f"{noun}「{location.name}」を変更しました。")
            return redirect(_back_to(kind, location))
    location.refresh_from_db()
    return render(
        request,
        "inspections/location_form.html",
        {
            "form": form,
            "kind": kind,
            "noun": noun,
            "location": location,
            "in_use": location.is_in_use(),
            "step_form": LocationStepForm(initial={"version": location.version}),
            "history": history_entries(location, limit=5),
            "back": _back_to(kind, location),
            **(context or {}),
            "breadcrumbs": _place_crumbs((f"{noun}「{location.name}」", None)),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def location_retire(request, kind, pk):
    location = get_location_for_user(request.user, kind, pk)
    form = LocationStepForm(request.POST)
    retire = request.POST.get("action") != "restore"
    noun = LOCATION_NAMES[kind]
    done = run_step(
        request,
        form,
        lambda data: services.location_retire(
            location=location, by=request.user, expected_version=data["version"], retire=retire
        ),
        success=(
            f"{noun}「{location.name}」を廃止しました。新しい点検では選べなくなります（これまでの記録は残ります）。"
            if retire
            else f"{noun}「{location.name}」の使用を再開しました。"
        ),
    )
    if not done:
        _step_refused(request, form)
    return redirect("inspections:location_edit", kind=kind, pk=location.pk)


def location_delete(request, kind, pk):
    location = get_location_for_user(request.user, kind, pk)
    noun = LOCATION_NAMES[kind]
    form = LocationStepForm(request.POST or None, initial={"version": location.version})
    if request.method == "POST":
        name = location.name
        if run_step(
            request,
            form,
            lambda data: services.location_delete(
                location=location, by=request.user, expected_version=data["version"]
            ),
            success=f"{noun}「{name}」を削除しました。",
        ):
            if location.pk is None:
                return redirect(_back_to(kind))
            return redirect("inspections:location_edit", kind=kind, pk=location.pk)
    return render(
        request,
        "inspections/location_delete.html",
        {
            "form": form,
            "kind": kind,
            "noun": noun,
            "location": location,
            "in_use": location.is_in_use(),
            "breadcrumbs": _place_crumbs(
                (
                    f"{noun}「{location.name}」",
                    reverse("inspections:location_edit", args=[kind, location.pk]),
                ),
                ("削除", None),
            ),
        },
        status=400 if form.errors else 200,
    )


def location_history(request, kind, pk):
    location = get_location_for_user(
        request.user, kind, pk, perm="portal.view_inspections", message=VIEW_REFUSAL
    )
    return render_history(
        request,
        location,
        breadcrumbs=_place_crumbs((f"{location}", None), ("変更履歴", None)),
    )


@require_perm("portal.view_inspections", VIEW_REFUSAL)
def template_list(request):
    # Ordered explicitly: a grouped query does not take Meta.ordering, and pages of an unordered
    # list may repeat or skip a checklist.
    templates = ChecklistTemplate.objects.annotate(version_count=Count("versions")).order_by(
        "name", "pk"
    )
    page = Paginator(templates, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/template_list.html",
        {
            "page_obj": page,
            "may_change": user_may(request.user, "inspections.change_template"),
            "breadcrumbs": [_crumb(), ("チェックリスト", None)],
        },
    )


def _template_crumbs(template=None, *rest):
    crumbs = [_crumb(), ("チェックリスト", reverse("inspections:template_list"))]
    if template is not None:
        crumbs.append((template.name, template.get_absolute_url()))
    return [*crumbs, *rest]


def template_detail(request, pk):
    template = get_template_for_user(request.user, pk)
    versions = list(
        template.versions.select_related("created_by")
        .annotate(used=Count("inspections"))
        .order_by("-number")
    )
    if not versions:
        raise PermissionDenied("このチェックリストには版がありません。")
    try:
        wanted = int(request.GET.get("version") or versions[0].number)
    except ValueError:
        wanted = versions[0].number
    version = next((v for v in versions if v.number == wanted), versions[0])
    is_current = version.pk == versions[0].pk
    items = list(version.items.all())
    groups = []
    for barrier, label in Finding._meta.get_field("barrier").choices:
        rows = [i for i in items if i.barrier == barrier]
        if rows:
            groups.append({"barrier": barrier, "label": label, "items": rows})
    may_change = user_may(request.user, "inspections.change_template", template)
    return render(
        request,
        "inspections/template_detail.html",
        {
            "template": template,
            "versions": versions,
            "version": version,
            "is_current": is_current,
            "groups": groups,
            "item_count": len(items),
            "used_by": inspections_for(request.user).filter(template_version=version)[:50],
            "may_change": may_change,
            "may_edit_items": may_change and is_current,
            "step_form": TemplateStepForm(initial={"version": template.version}),
            "breadcrumbs": _template_crumbs(None, (template.name, None)),
        },
    )


@require_perm("inspections.change_template", TEMPLATE_REFUSAL)
def template_create(request):
    form = TemplateCreateForm(request.POST or None, initial=_copy_initial(request))
    created = []

    def create(data):
        created.append(
            services.template_create(
                by=request.user,
                name=data["name"],
                description=data["description"],
                copy_from=data["copy_from"],
            )
        )
        return created[0]

    if request.method == "POST" and run_step(
        request,
        form,
        create,
        success=lambda template: f"チェックリスト「{template.name}」を作成しました。",
    ):
        return redirect(created[0])
    return render(
        request,
        "inspections/template_form.html",
        {"form": form, "breadcrumbs": _template_crumbs(None, ("新しいチェックリスト", None))},
        status=400 if form.is_bound else 200,
    )


def _copy_initial(request):
    wanted = request.GET.get("copy", "")
    return {"copy_from": int(wanted)} if wanted.isdigit() else {}


def template_edit(request, pk):
    template = get_template_for_user(
        request.user, pk, perm="inspections.change_template", message=TEMPLATE_REFUSAL
    )
    form = TemplateForm(request.POST or None, instance=template)
    context = {}
    if request.method == "POST" and form.is_valid():
        context = save_or_explain(
            request,
            form,
            lambda: services.template_update(
                template=form.instance,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            ),
        )
        if context is None:
            messages.success(request, "チェックリストの名前・説明を変更しました。")
            return redirect(template)
    template.refresh_from_db()
    return render(
        request,
        "inspections/template_form.html",
        {
            "form": form,
            "template": template,
            **(context or {}),
            "breadcrumbs": _template_crumbs(template, ("名前・説明の変更", None)),
        },
        status=400 if form.is_bound else 200,
    )


def template_history(request, pk):
    template = get_template_for_user(request.user, pk)
    return render_history(
        request, template, breadcrumbs=_template_crumbs(template, ("変更履歴", None))
    )


def _get_item(request, pk, *, perm="inspections.change_template", message=TEMPLATE_REFUSAL):
    item = get_object_or_404(ChecklistItem.objects.select_related("version__template"), pk=pk)
    get_template_for_user(request.user, item.version.template_id, perm=perm, message=message)
    return item


def _item_saved_message(request, item, old_version_id, done):
    if item.version_id != old_version_id:
        messages.success(
            request,
            f"点検で使われている版のため、第{item.version.number}版を作成して{done}。"
            "使用中の点検の項目は変わりません。",
        )
    else:
        messages.success(request, f"{done}。")


def item_edit(request, pk):
    item = _get_item(request, pk)
    template = item.version.template
    form = ItemForm(request.POST or None, instance=item, template=template)
    context = {}
    in_use = item.version.is_in_use()
    if request.method == "POST" and form.is_valid():
        changes = {f: getattr(form.instance, f) for f in ItemForm.Meta.fields}

        def save():
            fresh = ChecklistItem.objects.select_related("version__template").get(pk=item.pk)
            return services.item_revise(
                item=fresh,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                **changes,
            )

        new, context = create_or_explain(request, form, save)
        if context is None:
            _item_saved_message(request, new, item.version_id, f"項目 {new.code} を変更しました")
            return redirect(
                f"{template.get_absolute_url()}?version={new.version.number}#item-{new.pk}"
            )
    return render(
        request,
        "inspections/item_form.html",
        {
            "form": form,
            "item": item,
            "template": template,
            "in_use": in_use,
            **(context or {}),
            "breadcrumbs": _template_crumbs(template, (f"{item.code} の変更", None)),
        },
        status=400 if form.is_bound else 200,
    )


def item_add(request, pk):
    template = get_template_for_user(
        request.user, pk, perm="inspections.change_template", message=TEMPLATE_REFUSAL
    )
    current = template.current_version
    form = ItemAddForm(request.POST or None, template=template)
    context = {}
    if request.method == "POST" and form.is_valid():
        fields = {f: getattr(form.instance, f) for f in ItemForm.Meta.fields}

        def save():
            fresh = ChecklistTemplate.objects.get(pk=template.pk)
            return services.item_add(
                template=fresh,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                code=form.cleaned_data["code"],
                **fields,
            )

        new, context = create_or_explain(request, form, save)
        if context is None:
            _item_saved_message(
                request, new, current.pk if current else None, f"項目 {new.code} を追加しました"
            )
            return redirect(
                f"{template.get_absolute_url()}?version={new.version.number}#item-{new.pk}"
            )
    return render(
        request,
        "inspections/item_form.html",
        {
            "form": form,
            "template": template,
            "in_use": current is not None and current.is_in_use(),
            "current": current,
            **(context or {}),
            "breadcrumbs": _template_crumbs(template, ("項目の追加", None)),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def item_move(request, pk):
    item = _get_item(request, pk)
    template = item.version.template
    form = TemplateStepForm(request.POST)
    up = request.POST.get("direction") != "down"
    result = {}

    def move(data):
        result["item"] = services.item_move(
            item=item, by=request.user, expected_version=data["version"], up=up
        )
        return result["item"]

    if run_step(
        request,
        form,
        move,
        success=lambda moved: f"項目 {moved.code} を{'上' if up else '下'}へ移動しました。",
    ):
        moved = result.get("item", item)
        if moved.version_id != item.version_id:
            messages.info(
                request,
                f"点検で使われている版のため、第{moved.version.number}版を作成しました。"
                "使用中の点検の項目は変わりません。",
            )
        return redirect(f"{template.get_absolute_url()}#item-{moved.pk}")
    _step_refused(request, form)
    return redirect(f"{template.get_absolute_url()}#item-{item.pk}")


def _step_refused(request, form):
    """A one-button step that was refused: say why on the page it returns to."""
    reload = "画面を読み込み直してから、もう一度操作してください。"
    for error in form.non_field_errors() or [reload]:
        messages.error(request, error)


def item_remove(request, pk):
    item = _get_item(request, pk)
    template = item.version.template
    form = TemplateStepForm(request.POST or None, initial={"version": template.version})
    if request.method == "POST":
        result = {}

        def remove(data):
            result["version"] = services.item_remove(
                item=item, by=request.user, expected_version=data["version"]
            )
            return result["version"]

        if run_step(
            request,
            form,
            remove,
            success=lambda version: (
                f"項目 {item.code} を削除しました"
                + (
                    f"（点検で使われている版のため、第{version.number}版を作成しました。使用中の点検の項目は変わりません）。"
                    if version.pk != item.version_id
                    else "。"
                )
            ),
        ):
            return redirect(template)
    return render(
        request,
        "inspections/item_remove.html",
        {
            "form": form,
            "item": item,
            "template": template,
            "in_use": item.version.is_in_use(),
            "breadcrumbs": _template_crumbs(template, (f"{item.code} の削除", None)),
        },
        status=400 if form.errors else 200,
    )


def item_history(request, pk):
    item = _get_item(request, pk, perm="portal.view_inspections", message=VIEW_REFUSAL)
    template = item.version.template
    return render_history(
        request,
        item,
        breadcrumbs=_template_crumbs(
            template, (f"{item.code}（第{item.version.number}版）の変更履歴", None)
        ),
    )


# ---------------------------------------------------------------------------------------------
# Findings


@require_perm("portal.view_inspections", VIEW_REFUSAL)
def finding_list(request):
    form = FindingFilterForm(request.GET or None, user=request.user)
    findings = findings_for(request.user).select_related("inspection")
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            findings = findings.filter(state=data["state"])
        if data["barrier"]:
            findings = findings.filter(barrier=data["barrier"])
        if data["section"]:
            findings = findings.filter(section=data["section"])
        if data["overdue"]:
            findings = findings.overdue()
    page = Paginator(findings, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/finding_list.html",
        {
            "form": form,
            "page_obj": page,
            "today": today(),
            "breadcrumbs": [_crumb(), ("指摘事項", None)],
        },
    )


def _finding_context(request, finding, **forms):
    user = request.user
    # The finding's photos and those of its answer (the finding's related managers).
    photos = list((finding.photos.all() | finding.answer.photos.all()).order_by("uploaded_at"))
    may = {
        name: user_may(user, f"inspections.{name}", finding)
        for name in (
            "change_finding",
            "correct_finding",
            "propose_finding",
            "recheck_finding",
            "link_voices",
        )
    }
    voices = finding.voices.all()
    context = {
        "finding": finding,
        "photos": photos,
        "before": [p for p in photos if p.stage == Photo.Stage.BEFORE],
        "after": [p for p in photos if p.stage != Photo.Stage.BEFORE],
        "rechecks": finding.rechecks.select_related("checked_by", "inspection"),
        "voices": voices,
        "may": may,
        "history": history_entries(finding, limit=5),
        "today": today(),
        "breadcrumbs": [
            _crumb(),
            ("指摘事項", reverse("inspections:finding_list")),
            (str(finding), None),
        ],
    }
    version = finding.version
    if may["change_finding"]:
        context["edit_form"] = forms.get("edit_form") or FindingForm(instance=finding, user=user)
    if may["correct_finding"]:
        context["correct_form"] = forms.get("correct_form") or CorrectionForm(
            initial={"version": version, "corrected_on": today()}
        )
    if may["propose_finding"]:
        context["propose_form"] = ProposeForm(initial={"version": version})
        context["proposal_plan"] = services.plan_for_proposal(finding.inspection.office)
    if may["recheck_finding"]:
        context["recheck_form"] = forms.get("recheck_form") or RecheckForm(
            initial={"version": version, "checked_on": today()}
        )
    if may["link_voices"]:
        context["voice_form"] = forms.get("voice_form") or VoiceLinkForm(
            initial={"voices": voices}, voices=_linkable_voices(user)
        )
    return context


def _linkable_voices(user):
    return (
        voices_for(user)
        .filter(category=ResidentVoice.Category.ACCESSIBILITY)
        .order_by("-received_on", "-id")
    )


def finding_detail(request, pk):
    finding = get_finding_for_user(request.user, pk)
    return render(request, "inspections/finding_detail.html", _finding_context(request, finding))


def finding_history(request, pk):
    finding = get_finding_for_user(request.user, pk)
    return render_history(
        request,
        finding,
        breadcrumbs=[
            _crumb(),
            ("指摘事項", reverse("inspections:finding_list")),
            (str(finding), finding.get_absolute_url()),
            ("変更履歴", None),
        ],
    )


def _finding_step(
    request,
    pk,
    *,
    perm,
    message,
    form_class,
    form_key,
    action,
    success,
    files=False,
    form_kwargs=None,
):
    finding = get_finding_for_user(request.user, pk, perm=perm, message=message)
    args = (request.POST, request.FILES) if files else (request.POST,)
    form = form_class(*args, **(form_kwargs(finding) if form_kwargs else {}))
    if run_step(request, form, lambda data: action(finding, data), success=success):
        return redirect(finding)
    return render(
        request,
        "inspections/finding_detail.html",
        _finding_context(request, finding, **{form_key: form}),
        status=400,
    )


@require_POST
def finding_edit(request, pk):
    return _finding_step(
        request,
        pk,
        perm="inspections.change_finding",
        message="指摘事項を変更できるのは担当課の課長と推進部会の委員です。",
        form_class=FindingForm,
        form_key="edit_form",
        form_kwargs=lambda f: {"instance": f, "user": request.user},
        action=lambda finding, data: services.finding_update(
            finding=finding,
            by=request.user,
            expected_version=data["version"],
            severity=data["severity"],
            section=data["section"],
            due_on=data["due_on"],
            description=data["description"],
        ),
        success="指摘事項を変更しました。",
    )


@require_POST
def finding_correct(request, pk):
    return _finding_step(
        request,
        pk,
        perm="inspections.correct_finding",
        message="是正を記録できるのは担当課の職員と推進部会の委員です（未対応の指摘事項のみ）。",
        form_class=CorrectionForm,
        form_key="correct_form",
        files=True,
        action=lambda finding, data: services.finding_correct(
            finding=finding,
            by=request.user,
            expected_version=data["version"],
            correction=data["correction"],
            corrected_on=data["corrected_on"],
            photo=data["photo"],
        ),
        success="是正を記録しました。再確認で是正を確かめると完了になります。",
    )


@require_POST
def finding_propose(request, pk):
    return _finding_step(
        request,
        pk,
        perm="inspections.propose_finding",
        message="事業企画案にできるのは担当課の課長と推進部会の委員です（未対応の指摘事項のみ）。",
        form_class=ProposeForm,
        form_key="propose_form",
        action=lambda finding, data: services.finding_propose(
            finding=finding, by=request.user, expected_version=data["version"]
        ),
        success=lambda proposal: (
            f"事業企画案「{proposal.title}」を提出しました。推進部会の委員にお知らせしました。"
        ),
    )


@require_POST
def finding_recheck(request, pk):
    return _finding_step(
        request,
        pk,
        perm="inspections.recheck_finding",
        message="再確認できるのは担当課の課長と推進部会の委員です（是正済み・提案済みの指摘事項のみ）。",
        form_class=RecheckForm,
        form_key="recheck_form",
        files=True,
        action=lambda finding, data: services.finding_recheck(
            finding=finding,
            by=request.user,
            expected_version=data["version"],
            confirmed=data["confirmed"],
            checked_on=data["checked_on"],
            note=data["note"],
            photo=data["photo"],
        ),
        success=lambda recheck: (
            "是正を確認し、指摘事項を完了にしました。"
            if recheck.confirmed
            else "再確認の結果を記録しました（未完了）。"
        ),
    )


@require_POST
def finding_voices(request, pk):
    return _finding_step(
        request,
        pk,
        perm="inspections.link_voices",
        message="区民の声を関連付けられるのは担当課の職員と推進部会の委員です。",
        form_class=VoiceLinkForm,
        form_key="voice_form",
        form_kwargs=lambda f: {"voices": _linkable_voices(request.user)},
        action=lambda finding, data: services.finding_link_voices(
            finding=finding, by=request.user, voices=list(data["voices"])
        ),
        success="関連する区民の声を保存しました。",
    )


def photo(request, pk):
    item = get_photo_for_user(request.user, pk)
    response = FileResponse(item.image.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# ---------------------------------------------------------------------------------------------
# Summary


@require_perm(
    "inspections.view_summary",
    "集計を見られるのは推進部会・課長・区企画調整会議の委員・管理者です。",
)
def summary_view(request):
    base = findings_for(request.user)
    years = summary.fiscal_years(base)
    form = SummaryForm(request.GET or None, years=years)
    year = None
    if form.is_valid() and form.cleaned_data.get("fiscal_year"):
        year = FiscalYear(form.cleaned_data["fiscal_year"])
    check_perm(request.user, "inspections.view_summary")
    return render(
        request,
        "inspections/summary.html",
        {
            "form": form,
            "fiscal_year": year,
            **summary.summary_context(base, year),
            "breadcrumbs": [_crumb(), ("集計", None)],
        },
    )
