"""One access helper per object type of the plans app: every view loads objects through these.

Each scopes the query to the user's office (404 outside it), applies the select/prefetch the
pages need, and checks the permission (403 with a reason).
"""

from takatsu_portal.accounts.permissions import get_object_for_user, within_office

from .models import (
    AgendaItem,
    AnnualPlan,
    Attachment,
    CouncilMeeting,
    Improvement,
    ProgressReport,
    Project,
    Proposal,
    WorkingGroup,
)


def plans_for(user):
    return within_office(user, AnnualPlan.objects.all()).select_related("office", "previous_plan")


def projects_for(user):
    return within_office(user, Project.objects.all())


def proposals_for(user):
    return within_office(user, Proposal.objects.all())


def improvements_for(user):
    return within_office(user, Improvement.objects.all())


def citywide_practices_for(user):
    """The good practices every ward shares city-wide (「他区の優良事例」), for any member of
    staff of any ward and the city planning bureau: another ward's practices, and for the
    city (no office) every ward's. CITY-WIDE BY DESIGN: the one query of the plans app that
    reads other offices' improvements; it is kept to `shared_citywide()` (what a ward's
    subcommittee chose to share), so a ward's own improvements never leave it otherwise."""
    practices = Improvement.objects.city_wide("good practices shared city-wide").shared_citywide()
    office = user.office if user.is_authenticated else None
    if office is not None:
        practices = practices.exclude(section__department__office=office)
    return practices


def get_practice_for_user(user, pk, *, perm="plans.view_citywide_practices", message=None):
    """A practice shared city-wide by another ward (404 for anything else: a ward's unshared
    improvement, a withdrawn one, one's own ward's — read that in the ward's own pages)."""
    qs = citywide_practices_for(user).for_citywide_list()
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)


def working_groups_for(user):
    return within_office(user, WorkingGroup.objects.all())


def meetings_for(user):
    return within_office(user, CouncilMeeting.objects.all())


def get_plan_for_user(user, pk, *, perm="plans.view_plan", message=None):
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, plans_for(user), perm=perm, pk=pk, **kwargs)


# What a project's pages show of its relations, loaded with it in one query.
PROJECT_RELATED = (
    "plan",
    "plan__office",
    "initiative_area",
    "section",
    "section__department",
    "working_group",
    "working_group__lead",
    "carried_over_from",
)
# What its permission rules read (plan stage, working group): a page whose body comes from
# the cache needs no more, and a nine-table join costs PostgreSQL more to plan than to run.
PROJECT_RULES_RELATED = ("plan", "plan__office", "working_group")


def get_project_for_user(
    user, pk, *, perm="plans.view_project", message=None, related=PROJECT_RELATED
):
    qs = projects_for(user).select_related(*related)
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
    qs = within_office(user, AgendaItem.objects.select_related("meeting", "plan"))
    kwargs = {"message": message} if message else {}
    return get_object_for_user(user, qs, perm=perm, pk=pk, **kwargs)


def subcommittee_members(office):
    """The active subcommittee members of `office`: whom proposals and progress reports are
    sent to for a decision."""
    from django.contrib.auth import get_user_model

    from takatsu_portal.accounts.roles import Role

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=Role.SUBCOMMITTEE.label,
            section__department__office=office,
        )
        .distinct()
    )


PROGRESS_REPORT_REFUSAL = (
    "進捗報告は、ワーキンググループリーダー・推進部会委員・区企画調整会議委員・課長・管理者が"
    "閲覧できます。"
)


def reports_for(user):
    """Progress reports of the user's office."""
    return within_office(user, ProgressReport.objects.all())


def get_report_for_user(user, pk, *, perm="plans.view_progress", message=PROGRESS_REPORT_REFUSAL):
    qs = reports_for(user).select_related(
        "project",
        "project__plan",
        "project__plan__office",
        "project__working_group",
        "project__working_group__lead",
        "period",
        "author",
        "reviewed_by",
    )
    return get_object_for_user(user, qs, perm=perm, message=message, pk=pk)


def get_attachment_for_user(user, pk):
    """An attachment of a report of the user's office (404 otherwise), to a user who may read
    progress (403 otherwise)."""
    qs = within_office(
        user,
        Attachment.objects.select_related(
            "report", "report__project", "report__project__plan", "report__project__working_group"
        ),
    )
    return get_object_for_user(
        user, qs, perm="plans.view_progress", message=PROGRESS_REPORT_REFUSAL, pk=pk
    )
