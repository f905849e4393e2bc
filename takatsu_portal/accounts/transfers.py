"""Staff transfers (人事異動): scheduled in the admin, applied on their effective date by the
daily beat task `accounts.apply_staff_transfers`.

Applying one changes the person's section, nothing else: the User row (and so everything that
points at it: their progress reports, proposals, enrolments and certificates) stays theirs,
and django-simple-history records the change with the transfer as its reason. Every access
rule reads the office from the section (accounts/scope.py), so from that moment the person
sees the new ward's records and none of the old one's."""

from django.db import transaction
from django.utils import timezone

from takatsu_portal.core import attention

from . import authcache
from .models import StaffTransfer


def transfer_apply(*, transfer_id, day) -> bool:
    """Apply one transfer if it is due on `day` and not yet applied; True when it was applied.
    The row is locked, so two workers running the beat at once apply it once."""
    with transaction.atomic():
        transfer = (
            StaffTransfer.objects.select_for_update(of=("self",))
            .select_related("user", "to_section")
            .filter(pk=transfer_id)
            .due(day)
            .first()
        )
        if transfer is None:
            return False
        user = transfer.user
        transfer.from_section_id = user.section_id
        user.section = transfer.to_section
        user._change_reason = f"人事異動（{transfer.effective_on:%Y年%m月%d日}発令）"
        user.save(update_fields=["section"])
        transfer.applied_at = timezone.now()
        transfer._change_reason = "発令日に反映"
        transfer.save(update_fields=["from_section", "applied_at"])
    # The person's cached roles, permissions and home-page items belong to the old section.
    authcache.changed()
    attention.changed()
    return True


def transfers_apply_due(*, day) -> int:
    """Apply every transfer due on or before `day` (a missed beat catches up), oldest first;
    returns how many were applied."""
    ids = StaffTransfer.objects.due(day).order_by("effective_on", "id").values_list("pk", flat=True)
    return sum(transfer_apply(transfer_id=pk, day=day) for pk in list(ids))
