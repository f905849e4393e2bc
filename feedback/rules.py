"""Who may do what in the feedback app (see accounts.permissions for the layer).

Resident answers are read in aggregate; personal data of a resident voice (name, contact) is
shown only to the section the voice is assigned to and to the subcommittee, and masked for
everyone else, in pages and in exports.
"""

import rules

from takatsu_portal.accounts.permissions import (
    in_own_section,
    is_administrator,
    is_council,
    is_section_manager,
    is_staff_member,
    is_subcommittee,
    is_ward_staff,
)


@rules.predicate
def survey_is_unlocked(user, survey):
    return survey is not None and not survey.is_locked


@rules.predicate
def voice_is_open(user, voice):
    return voice is not None and voice.state != "closed"


@rules.predicate
def voice_is_closed(user, voice):
    return voice is not None and voice.state == "closed"


# Windows and surveys
rules.add_perm("feedback.view_windows", is_staff_member)
rules.add_perm("feedback.manage_windows", is_subcommittee | is_section_manager | is_administrator)
rules.add_perm("feedback.view_surveys", is_staff_member)
rules.add_perm("feedback.manage_surveys", is_subcommittee | is_section_manager)
rules.add_perm(
    "feedback.edit_questions", (is_subcommittee | is_section_manager) & survey_is_unlocked
)
rules.add_perm("feedback.enter_paper", is_ward_staff)  # not the city planning bureau
rules.add_perm("feedback.import_responses", is_subcommittee | is_section_manager)
rules.add_perm(
    "feedback.view_results", is_subcommittee | is_section_manager | is_council | is_administrator
)
rules.add_perm("feedback.export_results", is_subcommittee | is_section_manager)
rules.add_perm("feedback.read_free_text", is_subcommittee | is_section_manager)

# Resident voices
rules.add_perm("feedback.view_voices", is_staff_member)
rules.add_perm("feedback.record_voice", is_ward_staff)  # not the city planning bureau
rules.add_perm("feedback.view_personal_data", is_subcommittee | in_own_section)
rules.add_perm("feedback.assign_voice", (is_subcommittee | (is_section_manager & in_own_section)))
rules.add_perm("feedback.handle_voice", (is_subcommittee | in_own_section) & voice_is_open)
rules.add_perm("feedback.reopen_voice", is_subcommittee & voice_is_closed)
# A closed voice can still be tied to the project that answers it.
rules.add_perm("feedback.link_voice_projects", is_subcommittee | in_own_section)
rules.add_perm("feedback.export_voices", is_subcommittee | is_section_manager)
rules.add_perm("feedback.voice_statistics", is_subcommittee | is_section_manager | is_council)
