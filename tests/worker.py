"""A real Celery worker for tests, started as a separate process against the test database
and the Redis of CELERY_BROKER_URL (Celery's eager mode is not a test of the real thing)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_database_url():
    db = settings.DATABASES["default"]
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{connection.settings_dict['NAME']}"
    )


@contextmanager
def celery_worker(*, queues=None, concurrency=1, extra_env=None, timeout=30):
    """Start `celery worker` on the test database; yield the process; stop it on exit."""
    if not settings.CELERY_BROKER_URL:
        raise RuntimeError("CELERY_BROKER_URL must name a Redis for worker tests")
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=test_database_url(),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        CONN_MAX_AGE="0",
        TEST_CELERY_EAGER="0",
    )
    env.update(extra_env or {})
    name = f"test-{os.getpid()}-{time.monotonic_ns()}@localhost"
    cmd = [
        sys.executable, "-m", "celery", "-A", "takatsu_portal", "worker",
        "--loglevel", "INFO", "--concurrency", str(concurrency), "--pool", "prefork",
        "--hostname", name, "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    cmd += ["--queues", ",".join(queues or [settings.CELERY_TASK_DEFAULT_QUEUE])]
    from takatsu_portal.celery import app

    # Tests run tasks in-process by default; through the broker while this worker runs.
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    log_path = ROOT / "var" / f"worker-{name.split('@')[0]}.log"
    log_path.parent.mkdir(exist_ok=True)
    with open(log_path, "wb") as log:
        # A session of its own: the worker and its pool processes can be killed as one group
        # (a test of a dying worker), and are, at the end, whatever state they are in.
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("worker exited:\n" + log_path.read_text())
            replies = app.control.ping(destination=[name], timeout=0.5)
            if replies:
                break
        else:
            raise RuntimeError("worker did not start in time:\n" + log_path.read_text())
        proc.log_path = log_path
        yield proc
    finally:
        app.conf.task_always_eager = eager
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # pool processes left behind by a killed worker


def kill_worker(proc):
    """Kill a worker and its pool processes at once, as a power cut or an OOM kill would:
    no task is acknowledged or rejected."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def pool_processes(proc):
    """The process ids of the worker's pool (its children)."""
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    return [int(pid) for pid in children]
