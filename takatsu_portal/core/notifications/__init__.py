"""Notifications (お知らせ): telling a member of staff that something happened, as a
Notification on the home page and an e-mail sent by a Celery task after the transaction
commits. `attention.py` lists the unread ones on the home page; `views.py` and `urls.py` are
the notifications page."""

from django.db import transaction
from django.utils import timezone

from .. import attention as home_attention  # not `attention`: the name of a submodule here
from ..models import Notification


def notify(*, recipient, message, url=""):
    """Create a notification for `recipient` and mail it once the current transaction commits."""
    notification = Notification.objects.create(recipient=recipient, message=message, url=url)
    home_attention.changed(users=[recipient])
    if recipient.email:
        from ..tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


def notify_many(*, recipients, message, url=""):
    """`notify()` for each of `recipients` in one INSERT (`notify_bulk`): each is mailed when
    they have an address, and their home-page lists are computed again."""
    from .bulk import Notice, notify_bulk

    return notify_bulk(
        Notice(recipient_id=r.pk, message=message, url=url, email=bool(r.email)) for r in recipients
    )


def notifications_mark_read(*, user, pk=None):
    """Mark the user's notification `pk` read, or all their unread ones; the number marked."""
    unread = user.notifications.unread()
    if pk is not None:
        unread = unread.filter(pk=pk)
    count = unread.update(read_at=timezone.now())
    if count:
        home_attention.changed(users=[user])
    return count
