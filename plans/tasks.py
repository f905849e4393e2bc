"""Background tasks of the plans app."""

from celery import shared_task

from takatsu_portal.core.fiscal import today


@shared_task(name="plans.send_progress_reminders")
def send_progress_reminders():
    """Daily (Celery beat): remind leads of progress reports due soon or overdue. Safe to run
    twice: each reminder is recorded and sent once."""
    from .progress.services import send_reminders

    return send_reminders(today=today())
