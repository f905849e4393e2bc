"""Enrolment pages: apply, cancel (or ask to), approve, nominate, ask to move and move. Every
step is a POST that calls a service in training.services; the service enforces capacity and
deadlines, and its ValidationError becomes the message the person reads."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from takatsu_portal.accounts.permissions import require_perm, user_may
from takatsu_portal.accounts.roles import Role, roles_of
from takatsu_portal.core.editing import run_step
from takatsu_portal.core.forms import sections_for

from .. import services
from ..access import (
    VIEW_REFUSAL,
    get_enrolment_for_user,
    get_session_for_user,
    people_for,
)
from ..forms import CancelForm, MoveRequestForm, NominateForm
from ..models import Enrolment
from .common import crumbs, paginate

State = Enrolment.State
NOMINATE_REFUSAL = "受講者を指名できるのは、研修担当・推進部会の委員・管理者と課長です。"
DECIDE_REFUSAL = "申込みを承認できるのは、申込者の所属課長です。"
OWN_REFUSAL = "この受講は、本人と研修担当だけが操作できます。"


APPLIED = {
    State.CONFIRMED: "受講が確定しました。",
    State.WAITING: "定員に達しているため、キャンセル待ちで受け付けました。",
    State.PENDING: "申込みを受け付けました。所属課長の承認をお待ちください。",
}


@require_POST
@require_perm("training.view", VIEW_REFUSAL)
def apply(request, pk):
    session = get_session_for_user(request.user, pk)
    run_step(
        request,
        None,
        lambda: services.enrolment_apply(session=session, user=request.user),
        success=lambda enrolment: APPLIED[enrolment.state],
    )
    return redirect(session)


@require_POST
@require_perm("training.view", VIEW_REFUSAL)
def cancel(request, pk):
    enrolment = get_enrolment_for_user(request.user, pk, perm="training.view", message=VIEW_REFUSAL)
    if not (
        enrolment.user_id == request.user.id
        or user_may(request.user, "training.manage_session", enrolment.session)
    ):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(OWN_REFUSAL)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""

    def cancelled(result):
        if result.state == State.CANCELLED:
            return "受講を取り消しました。"
        messages.warning(
            request,
            "取消締切を過ぎているため、取消の依頼を研修担当に送りました。研修担当が取り消すまで、受講は確定のままです。",
        )
        return None

    run_step(
        request,
        None,
        lambda: services.enrolment_cancel(enrolment=enrolment, by=request.user, reason=reason),
        success=cancelled,
    )
    return redirect(enrolment.session)


@require_POST
@require_perm("training.view", VIEW_REFUSAL)
def decide(request, pk):
    enrolment = get_enrolment_for_user(
        request.user, pk, perm="training.decide_enrolment", message=DECIDE_REFUSAL
    )
    approve = request.POST.get("decision") == "approve"
    run_step(
        request,
        None,
        lambda: services.enrolment_decide(enrolment=enrolment, approve=approve, by=request.user),
        success=f"{enrolment.user}さんの申込みを{'承認' if approve else '不承認に'}しました。",
    )
    if request.POST.get("next") == "session":
        return redirect(enrolment.session)
    return redirect("training:approvals")


@require_perm("training.view", VIEW_REFUSAL)
def approvals(request):
    """A section manager's list of applications waiting for their approval."""
    if Role.SECTION_MANAGER not in roles_of(request.user) or request.user.section_id is None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("申込みの承認は、課長が自分の課の職員について行います。")
    pending = (
        Enrolment.objects.for_office(request.user.office)
        .filter(state=State.PENDING, user__section_id=request.user.section_id)
        .select_related("user", "session", "session__course")
        .order_by("applied_at", "id")
    )
    return render(
        request,
        "training/approvals.html",
        {"breadcrumbs": crumbs(("申込みの承認", None)), "page_obj": paginate(request, pending)},
    )


def _nominees(user):
    """Who `user` may nominate: everyone of the office for organisers, the own section for a
    section manager."""
    people = (
        people_for(user)
        .select_related("section")
        .order_by("section__sort_order", "full_name_kana", "id")
    )
    if user_may(user, "training.organise"):
        return people, sections_for(user)
    return people.filter(section_id=user.section_id), sections_for(user).filter(pk=user.section_id)


@require_perm("training.nominate", NOMINATE_REFUSAL)
def nominate(request, pk):
    session = get_session_for_user(
        request.user, pk, perm="training.nominate", message=NOMINATE_REFUSAL
    )
    people, sections = _nominees(request.user)
    form = NominateForm(request.POST or None, people=people, sections=sections)

    def nominated(result):
        created, skipped = result
        text = f"{len(created)}名を指名しました。"
        if skipped:
            text += (
                f"この研修に既に申込み・指名済みの{len(skipped)}名（"
                + "、".join(str(u) for u in skipped[:10])
                + ("ほか" if len(skipped) > 10 else "")
                + "）は除きました。"
            )
        return text

    if request.method == "POST" and run_step(
        request,
        form,
        lambda data: services.enrolment_nominate(
            session=session, users=data["chosen"], by=request.user
        ),
        success=nominated,
    ):
        return redirect(session)
    return render(
        request,
        "training/sessions/nominate.html",
        {
            "breadcrumbs": crumbs(
                (session.course.title, session.course.get_absolute_url()),
                (f"{session.day:%Y/%m/%d}の回", session.get_absolute_url()),
                ("受講者の指名", None),
            ),
            "session": session,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@require_perm("training.view", VIEW_REFUSAL)
def request_move(request, pk):
    enrolment = get_enrolment_for_user(
        request.user, pk, perm="training.evaluate", message=OWN_REFUSAL
    )
    sessions = enrolment.session.course.sessions.upcoming().exclude(pk=enrolment.session_id)
    form = MoveRequestForm(request.POST or None, sessions=sessions)
    if request.method == "POST" and run_step(
        request,
        form,
        lambda data: services.enrolment_request_move(
            enrolment=enrolment,
            to_session=data["to_session"],
            by=request.user,
            reason=data["reason"],
        ),
        success="回の変更を研修担当に依頼しました。",
    ):
        return redirect(enrolment.session)
    return render(
        request,
        "training/sessions/move.html",
        {
            "breadcrumbs": crumbs(
                (enrolment.session.course.title, enrolment.session.course.get_absolute_url()),
                (f"{enrolment.session.day:%Y/%m/%d}の回", enrolment.session.get_absolute_url()),
                ("回の変更の依頼", None),
            ),
            "enrolment": enrolment,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
@require_perm("training.organise", "回の変更を行えるのは研修担当です。")
def move(request, pk):
    enrolment = get_enrolment_for_user(
        request.user,
        pk,
        perm="training.manage_session",
        message="回の変更を行えるのは研修担当です。",
    )
    run_step(
        request,
        None,
        lambda: services.enrolment_move(enrolment=enrolment, by=request.user),
        success=lambda moved: (
            f"{enrolment.user}さんを{moved.session.day:%Y/%m/%d}の回に変更しました"
            f"（{moved.get_state_display()}）。"
        ),
    )
    return redirect(enrolment.session)
