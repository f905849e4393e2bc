import uuid

import pytest
from django.core.management import call_command

from takatsu_portal.core.tasks import ping
from tests.worker import celery_worker


@pytest.mark.worker
@pytest.mark.django_db
def test_a_task_makes_the_round_trip_through_redis_to_a_real_worker_and_back():
    token = uuid.uuid4().hex
    with celery_worker():
        answer = ping.delay(token).get(timeout=20)
    assert answer == {"token": token, "database": "postgresql", "policies": 5}


@pytest.mark.worker
@pytest.mark.django_db
def test_check_worker_command_reports_a_live_worker(capsys):
    with celery_worker():
        call_command("check_worker", timeout=20)
    assert "Worker OK: database postgresql, 5 policies." in capsys.readouterr().out


@pytest.mark.django_db
def test_check_worker_command_fails_clearly_when_no_worker_answers():
    from django.core.management.base import CommandError

    from takatsu_portal.celery import app

    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    try:
        with pytest.raises(CommandError, match="No worker answered"):
            call_command("check_worker", timeout=1)
    finally:
        app.conf.task_always_eager = eager
