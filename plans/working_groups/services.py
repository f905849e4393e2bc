"""Workflows of the working groups (ワーキンググループ): save a group with its members.

Every function takes keyword arguments, checks the permission of `by` itself (so that no
caller can forget), runs in one transaction, and records who did it in the history.
"""

from django.db import transaction

from takatsu_portal.accounts.permissions import check_perm
from takatsu_portal.core.versioning import save_versioned

# ---------------------------------------------------------------------------------------------
# Working groups


def working_group_save(*, group, by, members, expected_version=None):
    if group.pk is None:
        check_perm(
            by,
            "plans.add_working_group",
            message="ワーキンググループを設置できるのは推進部会の委員です。",
        )
    else:
        check_perm(
            by,
            "plans.change_working_group",
            group,
            "このワーキンググループを編集できるのは推進部会の委員とリーダーです。",
        )
    with transaction.atomic():
        save_versioned(group, by=by, expected_version=expected_version)
        group.members.set(members)
    return group
