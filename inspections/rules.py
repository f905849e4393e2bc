"""Who may do what in barrier-free inspections (see accounts.permissions for the layer).

- Every member of staff sees the inspections, findings and checklists of their office.
- The subcommittee runs inspections of the whole office and keeps the checklists; a section
  manager runs inspections of their own section's places.
- Staff on an inspection's team record its answers (and so do those who run it).
- A finding belongs to its responsible section: a member records a correction, the section
  manager (or the subcommittee) turns it into a project proposal, sets its severity and due
  date, and re-checks it. Closing it takes a confirming re-check (services.finding_recheck).
- Places are kept in the portal by the subcommittee and the administrators: they add, change,
  retire and delete buildings, floors and points (`manage_buildings`, `keep_location`). A
  section manager, who runs inspections of their own section's places, keeps those points
  (`manage_places` opens the page; `keep_location` on a point of their own section); nobody
  else changes a place.
- The summary is for the subcommittee, section managers, the council and administrators;
  administrators see everything and keep the places, but run nothing.
"""

import rules

from takatsu_portal.accounts.permissions import (
    in_own_section,
    is_administrator,
    is_council,
    is_section_manager,
    is_staff_member,
    is_subcommittee,
)

from .models import Finding, Inspection, Place


@rules.predicate
def runs_as_section(user, inspection):
    """The inspection is run by the user's own section."""
    return (
        inspection is not None
        and inspection.section_id is not None
        and inspection.section_id == user.section_id
    )


@rules.predicate
def on_team(user, inspection):
    if inspection is None or not user.is_authenticated:
        return False
    return inspection.team.filter(user=user).exists()


@rules.predicate
def inspection_not_done(user, inspection):
    return inspection is not None and inspection.state != Inspection.State.DONE


@rules.predicate
def finding_is_open(user, finding):
    return finding is not None and finding.state == Finding.State.OPEN


@rules.predicate
def finding_awaits_recheck(user, finding):
    return finding is not None and finding.state in (
        Finding.State.CORRECTED,
        Finding.State.PROPOSED,
    )


@rules.predicate
def finding_not_closed(user, finding):
    return finding is not None and finding.state != Finding.State.CLOSED


@rules.predicate
def is_point(user, location):
    """The location is a point on a floor (not a building or a floor)."""
    return isinstance(location, Place)


runs_inspection = is_subcommittee | (is_section_manager & runs_as_section)
keeps_places = is_subcommittee | is_administrator
section_lead = is_subcommittee | (is_section_manager & in_own_section)

rules.add_perm("portal.view_inspections", is_staff_member)
rules.add_perm("inspections.view_inspection", is_staff_member)
rules.add_perm("inspections.add_inspection", is_subcommittee | is_section_manager)
rules.add_perm("inspections.change_inspection", runs_inspection)
rules.add_perm("inspections.record_answer", (runs_inspection | on_team) & inspection_not_done)
rules.add_perm("inspections.change_template", is_subcommittee)
rules.add_perm("inspections.manage_buildings", keeps_places)
rules.add_perm("inspections.manage_places", keeps_places | is_section_manager)
rules.add_perm(
    "inspections.keep_location",
    keeps_places | (is_section_manager & is_point & in_own_section),
)
rules.add_perm("inspections.view_finding", is_staff_member)
rules.add_perm("inspections.change_finding", section_lead & finding_not_closed)
rules.add_perm("inspections.correct_finding", (is_subcommittee | in_own_section) & finding_is_open)
rules.add_perm("inspections.propose_finding", section_lead & finding_is_open)
rules.add_perm("inspections.recheck_finding", section_lead & finding_awaits_recheck)
rules.add_perm("inspections.link_voices", is_subcommittee | in_own_section)
rules.add_perm(
    "inspections.view_summary",
    is_subcommittee | is_section_manager | is_council | is_administrator,
)
