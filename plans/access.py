"""One access helper per object type of the plans app: every view loads objects through these.

Each scopes the query to the user's office (404 outside it), applies the select/prefetch the
pages need, and checks the permission (403 with a reason).
"""

from takatsu_portal.accounts.permissions import get_object_for_user
from takatsu_portal.accounts.scope import office_scope_of

from .models import (
    AgendaItem,
    AnnualPlan,
    CouncilMeeting,
    Improvement,
    Project,
    Proposal,
    WorkingGroup,
)


def office_scope(user, path="office"):
    """Filter kwargs that keep a query within the user's office (`path` leads to the office);
    a user without an office matches nothing (accounts/scope.py: default deny)."""
    return office_scope_of(user).lookup(path)


def plans_for(user):
    return AnnualPlan.objects.filter(**office_scope(user)).select_related("office", "previous_plan")


def projects_for(user):
    return Project.objects.filter(**office_scope(user, "plan__office"))


def proposals_for(user):
    return Proposal.objects.filter(**office_scope(user, "plan__office"))


def improvements_for(user):
    return Improvement.objects.filter(**office_scope(user, "section__department__office"))


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
    qs = AgendaItem.objects.select_related("meeting", "plan").filter(
        **office_scope(user, "meeting__office")
    )
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)
