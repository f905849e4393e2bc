"""Who may do what in the plans app: portal-wide and object rules (see accounts.permissions).

Decisions that belong to a role (advancing the plan, approving at the council) need the role
itself: a superuser or administrator does not decide for the council (check with
accounts.permissions.user_may, which asks the rule rather than Django's superuser shortcut).

Some names coincide with Django's model permissions (plans.change_project ...), which the admin
asks without an object: every object predicate answers False for a missing object, so the
admin's answer comes from the role's model permissions alone.
"""

import rules

from takatsu_portal.accounts.permissions import (
    in_own_section,
    is_administrator,
    is_city,
    is_council,
    is_section_manager,
    is_staff_member,
    is_subcommittee,
    is_ward_staff,
    is_wg_lead,
)
from takatsu_portal.accounts.roles import roles_of

from . import stages
from .models import Stage


@rules.predicate
def may_advance_plan(user, plan):
    if plan is None:
        return False
    role = stages.advance_role(plan.stage)
    return role is not None and role in roles_of(user)


@rules.predicate
def may_send_back_plan(user, plan):
    return plan is not None and bool(stages.send_back_roles(plan.stage) & roles_of(user))


@rules.predicate
def plan_is_open(user, plan):
    return plan is None or plan.stage != Stage.CLOSED


@rules.predicate
def plan_is_deletable(user, plan):
    return plan is not None and plan.can_be_deleted()


@rules.predicate
def leads_projects_group(user, project):
    group = project.working_group if project is not None else None
    return group is not None and group.lead_id == user.id


@rules.predicate
def project_plan_is_open(user, project):
    return project is None or project.plan.stage != Stage.CLOSED


@rules.predicate
def project_is_deletable(user, project):
    return project is not None and project.can_be_deleted()


@rules.predicate
def is_proposer(user, proposal):
    return proposal is not None and proposal.proposer_id == user.id


@rules.predicate
def proposal_is_open(user, proposal):
    return proposal is not None and proposal.is_open


@rules.predicate
def is_author(user, improvement):
    return improvement is not None and improvement.author_id == user.id


@rules.predicate
def improvement_not_acknowledged(user, improvement):
    return improvement is not None and not improvement.is_acknowledged


@rules.predicate
def is_ward_good_practice(user, improvement):
    return improvement is not None and improvement.is_good_practice and improvement.is_acknowledged


@rules.predicate
def practice_of_another_ward(user, improvement):
    office = user.office if user.is_authenticated else None
    return (
        improvement is not None
        and office is not None
        and improvement.section.department.office_id != office.pk
    )


@rules.predicate
def leads_group(user, group):
    return group is not None and group.lead_id == user.id


@rules.predicate
def holds_council_role(user):
    from takatsu_portal.accounts.roles import Role

    return Role.COUNCIL in roles_of(user)


# Annual plans
rules.add_perm("plans.view_plan", is_staff_member)
rules.add_perm("plans.add_plan", is_subcommittee)
rules.add_perm("plans.change_plan", is_subcommittee & plan_is_open)
rules.add_perm("plans.delete_plan", is_subcommittee & plan_is_deletable)
rules.add_perm("plans.advance_plan", may_advance_plan)
rules.add_perm("plans.send_back_plan", may_send_back_plan)
rules.add_perm("plans.start_next_year", is_subcommittee)
rules.add_perm("plans.view_budget", is_staff_member)

# Projects: the subcommittee edits all; a working-group lead edits their own group's.
rules.add_perm("plans.view_project", is_staff_member)
rules.add_perm("plans.add_project", (is_subcommittee | is_wg_lead) & plan_is_open)
rules.add_perm(
    "plans.change_project",
    (is_subcommittee | (is_wg_lead & leads_projects_group)) & project_plan_is_open,
)
rules.add_perm("plans.delete_project", is_subcommittee & project_is_deletable)
rules.add_perm("plans.import_projects", is_subcommittee)
rules.add_perm("plans.export_projects", is_staff_member)

# Proposals
rules.add_perm("plans.view_proposal", is_staff_member)
rules.add_perm("plans.add_proposal", is_ward_staff)  # not the city planning bureau
rules.add_perm("plans.change_proposal", is_proposer & proposal_is_open)
rules.add_perm("plans.decide_proposal", is_subcommittee & proposal_is_open)
rules.add_perm("plans.withdraw_proposal", is_proposer & proposal_is_open)
rules.add_perm("plans.move_proposal", is_subcommittee & proposal_is_open)

# Individual improvements: shared ward-wide; the section manager acknowledges.
rules.add_perm("plans.view_improvement", is_staff_member)
rules.add_perm("plans.add_improvement", is_ward_staff)  # not the city planning bureau
rules.add_perm("plans.change_improvement", is_author & improvement_not_acknowledged)
rules.add_perm("plans.acknowledge_improvement", is_section_manager & in_own_section)

# Good practices shared city-wide (plans/practices): the ward's subcommittee shares its own
# ward's good practices with every ward (and withdraws them); every member of staff of any
# ward, and the city planning bureau, reads them; a member of another ward who may propose
# copies one into a proposal of their own plan (the city copies nothing).
rules.add_perm("plans.share_practice", is_subcommittee & is_ward_good_practice)
rules.add_perm("plans.view_citywide_practices", is_staff_member)
rules.add_perm("plans.copy_practice", is_ward_staff & practice_of_another_ward)

# Working groups
rules.add_perm("plans.view_working_group", is_staff_member)
rules.add_perm("plans.add_working_group", is_subcommittee)
rules.add_perm("plans.change_working_group", is_subcommittee | (is_wg_lead & leads_group))

# Council
rules.add_perm("plans.view_meeting", is_staff_member)
rules.add_perm("plans.add_meeting", is_subcommittee | is_council)
rules.add_perm("plans.change_meeting", is_subcommittee | is_council)
rules.add_perm("plans.decide_agenda_item", holds_council_role)


# PDCA progress
@rules.predicate
def plan_in_progress(user, obj):
    from .models import Project

    plan = obj.plan if isinstance(obj, Project) else obj
    return plan is not None and plan.stage == Stage.IN_PROGRESS


rules.add_perm(
    "plans.view_progress",
    is_wg_lead | is_subcommittee | is_council | is_section_manager | is_administrator | is_city,
)
rules.add_perm("plans.set_reporting", is_subcommittee)
rules.add_perm("plans.file_report", is_subcommittee | (is_wg_lead & leads_projects_group))
rules.add_perm("plans.review_report", is_subcommittee)
rules.add_perm("plans.evaluate_project", is_subcommittee & plan_in_progress)
