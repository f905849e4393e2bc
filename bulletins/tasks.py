"""Background tasks of the bulletin (Celery beat): publish scheduled issues on time, and
remind readers of required articles."""

from celery import shared_task

from takatsu_portal.core.fiscal import today


@shared_task(name="bulletins.publish_due")
def publish_due():
    """Every minute: publish the scheduled issues whose time has come, so that an issue
    appears on time even when nobody opens the portal."""
    from .services import publish_due as publish

    return [issue.pk for issue in publish()]


@shared_task(name="bulletins.send_reminders")
def send_reminders():
    """Every morning: remind readers of required articles before and after the confirm-by
    date. Safe to run twice: each reminder is recorded and sent once."""
    from .services import send_reminders as send

    return send(today=today())
