"""Who may do what with plain language (see accounts.permissions for the layer).

Every member of staff checks texts (the page, the live check in editors, the JSON API), reads
the glossary and the audit of the texts they may read; the bulletin editors, the subcommittee
and administrators keep the glossary; the subcommittee, the council and administrators see the
audit's count by section.
"""

import rules

from takatsu_portal.accounts.permissions import (
    is_administrator,
    is_council,
    is_editor,
    is_staff_member,
    is_subcommittee,
)

rules.add_perm("plain_language.check", is_staff_member)
rules.add_perm("plain_language.view_glossary", is_staff_member)
rules.add_perm("plain_language.edit_glossary", is_editor | is_subcommittee | is_administrator)
rules.add_perm("plain_language.view_audit", is_staff_member)
rules.add_perm(
    "plain_language.view_audit_by_section", is_subcommittee | is_council | is_administrator
)
