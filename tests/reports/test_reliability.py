"""Report jobs against a real Redis and a real `celery worker` process: a request made while
Redis is down is kept and sent by the sweep when Redis is back; a worker killed mid-render
loses nothing (the pool process: re-delivered at once; the whole worker: the job is found
stuck in "running" and re-queued); transient errors are retried with back-off; a job
delivered twice makes one version.

Each test runs its own Redis on a free port (tests/redis_server.py), so stopping it disturbs
no other test process; and its own worker (tests/worker.py) on the test database, which sees
only committed rows (hence transaction=True)."""

import os
import signal
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from takatsu_portal.reports.models import ReportJob, ReportJobEvent, ReportVersion
from takatsu_portal.reports.services import enqueue, report_request, sweep_jobs
from tests.plans.factories import PlanFactory, ProjectFactory
from tests.redis_server import PrivateRedis, celery_broker
from tests.worker import celery_worker, kill_worker, pool_processes

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
State = ReportJob.State
Event = ReportJobEvent.Kind


@pytest.fixture
def redis():
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def plan(master_data, office):
    plan = PlanFactory(office=office, title="令和8年度 高津区役所サービス向上計画")
    ProjectFactory(plan=plan, title="窓口番号表示の導入")
    return plan


def worker(redis, media, **kwargs):
    env = {"CELERY_BROKER_URL": redis.url, "MEDIA_ROOT": str(media)}
    env.update(kwargs.pop("extra_env", {}))
    return celery_worker(extra_env=env, **kwargs)


def wait_for(predicate, *, timeout=60, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def state_of(job):
    return ReportJob.objects.values_list("state", flat=True).get(pk=job.pk)


def events(job):
    return list(ReportJobEvent.objects.filter(job=job).values_list("kind", flat=True))


def test_with_redis_stopped_a_request_is_queued_and_sent_by_the_sweep_when_redis_is_back(
    client, people, plan, redis, media
):
    client.force_login(people.subcommittee)
    with celery_broker(redis.url):
        redis.stop()
        response = client.post(
            reverse("reports:request", args=["annual_plan"]), {"annual_plan-plan": plan.pk}
        )
        assert response.status_code == 302  # the request is taken although Redis is down
        job = ReportJob.objects.get()
        assert job.state == State.QUEUED and job.sent_at is None
        assert events(job) == [Event.REQUESTED, Event.NOT_SENT]

        # The sweep while Redis is still down: nothing sent, nothing lost.
        assert sweep_jobs(now=timezone.now() + timedelta(minutes=1))["sent"] == 0
        assert state_of(job) == State.QUEUED

        redis.start()
        with worker(redis, media):
            assert sweep_jobs(now=timezone.now() + timedelta(minutes=1))["sent"] == 1
            wait_for(lambda: state_of(job) == State.SUCCEEDED, what="the job to succeed")
    job.refresh_from_db()
    assert job.sent_at is not None and job.version.page_count >= 4
    assert Event.RESENT in events(job) and events(job)[-1] == Event.SUCCEEDED


def test_a_message_lost_with_a_redis_restart_is_sent_again_by_the_sweep(
    people, plan, redis, media, settings
):
    with celery_broker(redis.url):
        # Sent on commit, but no worker takes it before Redis restarts empty.
        job = report_request(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)
        redis.stop()
        redis.start()
        job.refresh_from_db()
        assert job.state == State.QUEUED and job.sent_at is not None
        with worker(redis, media):
            # Not yet: a queued job may simply be waiting its turn.
            assert sweep_jobs()["resent"] == 0
            later = timezone.now() + timedelta(seconds=settings.REPORT_RESEND_AFTER + 1)
            assert sweep_jobs(now=later)["resent"] == 1
            wait_for(lambda: state_of(job) == State.SUCCEEDED, what="the job to succeed")
    assert ReportVersion.objects.filter(job=job).count() == 1


def slow_job(people, plan, tmp_path, seconds=120):
    """A job whose first build sleeps (so a test can kill its worker mid-render) and whose
    later builds are quick."""
    return report_request(
        kind="test_kind",
        params={"plan": plan.pk, "sleep_once": str(tmp_path / "slept"), "seconds": seconds},
        by=people.subcommittee,
    )


def test_a_pool_process_killed_mid_render_has_its_job_delivered_again(
    people, plan, redis, media, tmp_path
):
    with celery_broker(redis.url), worker(redis, media) as proc:
        job = slow_job(people, plan, tmp_path)  # sent on commit (autocommit: at once)
        wait_for(lambda: state_of(job) == State.RUNNING, what="the render to start")
        wait_for(lambda: (tmp_path / "slept").exists(), what="the build to sleep")
        for pid in pool_processes(proc):
            os.kill(pid, signal.SIGKILL)
        # acks_late + reject_on_worker_lost: the message goes back to the queue at once.
        wait_for(lambda: state_of(job) == State.SUCCEEDED, what="the re-delivered job")
    job.refresh_from_db()
    assert job.attempts == 2
    assert ReportVersion.objects.filter(job=job).count() == 1


def test_a_job_stuck_in_running_after_its_worker_died_is_requeued_and_rendered_once(
    people, plan, redis, media, tmp_path, settings
):
    with celery_broker(redis.url):
        with worker(redis, media) as proc:
            job = slow_job(people, plan, tmp_path)
            wait_for(lambda: (tmp_path / "slept").exists(), what="the build to sleep")
            kill_worker(proc)  # the whole worker, as a power cut: nothing acknowledged
        assert state_of(job) == State.RUNNING

        # Within the time-out the sweep leaves it alone; past it, the job is re-queued.
        assert sweep_jobs()["requeued"] == 0
        later = timezone.now() + timedelta(seconds=settings.REPORT_JOB_TIMEOUT + 1)
        counts = sweep_jobs(now=later)
        assert counts["requeued"] == 1 and counts["sent"] == 1
        with worker(redis, media):
            wait_for(lambda: state_of(job) == State.SUCCEEDED, what="the re-queued job")
    job.refresh_from_db()
    assert job.attempts == 2
    assert Event.REQUEUED in events(job)
    assert ReportVersion.objects.filter(job=job).count() == 1


def test_transient_errors_are_retried_with_back_off_then_the_job_succeeds(
    people, plan, redis, media, tmp_path
):
    counter = tmp_path / "builds"
    with celery_broker(redis.url), worker(redis, media):
        job = report_request(
            kind="test_kind",
            params={"plan": plan.pk, "counter": str(counter), "fail_times": 2},
            by=people.subcommittee,
        )
        wait_for(lambda: state_of(job) == State.SUCCEEDED, what="the retried job")
    job.refresh_from_db()
    assert counter.read_text() == "3" and job.attempts == 3
    assert events(job).count(Event.RETRY) == 2
    retries = ReportJobEvent.objects.filter(job=job, kind=Event.RETRY).order_by("at")
    assert "一時的なエラー（1回目）" in retries[0].message


def test_a_job_delivered_twice_at_once_makes_one_version(people, plan, redis, media):
    with celery_broker(redis.url), worker(redis, media, concurrency=2):
        job = report_request(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)
        enqueue(job.pk)  # a second delivery of the same job, beside the one sent on commit
        wait_for(lambda: state_of(job) == State.SUCCEEDED, what="the job")
        time.sleep(2)  # let the second delivery finish too
    assert ReportVersion.objects.filter(job=job).count() == 1
    assert ReportJob.objects.get(pk=job.pk).state == State.SUCCEEDED
