"""Background tasks of the foundation: a worker health check and housekeeping."""

from celery import shared_task
from django.core.management import call_command
from django.db import connection


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
