"""Celery tasks of training: the reminder the working day before a session (beat, daily)."""

from celery import shared_task

from . import reminders


@shared_task(name="training.send_reminders")
def send_reminders():
    return reminders.send_due_reminders()
