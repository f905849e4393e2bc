"""Background work of plain language: the audit's texts checked ahead of the first visit."""

from celery import shared_task
from django.db import transaction

WARM_TASK = "plain_language.warm_audit"


@shared_task(name=WARM_TASK)
def warm_audit():
    """Nightly (Celery beat) and after each change of the glossary."""
    from .audit import audit_warm

    return audit_warm()


def _send():
    warm_audit.delay()


def warm_audit_on_commit():
    """Queue the warm-up once the glossary change is committed: once per transaction, however
    many terms it changed (an import changes hundreds)."""
    connection = transaction.get_connection()
    if any(entry[1] is _send for entry in connection.run_on_commit):
        return
    transaction.on_commit(_send)
