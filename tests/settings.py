"""Test settings: the production settings with test-only speed-ups, nothing else."""

import os

from takatsu_portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Static files come from the finders in tests (no collectstatic); WhiteNoise wants the folder.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = BASE_DIR / "var" / "test-static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Tasks run in the calling process in most tests; the tests of the real thing start a worker
# and switch this off for their duration (tests/worker.py).
# A worker started by those tests runs with TEST_CELERY_EAGER=0: the tasks it sends (a retry,
# a task that sends another) go through the broker as in production.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("TEST_CELERY_EAGER", "1") == "1"

# Each xdist worker sends tasks to a queue of its own, so that a real worker started by one
# test process never takes a task of another (whose database it does not see).
CELERY_TASK_DEFAULT_QUEUE = "tests-" + os.environ.get("PYTEST_XDIST_WORKER", "main")

# The Redis cache is shared by the test processes: each keeps to its own keys.
CACHES["default"]["KEY_PREFIX"] = CELERY_TASK_DEFAULT_QUEUE  # noqa: F405

# A report kind that sleeps or fails on demand, for the reliability tests (tests/reportkinds).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.reportkinds.apps.ReportKindsConfig"]  # noqa: F405

# seed_demo without its PDFs, except in the test of the demo reports (tests/demo/test_reports.py):
# the other demo tests run it dozens of times.
DEMO_REPORTS = False

# Uploaded files (inspection photos that seed_demo draws, attachments) go to a folder of this
# test process, not to the development machine's var/media.
import tempfile  # noqa: E402

# A worker started by a test is told the test's folder through the environment.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="takatsu-test-media-"))  # noqa: F405

# The suite proves the office-scope guard: it raises in every test whatever the environment
# says (OFFICE_SCOPE_GUARD=warn in a shell); the tests of "warn" and "off" set those themselves.
OFFICE_SCOPE_GUARD = "raise"
