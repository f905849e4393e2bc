"""Notifications (お知らせ): telling a member of staff that something happened, as a
Notification on the home page and an e-mail sent by a Celery task after the transaction
commits. `attention.py` lists the unread ones on the home page; `views.py` and `urls.py` are
the notifications page."""

from django.db import transaction

from ..models import Notification


def notify(*, recipient, message, url=""):
    """Create a notification for `recipient` and mail it once the current transaction commits."""
    notification = Notification.objects.create(recipient=recipient, message=message, url=url)
    if recipient.email:
        from ..tasks import send_notification_email

        transaction.on_commit(lambda: send_notification_email.delay(notification.pk))
    return notification


def notify_many(*, recipients, message, url=""):
    return [notify(recipient=r, message=message, url=url) for r in recipients]
