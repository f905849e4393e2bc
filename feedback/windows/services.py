"""Workflows of the service windows (窓口): who may manage which section's windows, and save.

Every function takes keyword arguments, checks the permission of `by` itself (so that no
caller can forget), runs in one transaction, and records who did it in the history.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from takatsu_portal.accounts.models import Section
from takatsu_portal.accounts.permissions import (
    check_perm,
    is_administrator,
    is_subcommittee,
)
from takatsu_portal.core.forms import office_sections
from takatsu_portal.core.versioning import save_versioned

from ..models import (
    ServiceWindow,
)

# ---------------------------------------------------------------------------------------------
# Service windows


def manages_every_section(user):
    """The subcommittee and administrators manage every window of the office; a section
    manager only the windows of their own section."""
    return bool(is_subcommittee(user) or is_administrator(user))


def sections_for_windows(user):
    """The sections whose windows `user` may create and edit."""
    if user.office is None:
        return Section.objects.none()
    qs = office_sections(user.office)
    if manages_every_section(user):
        return qs
    return qs.filter(pk=user.section_id) if user.section_id else qs.none()


def may_manage_window(user, window):
    from takatsu_portal.accounts.permissions import user_may

    if not user_may(user, "feedback.manage_windows"):
        return False
    return sections_for_windows(user).filter(pk=window.section_id).exists()


@transaction.atomic
def window_save(*, window, by, expected_version=None):
    """Create or update a window. A section manager may only touch their own section's
    windows, and may not move a window into or out of it. An edit based on an older version
    than the saved one is refused (ConflictError), as is every save of a versioned row; the
    save also tells the home page's cache (save_versioned), which the survey analysis uses."""
    check_perm(by, "feedback.manage_windows", message="窓口を登録・編集する権限がありません。")
    allowed = sections_for_windows(by)
    refusal = "窓口を登録・編集できるのは、自分の課の窓口だけです。"
    if not allowed.filter(pk=window.section_id).exists():
        raise PermissionDenied(refusal)
    if window.pk is not None:
        original = ServiceWindow._base_manager.select_for_update().get(pk=window.pk)
        if not allowed.filter(pk=original.section_id).exists():
            raise PermissionDenied(refusal)
    window.full_clean()
    return save_versioned(window, by=by, expected_version=expected_version)
