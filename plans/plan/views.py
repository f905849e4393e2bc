"""The annual plan: list, create, edit, the stage machine, next year, budget, history."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import require_perm, user_may
from takatsu_portal.core.editing import create_or_explain, run_step, save_or_explain
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.history import history_entries, render_history

from .. import stages
from ..access import get_plan_for_user, plans_for
from ..models import STAGES, Proposal, Stage
from ..navigation import plans_crumb
from . import services
from .forms import DecisionForm, PlanForm

PLANS = ("計画", None)


@require_perm("plans.view_plan", "計画は職員が閲覧できます。")
def index(request):
    """All plans of the user's office, newest year first, with the current year's on top."""
    plans = plans_for(request.user).with_counts().order_by("-fiscal_year")
    page = Paginator(plans, 20).get_page(request.GET.get("page"))
    current_year = FiscalYear.current().year
    current = next((p for p in page.object_list if p.fiscal_year == current_year), None)
    if current is None:
        current = plans.filter(fiscal_year=current_year).first()
    return render(
        request,
        "plans/plan/index.html",
        {
            "page_obj": page,
            "current_plan": current,
            "current_days_to_due": current.days_to_due(today()) if current else None,
            "breadcrumbs": [PLANS],
        },
    )


@require_perm("plans.add_plan", "計画を作成できるのは推進部会の委員です。")
def plan_create(request):
    office = request.user.office
    if office is None:
        messages.error(request, "所属課が設定されていないため、計画を作成できません。")
        return redirect("plans:index")
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan, context = create_or_explain(
            request,
            form,
            lambda: services.plan_create(
                office=office,
                fiscal_year=form.cleaned_data["fiscal_year"],
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                by=request.user,
            ),
        )
        if context is None:
            messages.success(request, f"「{plan}」を作成しました。")
            return redirect(plan)
    return render(
        request,
        "plans/plan/form.html",
        {"form": form, "breadcrumbs": [plans_crumb(), ("計画の作成", None)]},
    )


def _decision_forms(request, plan):
    user = request.user
    can_advance = user_may(user, "plans.advance_plan", plan)
    can_send_back = user_may(user, "plans.send_back_plan", plan)
    initial = {"version": plan.version}
    return {
        "can_advance": can_advance,
        "can_send_back": can_send_back,
        "advance_form": DecisionForm(initial=initial, prefix="advance") if can_advance else None,
        "send_back_form": DecisionForm(initial=initial, prefix="back") if can_send_back else None,
    }


def _stage_steps(plan):
    index = plan.stage_index
    return [
        {
            "label": stage.label,
            "state": "done" if i < index else ("current" if i == index else "todo"),
        }
        for i, stage in enumerate(STAGES)
    ]


def _detail_context(request, plan):
    projects = plan.projects.aggregate(
        count=Count("id"),
        requested=Sum("budget_requested"),
        approved=Sum("budget_approved"),
    )
    proposals = plan.proposals.aggregate(
        open=Count(
            "id", filter=Q(status__in=[Proposal.Status.SUBMITTED, Proposal.Status.RETURNED])
        ),
        all=Count("id"),
    )
    next_stage = stages.next_stage(plan.stage)
    advance_role = stages.advance_role(plan.stage)
    return {
        "plan": plan,
        "steps": _stage_steps(plan),
        "days_to_due": plan.days_to_due(today()),
        "project_totals": projects,
        "proposal_counts": proposals,
        "decisions": plan.decisions.select_related("decided_by", "agenda_item__meeting"),
        "next_stage": next_stage,
        "next_label": stages.ADVANCE_LABEL.get(Stage(plan.stage)),
        "advance_role": advance_role,
        "history": history_entries(plan, limit=5),
        "can_edit": user_may(request.user, "plans.change_plan", plan),
        "can_delete": user_may(request.user, "plans.delete_plan", plan),
        "can_start_next_year": user_may(request.user, "plans.start_next_year", plan)
        and not plan.next_plans.exists(),
        "breadcrumbs": [plans_crumb(), (plan.fy.label, None)],
        **_decision_forms(request, plan),
    }


def plan_detail(request, pk):
    plan = get_plan_for_user(request.user, pk)
    return render(request, "plans/plan/detail.html", _detail_context(request, plan))


def plan_edit(request, pk):
    plan = get_plan_for_user(
        request.user,
        pk,
        perm="plans.change_plan",
        message="計画を編集できるのは推進部会の委員です（年度末評価の完了前まで）。",
    )
    form = PlanForm(request.POST or None, instance=plan)
    context = {}
    if request.method == "POST" and form.is_valid():
        context = save_or_explain(
            request,
            form,
            lambda: services.plan_update(
                plan=plan,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                title=form.cleaned_data["title"] or plan.title,
                summary=form.cleaned_data["summary"],
            ),
        )
        if context is None:
            messages.success(request, "計画を保存しました。")
            return redirect(plan)
    return render(
        request,
        "plans/plan/form.html",
        {
            "form": form,
            "plan": plan,
            "breadcrumbs": [
                plans_crumb(),
                (plan.fy.label, plan.get_absolute_url()),
                ("編集", None),
            ],
            **context,
        },
    )


def _move(request, pk, *, prefix, service, perm, refusal, success):
    plan = get_plan_for_user(request.user, pk, perm=perm, message=refusal)
    form = DecisionForm(request.POST, prefix=prefix)
    text = "comment" if prefix == "advance" else "reason"
    if run_step(
        request,
        form,
        lambda data: service(
            plan=plan, by=request.user, expected_version=data["version"], **{text: data["comment"]}
        ),
        success=lambda decision: success.format(stage=decision.get_to_stage_display()),
    ):
        return redirect(plan)
    plan.refresh_from_db()
    context = _detail_context(request, plan)
    context["advance_form" if prefix == "advance" else "send_back_form"] = form
    return render(request, "plans/plan/detail.html", context, status=400)


@require_POST
def plan_advance(request, pk):
    return _move(
        request,
        pk,
        prefix="advance",
        service=services.plan_advance,
        perm="plans.advance_plan",
        refusal="この段階の計画を進める権限がありません。各段階の操作は決められた役割の方が行います。",
        success="計画を「{stage}」の段階に進めました。",
    )


@require_POST
def plan_send_back(request, pk):
    return _move(
        request,
        pk,
        prefix="back",
        service=services.plan_send_back,
        perm="plans.send_back_plan",
        refusal="この段階の計画を差し戻す権限がありません。",
        success="計画を「{stage}」の段階に差し戻しました。",
    )


@require_POST
def plan_start_next_year(request, pk):
    plan = get_plan_for_user(
        request.user,
        pk,
        perm="plans.start_next_year",
        message="次年度の計画を作成できるのは推進部会の委員です。",
    )
    step = run_step(
        request,
        None,
        lambda: services.plan_start_next_year(plan=plan, by=request.user),
        success=lambda new_plan: (
            f"「{new_plan}」を作成し、継続する事業{new_plan.projects.count()}件を引き継ぎました。"
        ),
    )
    return redirect(step.result if step.done else plan)


def plan_delete(request, pk):
    plan = get_plan_for_user(
        request.user,
        pk,
        perm="plans.delete_plan",
        message="承認済みの計画や、進捗のある事業を含む計画は削除できません（削除できるのは推進部会の委員です）。",
    )
    if request.method == "POST":
        title = str(plan)
        services.plan_delete(plan=plan, by=request.user)
        messages.success(request, f"「{title}」を削除しました。")
        return redirect("plans:index")
    return render(
        request,
        "plans/plan/confirm_delete.html",
        {
            "plan": plan,
            "project_count": plan.projects.count(),
            "breadcrumbs": [
                plans_crumb(),
                (plan.fy.label, plan.get_absolute_url()),
                ("削除", None),
            ],
        },
    )


def plan_history(request, pk):
    plan = get_plan_for_user(request.user, pk)
    return render_history(
        request,
        plan,
        breadcrumbs=[plans_crumb(), (plan.fy.label, plan.get_absolute_url()), ("変更履歴", None)],
        template="plans/plan/history.html",
        decisions=plan.decisions.select_related("decided_by"),
    )


BUDGET_GROUPINGS = [
    # (heading, key, label, sort fields)
    (
        "所管課別",
        "section_id",
        "section__name",
        ["section__department__sort_order", "section__sort_order"],
    ),
    ("具体的な取組別", "initiative_area_id", "initiative_area__title", ["initiative_area__number"]),
    ("基本方針別", "policies__id", "policies__title", ["policies__number"]),
]


def _budget_rows(proposals, projects, *, key, label, order):
    """Proposed (estimates) and adopted (requested, approved) totals per group, summed by the
    database; two queries."""
    fields = [key, label, *order]
    proposed = {
        r[key]: r for r in proposals.values(*fields).annotate(proposed=Sum("budget_estimate"))
    }
    adopted = {
        r[key]: r
        for r in projects.values(*fields).annotate(
            adopted=Sum("budget_requested"), approved=Sum("budget_approved")
        )
    }
    rows = []
    for group in proposed.keys() | adopted.keys():
        base = adopted.get(group) or proposed[group]
        rows.append(
            {
                "label": base[label],
                "sort": tuple(base[field] or 0 for field in order),
                "proposed": (proposed.get(group) or {}).get("proposed") or 0,
                "adopted": (adopted.get(group) or {}).get("adopted") or 0,
                "approved": (adopted.get(group) or {}).get("approved") or 0,
            }
        )
    return sorted(rows, key=lambda row: row["sort"])


def plan_budget(request, pk):
    """Budget totals by section, initiative area and policy: proposed (proposals' estimates,
    all but rejected ones) against adopted (the projects' requested and approved amounts)."""
    plan = get_plan_for_user(request.user, pk, perm="plans.view_budget")
    proposals = plan.proposals.exclude(status=Proposal.Status.REJECTED)
    projects = plan.projects.all()
    groupings = [
        {
            "label": heading,
            "rows": _budget_rows(proposals, projects, key=key, label=label, order=order),
        }
        for heading, key, label, order in BUDGET_GROUPINGS
    ]
    totals = {
        "proposed": proposals.aggregate(s=Sum("budget_estimate"))["s"] or 0,
        **projects.aggregate(adopted=Sum("budget_requested"), approved=Sum("budget_approved")),
    }
    return render(
        request,
        "plans/plan/budget.html",
        {
            "plan": plan,
            "groupings": groupings,
            "totals": totals,
            "breadcrumbs": [
                plans_crumb(),
                (plan.fy.label, plan.get_absolute_url()),
                ("予算", None),
            ],
        },
    )


urlpatterns = [
    path("", index, name="index"),
    path("new/", plan_create, name="plan_create"),
    path("<int:pk>/", plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", plan_edit, name="plan_edit"),
    path("<int:pk>/advance/", plan_advance, name="plan_advance"),
    path("<int:pk>/send-back/", plan_send_back, name="plan_send_back"),
    path("<int:pk>/next-year/", plan_start_next_year, name="plan_next_year"),
    path("<int:pk>/delete/", plan_delete, name="plan_delete"),
    path("<int:pk>/history/", plan_history, name="plan_history"),
    path("<int:pk>/budget/", plan_budget, name="plan_budget"),
]
