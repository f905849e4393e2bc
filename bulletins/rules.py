"""Who may do what in the bulletin (see accounts.permissions).

Editors (情報紙編集者), the subcommittee and administrators write and publish; every member of
staff reads what is addressed to them; section managers see the reading status of their own
section, editors and the subcommittee of everyone.

The names are the app's own (not Django's model permissions), so the admin's answers come from
ROLE_PERMISSIONS alone.
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

is_editor = has_role(Role.EDITOR)
edits_bulletins = is_editor | is_subcommittee | is_administrator


@rules.predicate
def issue_not_published(user, issue):
    return issue is None or not issue.is_published


@rules.predicate
def issue_is_draft(user, issue):
    from .models import Issue

    return issue is not None and issue.state == Issue.State.DRAFT


@rules.predicate
def article_issue_is_draft(user, article):
    return article is not None and issue_is_draft(user, article.issue)


@rules.predicate
def article_is_published(user, article):
    return article is not None and article.issue.is_published


rules.add_perm("bulletins.read", is_staff_member)
rules.add_perm("bulletins.edit", edits_bulletins)
rules.add_perm("bulletins.add_article_to", edits_bulletins & issue_not_published)
rules.add_perm("bulletins.publish_issue", edits_bulletins & issue_not_published)
rules.add_perm("bulletins.unschedule_issue", edits_bulletins)
rules.add_perm("bulletins.delete_draft_article", edits_bulletins & article_issue_is_draft)
# Reading status: everyone's for editors and the subcommittee, one's own section's for a
# section manager.
rules.add_perm("bulletins.view_all_status", edits_bulletins)
rules.add_perm(
    "bulletins.view_status", (edits_bulletins | is_section_manager) & article_is_published
)
rules.add_perm("bulletins.view_issue_status", edits_bulletins | is_section_manager)
