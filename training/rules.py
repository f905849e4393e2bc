"""Who may do what in training (see accounts.permissions for the two levels).

- Organisers (研修担当, the subcommittee and administrators) run courses and sessions:
  create and edit them, nominate, take attendance, read evaluation answers, keep the
  required-training rules, see compliance of every section.
- Section managers approve their own section's applications, nominate their own section's
  staff, read their section's records and compliance.
- Every member of staff finds sessions, applies, cancels, evaluates their own sessions and reads
  their own record. Nobody but the organisers reads another person's evaluation answers.

Office scoping is the querysets' job (training.access): a row of another office is a 404.
"""

import rules

from takatsu_portal.accounts.permissions import (
    has_role,
    is_administrator,
    is_section_manager,
    is_staff_member,
    is_subcommittee,
)
from takatsu_portal.accounts.roles import Role

is_trainer = has_role(Role.TRAINER)
is_organiser = is_trainer | is_subcommittee | is_administrator


@rules.predicate
def owns_enrolment(user, enrolment):
    return enrolment is not None and enrolment.user_id == user.id


@rules.predicate
def manages_applicant(user, enrolment):
    """The user is the section manager of the applicant's section."""
    return (
        enrolment is not None
        and user.section_id is not None
        and enrolment.user.section_id == user.section_id
    )


@rules.predicate
def is_self(user, person):
    return person is not None and person.pk == user.pk


@rules.predicate
def same_section(user, person):
    return (
        person is not None and user.section_id is not None and person.section_id == user.section_id
    )


rules.add_perm("training.view", is_staff_member)
rules.add_perm("training.organise", is_organiser)
rules.add_perm("training.manage_session", is_organiser)
rules.add_perm("training.nominate", is_organiser | is_section_manager)
rules.add_perm("training.decide_enrolment", is_section_manager & manages_applicant)
rules.add_perm("training.evaluate", owns_enrolment)
rules.add_perm("training.view_evaluations", is_organiser)
rules.add_perm("training.view_record", is_self | is_organiser | (is_section_manager & same_section))
rules.add_perm("training.view_compliance", is_organiser | is_section_manager)
rules.add_perm("training.view_all_compliance", is_organiser)
rules.add_perm("training.manage_requirements", is_organiser)
# The certificate of one's own completion (and any, for organisers).
rules.add_perm("training.certificate", owns_enrolment | is_organiser)

# Model permissions of the admin follow the roles (accounts/roles.py ROLE_PERMISSIONS).
