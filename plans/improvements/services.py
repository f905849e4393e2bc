"""Workflows of individual improvements (個別業務の改善): record, and the section manager's
acknowledgement.

Every function takes keyword arguments, checks the permission of `by` itself (so that no
caller can forget), runs in one transaction, and records who did it in the history.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from takatsu_portal.accounts.permissions import check_perm
from takatsu_portal.core.notifications import notify
from takatsu_portal.core.versioning import save_versioned

# ---------------------------------------------------------------------------------------------
# Individual improvements


NO_SECTION = "所属課が設定されていないため記録できません。管理者に連絡してください。"


def improvement_save(*, improvement, by, policies=(), expected_version=None):
    if improvement.pk is None:
        check_perm(by, "plans.add_improvement")
        improvement.author = by
        if improvement.section_id is None:
            if by.section_id is None:
                raise ValidationError(NO_SECTION)
            improvement.section_id = by.section_id
    else:
        check_perm(
            by,
            "plans.change_improvement",
            improvement,
            "改善の記録を修正できるのは記録者です（課長の確認前のみ）。",
        )
    with transaction.atomic():
        save_versioned(improvement, by=by, expected_version=expected_version)
        improvement.policies.set(policies)
    return improvement


@transaction.atomic
def improvement_acknowledge(
    *, improvement, by, comment="", good_practice=False, expected_version=None
):
    check_perm(
        by,
        "plans.acknowledge_improvement",
        improvement,
        "改善の記録を確認できるのは、その課の課長です。",
    )
    if improvement.is_acknowledged:
        raise ValidationError("この改善はすでに確認済みです。")
    improvement.acknowledged_by = by
    improvement.acknowledged_at = timezone.now()
    improvement.manager_comment = comment
    improvement.is_good_practice = good_practice
    save_versioned(improvement, by=by, expected_version=expected_version, reason="課長確認")
    notify(
        recipient=improvement.author,
        message=f"改善の記録「{improvement.title}」を課長が確認しました"
        + ("（優良事例として共有）" if good_practice else ""),
        url=improvement.get_absolute_url(),
    )
    return improvement
