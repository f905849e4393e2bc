"""Background tasks of the feedback app."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="feedback.purge_voice_personal_data")
def purge_voice_personal_data():
    """Nightly (Celery beat): the retention rule for residents' names and contacts."""
    call_command("purge_voice_personal_data")
