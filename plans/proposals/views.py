"""Project proposals (事業企画案): submit, list, read, correct, and the subcommittee's decision
(adopt into the plan as a project, return with comments, or reject with a reason)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import require_perm
from takatsu_portal.core.editing import run_step, save_or_explain
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.forms import sections_for
from takatsu_portal.core.history import history_entries, render_history

from ..access import get_proposal_for_user, plans_for, proposals_for
from ..models import AgendaItem, Stage
from ..navigation import plans_crumb
from ..plan.services import plan_for_proposal
from . import services
from .forms import (
    AdoptForm,
    MoveForm,
    ProposalFilterForm,
    ProposalForm,
    RejectForm,
    ReturnForm,
    WithdrawForm,
)

PER_PAGE = 30
VIEW_REFUSAL = "事業企画案は職員が閲覧できます。"
EDIT_REFUSAL = "提案を修正できるのは提案者です（部会の判断前のみ）。"
DECIDE_REFUSAL = "提案を判断できるのは推進部会の委員です（判断前のみ）。"


def _list_crumb():
    return ("事業企画案", reverse("plans:proposal_list"))


def _detail_crumbs(proposal, *tail):
    return [plans_crumb(), _list_crumb(), (proposal.title, proposal.get_absolute_url()), *tail]


# ---------------------------------------------------------------------------------------------
# List


@require_perm("plans.view_proposal", VIEW_REFUSAL)
def proposal_list(request):
    """Proposals of the user's office; by default those of the current fiscal year's plan."""
    user = request.user
    plans = plans_for(user).order_by("-fiscal_year")
    data = request.GET.copy()
    if "plan" not in data:
        current = plans.filter(fiscal_year=FiscalYear.current().year).first()
        data["plan"] = str(current.pk) if current else ""
    form = ProposalFilterForm(data, plans=plans, sections=sections_for(user))
    form.is_valid()
    filters = form.cleaned_data
    proposals = proposals_for(user).for_list()
    if filters.get("plan"):
        proposals = proposals.filter(plan=filters["plan"])
    if filters.get("status"):
        proposals = proposals.filter(status=filters["status"])
    if filters.get("section"):
        proposals = proposals.filter(section=filters["section"])
    page = Paginator(proposals, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/proposals/list.html",
        {
            "form": form,
            "selected_plan": filters.get("plan"),
            "page_obj": page,
            "breadcrumbs": [plans_crumb(), ("事業企画案", None)],
        },
    )


# ---------------------------------------------------------------------------------------------
# Submit and correct


@require_perm("plans.add_proposal", "事業企画案は職員が提出できます。")
def proposal_create(request):
    if request.user.office is None:
        messages.error(
            request, "所属課が設定されていないため、提案できません。管理者に連絡してください。"
        )
        return redirect("plans:proposal_list")
    form = ProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        proposal = form.save(commit=False)

        @transaction.atomic
        def submit():
            if form.cleaned_data.get("plan") is None:
                # Confirmed by the form: next year's plan is made as a draft (#10.1).
                proposal.plan = plan_for_proposal(
                    office=request.user.office, fiscal_year=form.next_year, by=request.user
                )
            services.proposal_submit(
                proposal=proposal, by=request.user, policies=form.cleaned_data["policies"]
            )

        if save_or_explain(request, form, submit) is None:
            messages.success(
                request,
                f"事業企画案「{proposal.title}」を提出しました。推進部会の委員にお知らせしました。",
            )
            return redirect(proposal)
    return render(
        request,
        "plans/proposals/form.html",
        {
            "form": form,
            "breadcrumbs": [plans_crumb(), _list_crumb(), ("提案する", None)],
        },
    )


def proposal_edit(request, pk):
    proposal = get_proposal_for_user(
        request.user, pk, perm="plans.change_proposal", message=EDIT_REFUSAL
    )
    title, was_returned = proposal.title, proposal.status == proposal.Status.RETURNED
    form = ProposalForm(request.POST or None, instance=proposal, user=request.user)
    context = {}
    if request.method == "POST" and form.is_valid():
        context = save_or_explain(
            request,
            form,
            lambda: services.proposal_resubmit(
                proposal=form.instance,
                by=request.user,
                policies=form.cleaned_data["policies"],
                expected_version=form.cleaned_data["version"],
            ),
        )
        if context is None:
            messages.success(
                request,
                "事業企画案を修正し、再提出しました。"
                if was_returned
                else "事業企画案を修正しました。",
            )
            return redirect(proposal)
    return render(
        request,
        "plans/proposals/form.html",
        {
            "form": form,
            "proposal": proposal,
            "title": title,
            "was_returned": was_returned,
            "breadcrumbs": [
                plans_crumb(),
                _list_crumb(),
                (title, proposal.get_absolute_url()),
                ("修正", None),
            ],
            **context,
        },
    )


# ---------------------------------------------------------------------------------------------
# Detail and decision

DECISION_FORMS = {"adopt": AdoptForm, "return": ReturnForm, "reject": RejectForm}


def _decision_form(action, proposal, data=None):
    kwargs = {"office": proposal.plan.office_id} if action == "adopt" else {}
    initial = {"version": proposal.version}
    if action == "adopt" and data is None:
        initial["code"] = services.suggest_project_code(proposal.plan)
        initial["working_group"] = proposal.working_group_id
    return DECISION_FORMS[action](data, prefix=action, initial=initial, **kwargs)


def _withdraw_and_move_context(request, proposal, bound_move=None):
    can_move = request.user.has_perm("plans.move_proposal", proposal)
    return {
        "can_withdraw": request.user.has_perm("plans.withdraw_proposal", proposal),
        "move_form": (bound_move or _move_form(proposal)) if can_move else None,
    }


def _move_form(proposal, data=None):
    return MoveForm(data, proposal=proposal, prefix="move", initial={"version": proposal.version})


def _detail_context(request, proposal, bound_form=None, bound_action=None, bound_move=None):
    can_decide = request.user.has_perm("plans.decide_proposal", proposal)
    decision_forms = {}
    if can_decide:
        for action in DECISION_FORMS:
            decision_forms[action] = (
                bound_form if action == bound_action else _decision_form(action, proposal)
            )
    return {
        "proposal": proposal,
        "policies": proposal.policies.all(),
        "agenda_items": proposal.agenda_items.select_related("meeting").order_by(
            "meeting__held_on", "order"
        ),
        "history": history_entries(proposal, limit=5),
        "can_edit": request.user.has_perm("plans.change_proposal", proposal),
        "can_decide": can_decide,
        "adoptable": Stage(proposal.plan.stage) in services.ADOPTABLE_STAGES,
        "decision_forms": decision_forms,
        **_withdraw_and_move_context(request, proposal, bound_move),
        "breadcrumbs": [plans_crumb(), _list_crumb(), (proposal.title, None)],
    }


def proposal_detail(request, pk):
    proposal = get_proposal_for_user(request.user, pk, message=VIEW_REFUSAL)
    return render(request, "plans/proposals/detail.html", _detail_context(request, proposal))


def _apply_decision(action, proposal, by, data):
    common = {
        "proposal": proposal,
        "by": by,
        "comment": data["comment"],
        "expected_version": data["version"],
    }
    if action == "adopt":
        project = services.proposal_adopt(
            code=data["code"], working_group=data["working_group"], **common
        )
        return (
            f"「{proposal.title}」を採択し、事業「{project}」として計画に加えました。"
            "提案者にお知らせしました。"
        )
    if action == "return":
        services.proposal_return(**common)
        return f"「{proposal.title}」を提案者に差し戻しました。提案者にお知らせしました。"
    services.proposal_reject(**common)
    return f"「{proposal.title}」を不採択としました。提案者にお知らせしました。"


@require_POST
def proposal_decide(request, pk):
    proposal = get_proposal_for_user(
        request.user, pk, perm="plans.decide_proposal", message=DECIDE_REFUSAL
    )
    action = request.POST.get("action")
    if action not in DECISION_FORMS:
        return HttpResponseBadRequest("判断の種類（採択・差し戻し・不採択）が指定されていません。")
    form = _decision_form(action, proposal, data=request.POST)
    if run_step(
        request,
        form,
        lambda data: _apply_decision(action, proposal, request.user, data),
        success=lambda message: message,
    ):
        return redirect(proposal)
    # The service may have set fields on the object before refusing: show the stored row.
    proposal = get_proposal_for_user(request.user, pk, message=VIEW_REFUSAL)
    context = _detail_context(request, proposal, bound_form=form, bound_action=action)
    return render(request, "plans/proposals/detail.html", context, status=400)


def proposal_withdraw(request, pk):
    """The proposer takes back an undecided proposal (#10.1): a confirmation page that says
    what happens and asks why; the reason goes to the subcommittee."""
    proposal = get_proposal_for_user(
        request.user,
        pk,
        perm="plans.withdraw_proposal",
        message="提案を取り下げられるのは提案者です（部会の判断前のみ）。",
    )
    data = request.POST if request.method == "POST" else None
    form = WithdrawForm(data, initial={"version": proposal.version})
    if data is not None:
        if run_step(
            request,
            form,
            lambda cleaned: services.proposal_withdraw(
                proposal=proposal,
                by=request.user,
                reason=cleaned["reason"],
                expected_version=cleaned["version"],
            ),
            success=(
                f"事業企画案「{proposal.title}」を取り下げました。推進部会にお知らせしました。"
            ),
        ):
            return redirect(proposal)
        proposal.refresh_from_db()
    pending = proposal.agenda_items.filter(decision=AgendaItem.Decision.PENDING)
    return render(
        request,
        "plans/proposals/confirm_withdraw.html",
        {
            "proposal": proposal,
            "form": form,
            "pending_items": pending.select_related("meeting").order_by("meeting__held_on"),
            "breadcrumbs": _detail_crumbs(proposal, ("取り下げ", None)),
        },
        status=200 if data is None else 400,
    )


@require_POST
def proposal_move(request, pk):
    """The subcommittee moves an undecided proposal to another plan (#10.1); next year's plan
    is made as a draft when the confirmation is ticked."""
    proposal = get_proposal_for_user(
        request.user,
        pk,
        perm="plans.move_proposal",
        message="提案を別の計画へ移せるのは推進部会の委員です（判断前のみ）。",
    )
    form = _move_form(proposal, data=request.POST)

    @transaction.atomic
    def move(data):
        plan = data["plan"] or plan_for_proposal(
            office=proposal.plan.office, fiscal_year=form.next_year, by=request.user
        )
        services.proposal_move(
            proposal=proposal,
            by=request.user,
            plan=plan,
            comment=data["comment"],
            expected_version=data["version"],
        )
        return plan

    if run_step(
        request,
        form,
        move,
        success=lambda plan: (
            f"「{proposal.title}」を「{plan.title}」へ移しました。提案者にお知らせしました。"
        ),
    ):
        return redirect(proposal)
    proposal = get_proposal_for_user(request.user, pk, message=VIEW_REFUSAL)
    context = _detail_context(request, proposal, bound_move=form)
    return render(request, "plans/proposals/detail.html", context, status=400)


def proposal_history(request, pk):
    proposal = get_proposal_for_user(request.user, pk, message=VIEW_REFUSAL)
    return render_history(
        request, proposal, breadcrumbs=_detail_crumbs(proposal, ("変更履歴", None))
    )


urlpatterns = [
    path("proposals/", proposal_list, name="proposal_list"),
    path("proposals/new/", proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/decide/", proposal_decide, name="proposal_decide"),
    path("proposals/<int:pk>/history/", proposal_history, name="proposal_history"),
    path("proposals/<int:pk>/withdraw/", proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/move/", proposal_move, name="proposal_move"),
]
