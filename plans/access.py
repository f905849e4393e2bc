"""One access helper per object type of the plans app: every view loads objects through these.

Each scopes the query to the user's office (404 outside it), applies the select/prefetch the
pages need, and checks the permission (403 with a reason).
"""

from takatsu_portal.accounts.permissions import get_object_for_user

from .models import (
    AgendaItem,
    AnnualPlan,
    CouncilMeeting,
    Improvement,
    Project,
    Proposal,
    WorkingGroup,
)


def office_scope(user):
    """Filter kwargs that keep a query within the user's office (all offices for a user who
    belongs to none, such as a system administrator)."""
    office = user.office
    return {"office": office} if office is not None else {}


def plans_for(user):
    return AnnualPlan.objects.filter(**office_scope(user)).select_related("office", "previous_plan")


def projects_for(user):
    scope = office_scope(user)
    qs = Project.objects.all()
    if scope:
        qs = qs.filter(plan__office=scope["office"])
    return qs


def proposals_for(user):
    scope = office_scope(user)
    qs = Proposal.objects.all()
    if scope:
        qs = qs.filter(plan__office=scope["office"])
    return qs


def improvements_for(user):
    scope = office_scope(user)
    qs = Improvement.objects.all()
    if scope:
        qs = qs.filter(section__department__office=scope["office"])
    return qs


def working_groups_for(user):
    return WorkingGroup.objects.filter(**office_scope(user))


def meetings_for(user):
    return CouncilMeeting.objects.filter(**office_scope(user))


def get_plan_for_user(user, pk, *, perm="plans.view_plan", message=None):
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, plans_for(user), perm=perm, pk=pk, **kwargs)


def get_project_for_user(user, pk, *, perm="plans.view_project", message=None):
    qs = projects_for(user).select_related(
        "plan",
        "plan__office",
        "initiative_area",
        "section",
        "section__department",
        "working_group",
        "working_group__lead",
        "carried_over_from",
    )
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)


def get_proposal_for_user(user, pk, *, perm="plans.view_proposal", message=None):
    qs = proposals_for(user).select_related(
        "plan", "section", "working_group", "proposer", "initiative_area", "project", "decided_by"
    )
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)


def get_improvement_for_user(user, pk, *, perm="plans.view_improvement", message=None):
    qs = improvements_for(user).select_related(
        "author", "section", "section__department", "acknowledged_by"
    )
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)


def get_working_group_for_user(user, pk, *, perm="plans.view_working_group", message=None):
    qs = working_groups_for(user).select_related("lead", "office")
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)


def get_meeting_for_user(user, pk, *, perm="plans.view_meeting", message=None):
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, meetings_for(user), perm=perm, pk=pk, **kwargs)


def get_agenda_item_for_user(user, pk, *, perm="plans.view_meeting", message=None):
    scope = office_scope(user)
    qs = AgendaItem.objects.select_related("meeting", "plan")
    if scope:
        qs = qs.filter(meeting__office=scope["office"])
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)
