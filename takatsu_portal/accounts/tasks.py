"""Background tasks of accounts."""

from celery import shared_task

from takatsu_portal.core.fiscal import today


@shared_task(name="accounts.apply_staff_transfers")
def apply_staff_transfers():
    """Daily (Celery beat, just after midnight): apply the staff transfers whose effective date
    has come (accounts/transfers.py). Safe to run twice: an applied transfer is skipped."""
    from .transfers import transfers_apply_due

    return transfers_apply_due(day=today())
