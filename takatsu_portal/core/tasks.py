"""Background tasks of the foundation: a worker health check and housekeeping."""

import logging

from celery import shared_task
from django.core.management import call_command
from django.db import connection

logger = logging.getLogger(__name__)


@shared_task(name="core.ping")
def ping(token):
    """Answer with the token and what the worker sees of the database: proves that a task went
    through the broker to a worker that reaches the same database as the web process."""
    from .models import Policy

    return {"token": token, "database": connection.vendor, "policies": Policy.objects.count()}


@shared_task(name="core.clear_expired_sessions")
def clear_expired_sessions():
    """Delete expired sessions (Django does not do it by itself)."""
    call_command("clearsessions")


@shared_task(name="core.expire_pending_uploads")
def expire_pending_uploads():
    """Delete the pending uploads of refused forms never attached (core.pending_uploads)."""
    from . import pending_uploads

    return pending_uploads.expire()


@shared_task(
    name="core.send_notification_email",
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def send_notification_email(notification_id):
    """Mail one notification to its recipient. SMTP and network errors (`OSError`) are
    retried with back-off; a message refused for its content (`ValueError`, such as a header
    that would span lines) would be refused again, so it is logged with the notification's id
    and dropped. The subject is one line whatever the message holds."""
    from django.conf import settings
    from django.core import mail

    from .fields import one_line
    from .models import Notification

    notification = (
        Notification.objects.select_related("recipient__section__department__office")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or not notification.recipient.email:
        return
    link = f"\n\n{settings.PORTAL_BASE_URL}{notification.url}" if notification.url else ""
    office = notification.recipient.office
    portal_name = office.portal_title if office is not None else settings.PORTAL_NAME
    try:
        mail.send_mail(
            subject=one_line(f"[{portal_name}] {notification.message}")[:150],
            message=f"{notification.recipient}さん\n\n{notification.message}{link}\n",
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except ValueError:
        logger.exception(
            "notification mail refused for its content: notification=%s recipient=%s",
            notification.pk,
            notification.recipient_id,
        )


@shared_task(name="core.send_notification_emails")
def send_notification_emails(notification_ids):
    """Queue the mail of each notification written by `notify_bulk` whose recipient has an
    address (one query finds them): one task per mail, so each keeps its own retries and one
    bad address never holds up the rest."""
    from .models import Notification

    to_mail = list(
        Notification.objects.filter(pk__in=notification_ids)
        .exclude(recipient__email="")
        .values_list("pk", flat=True)
    )
    for notification_id in to_mail:
        send_notification_email.delay(notification_id)
    return len(to_mail)
