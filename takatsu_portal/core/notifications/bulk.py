"""Many notifications at once (for example everyone in a bulletin article's audience): one
INSERT for all of them, and after the commit one task that queues the e-mail of each one that
should be mailed. `notify()` is the same thing for one person."""

from dataclasses import dataclass

from django.db import transaction

from .. import attention as home_attention
from ..models import Notification


@dataclass(frozen=True)
class Notice:
    """One notification to write: to whom, what, where it links, and whether it is mailed too
    (only when the recipient has an address: the mail task checks)."""

    recipient_id: int
    message: str
    url: str = ""
    email: bool = False


def notify_bulk(notices, *, batch_size=1000):
    """Write every notice as a Notification with `bulk_create` (a query per `batch_size`, not
    per person), move the recipients' home-page generations (their unread count and lists are
    computed again, as after `notify()`) and, once the current transaction commits, queue one
    task that sends the mails of those marked `email`. Returns the notifications (with their
    ids)."""
    notices = list(notices)
    if not notices:
        return []
    created = Notification.objects.bulk_create(
        [Notification(recipient_id=n.recipient_id, message=n.message, url=n.url) for n in notices],
        batch_size=batch_size,
    )
    home_attention.changed(users={n.recipient_id for n in notices})
    to_mail = [notification.pk for notification, n in zip(created, notices, strict=True) if n.email]
    if to_mail:
        from ..tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.delay(to_mail))
    return created
