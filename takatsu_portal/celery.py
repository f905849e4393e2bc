"""The Celery application: configured from Django settings (namespace CELERY)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "takatsu_portal.settings")

app = Celery("takatsu_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Tasks run outside requests: the office-scope guard is off in them (core/scoping.py), also
# when a test runs one eagerly inside a request.
from takatsu_portal.core import scoping  # noqa: E402

task_prerun.connect(scoping.task_started, weak=False)
task_postrun.connect(scoping.task_finished, weak=False)
