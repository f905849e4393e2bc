import uuid

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from takatsu_portal.core.tasks import ping


class Command(BaseCommand):
    help = "Send a ping task through the broker and wait for a worker's answer (operations check)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0)

    def handle(self, *args, timeout, **options):
        if not settings.CELERY_BROKER_URL:
            self.stdout.write("CELERY_BROKER_URL is empty: tasks run inside the web process.")
            return
        token = uuid.uuid4().hex
        try:
            answer = ping.delay(token).get(timeout=timeout)
        except CeleryTimeout:
            raise CommandError(f"No worker answered within {timeout:g} s.") from None
        if answer.get("token") != token:
            raise CommandError(f"Unexpected answer: {answer!r}")
        self.stdout.write(
            f"Worker OK: database {answer['database']}, {answer['policies']} policies."
        )
