"""Report jobs: a row first and a task second; one version per job however often it runs;
who may see the reports page and download a file, and who may not."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from takatsu_portal.core.models import AuditEvent, Notification
from takatsu_portal.reports import tasks
from takatsu_portal.reports.models import ReportJob, ReportVersion
from takatsu_portal.reports.rendering import render_job
from takatsu_portal.reports.services import request_report, sweep_jobs
from tests.plans.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(plan):
    return ProjectFactory(plan=plan, title="窓口番号表示の導入", budget_requested=1_234_000)


@pytest.fixture
def job(plan, people, project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return request_report(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)


def test_request_report_creates_a_queued_job_before_commit(
    plan, people, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = request_report(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)
    job.refresh_from_db()
    assert job.state == ReportJob.State.QUEUED
    assert job.office == plan.office
    assert len(callbacks) == 1
    assert not ReportVersion.objects.exists()


def test_a_job_asked_for_in_a_request_is_sent_inside_the_office_scope_guard(
    plan, people, project, django_capture_on_commit_callbacks, monkeypatch
):
    """In a request the job is sent when the request's transaction commits, still inside the
    office-scope guard (core/scoping.py): marking the job sent must not be an unscoped query
    (it was, and the live server's report flow answered 500)."""
    from types import SimpleNamespace

    from takatsu_portal.core.scoping import guarded
    from takatsu_portal.reports import services

    sent = SimpleNamespace(delay=lambda job_id: SimpleNamespace(id=f"task-{job_id}"))
    monkeypatch.setattr(services, "_render_task", lambda: sent)
    with guarded("raise"), django_capture_on_commit_callbacks(execute=True):
        job = request_report(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)
    job.refresh_from_db()
    assert job.celery_task_id == f"task-{job.pk}" and job.sent_at is not None
    assert job.state == ReportJob.State.QUEUED


def test_request_report_renders_one_version_on_commit(job, settings):
    job.refresh_from_db()
    assert job.state == ReportJob.State.SUCCEEDED
    assert job.attempts == 1 and job.started_at and job.finished_at
    version = job.version
    assert version.page_count >= 4 and version.size > 1000 and len(version.sha256) == 64
    assert version.file.name.startswith("reports/") and version.file.name != "reports/report.pdf"
    assert (settings.MEDIA_ROOT / version.file.name).read_bytes().startswith(b"%PDF")
    assert version.snapshot["params"] == {"plan": job.params["plan"]}


def test_render_job_twice_makes_one_version(job):
    first = job.version
    again = render_job(job.pk)
    assert again.pk == first.pk
    tasks.render_report.delay(job.pk)
    assert ReportVersion.objects.count() == 1


def test_broker_outage_leaves_the_job_queued(
    plan, people, project, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.render_report, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_report(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)
    job.refresh_from_db()
    assert job.state == ReportJob.State.QUEUED
    assert not ReportVersion.objects.exists()


def test_a_failing_render_marks_the_job_failed_with_the_error(
    plan, people, project, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(job_id):
        raise ValueError("テンプレートの誤り")

    monkeypatch.setattr("takatsu_portal.reports.rendering.render_job", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_report(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED
    assert "テンプレートの誤り" in job.error


def test_task_is_late_acking_with_a_retry_cap():
    task = tasks.render_report
    assert task.acks_late and task.reject_on_worker_lost
    assert task.max_retries == 3 and OSError in task.autoretry_for


# Pages and permissions


def test_subcommittee_member_sees_the_reports_page_with_their_job(client, people, job):
    client.force_login(people.subcommittee)
    response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "区役所サービス向上計画" in html
    assert reverse("reports:download", args=[job.pk]) in html


def test_staff_may_not_see_the_reports_page(client, people):
    client.force_login(people.staff)
    assert client.get(reverse("reports:index")).status_code == 403


def test_subcommittee_member_requests_a_report_through_the_form(
    client, people, plan, project, django_capture_on_commit_callbacks
):
    client.force_login(people.subcommittee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request", args=["annual_plan"]), {"annual_plan-plan": plan.pk}
        )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.requested_by == people.subcommittee and job.params == {"plan": plan.pk}
    assert job.state == ReportJob.State.SUCCEEDED


def test_stranger_may_not_request_a_report_of_another_office(client, stranger, plan):
    client.force_login(stranger)
    client.post(reverse("reports:request", args=["annual_plan"]), {"annual_plan-plan": plan.pk})
    assert not ReportJob.objects.exists()


def test_staff_may_not_request_a_report(client, people, plan):
    client.force_login(people.staff)
    assert (
        client.post(
            reverse("reports:request", args=["annual_plan"]), {"annual_plan-plan": plan.pk}
        ).status_code
        == 403
    )
    assert not ReportJob.objects.exists()


def test_council_member_downloads_the_pdf(client, people, job):
    client.force_login(people.council)
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = AuditEvent.objects.get(action="export")
    assert event.user == people.council
    assert event.detail == {
        "what": "report",
        "job": job.pk,
        "kind": "annual_plan",
        "sha256": job.version.sha256,
    }


def test_staff_may_not_download(client, people, job):
    client.force_login(people.staff)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 403


def test_stranger_gets_404_on_download_and_row(client, stranger, job):
    client.force_login(stranger)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404
    assert (
        client.get(
            reverse("reports:job_row", args=[job.pk]), headers={"HX-Request": "true"}
        ).status_code
        == 404
    )
    response = client.get(reverse("reports:index"))
    assert reverse("reports:download", args=[job.pk]) not in response.content.decode()


def test_queued_row_polls_with_htmx_and_keeps_a_real_link(
    client, people, plan, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = request_report(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)
    client.force_login(people.subcommittee)
    row_url = reverse("reports:job_row", args=[job.pk])
    html = client.get(reverse("reports:index")).content.decode()
    assert f'hx-get="{row_url}?table=mine&amp;was=queued"' in html
    assert f'hx-get="{row_url}?table=all&amp;was=queued"' in html
    assert 'hx-trigger="every 2s"' in html
    assert f'href="{reverse("reports:detail", args=[job.pk])}"' in html
    row = client.get(row_url, headers={"HX-Request": "true"})
    assert (
        row.status_code == 200
        and "<tr" in row.content.decode()
        and "<html" not in row.content.decode()
    )
    assert client.get(row_url)["Location"] == reverse("reports:detail", args=[job.pk])


def test_download_of_an_unfinished_job_is_404(
    client, people, plan, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = request_report(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)
    client.force_login(people.subcommittee)
    assert client.get(reverse("reports:download", args=[job.pk])).status_code == 404


def test_transient_os_errors_are_retried_then_the_job_fails(plan, people, project, monkeypatch):
    calls = []

    def flaky(job_id):
        calls.append(job_id)
        raise OSError("disk full")

    monkeypatch.setattr("takatsu_portal.reports.rendering.render_job", flaky)
    monkeypatch.setattr(tasks.render_report, "retry_backoff", False)
    job = ReportJob.objects.create(
        kind="annual_plan",
        params={"plan": plan.pk},
        requested_by=people.subcommittee,
        office=plan.office,
    )
    # Eager mode cannot run a retry later: each delivery is applied with its retry count
    # (a retry keeps the task's id).
    with pytest.raises(Retry):
        tasks.render_report.apply(args=[job.pk], retries=0, task_id="render-1")
    job.refresh_from_db()
    assert job.state == ReportJob.State.RUNNING and not job.error  # will be retried
    with pytest.raises(OSError):
        tasks.render_report.apply(args=[job.pk], retries=3, task_id="render-1")
    job.refresh_from_db()
    assert len(calls) == 2 and job.attempts == 2
    assert job.state == ReportJob.State.FAILED and "disk full" in job.error


# The job page, retry of a failed job, the sweep


@pytest.fixture
def failed_job(plan, people, project, monkeypatch, django_capture_on_commit_callbacks):
    def broken(job_id):
        raise ValueError("テンプレートの誤り")

    monkeypatch.setattr("takatsu_portal.reports.rendering.render_job", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_report(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)
    monkeypatch.undo()
    job.refresh_from_db()
    return job


def test_the_requester_reads_why_a_job_failed_and_is_notified(client, people, failed_job):
    assert failed_job.state == ReportJob.State.FAILED
    notification = Notification.objects.get(recipient=people.subcommittee)
    assert "失敗" in notification.message
    assert notification.url == reverse("reports:detail", args=[failed_job.pk])
    client.force_login(people.subcommittee)
    html = client.get(reverse("reports:detail", args=[failed_job.pk])).content.decode()
    assert "作成に失敗しました" in html and "ValueError: テンプレートの誤り" in html
    assert reverse("reports:retry", args=[failed_job.pk]) in html
    kinds = list(failed_job.events.values_list("kind", flat=True))
    # (Eager in tests: the task runs inside the send, so "sent" is written after it.)
    assert kinds[0] == "requested" and sorted(kinds[1:]) == ["failed", "sent", "started"]


def test_the_requester_retries_a_failed_job_and_it_succeeds(
    client, people, failed_job, django_capture_on_commit_callbacks
):
    client.force_login(people.subcommittee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", args=[failed_job.pk]))
    assert response["Location"] == reverse("reports:detail", args=[failed_job.pk])
    failed_job.refresh_from_db()
    assert failed_job.state == ReportJob.State.SUCCEEDED and not failed_job.error
    assert failed_job.version.page_count >= 4
    retried = failed_job.events.get(kind="retried_by_user")
    assert retried.by == people.subcommittee


def test_a_council_member_who_did_not_ask_may_not_retry(client, people, failed_job):
    client.force_login(people.council)
    html = client.get(reverse("reports:detail", args=[failed_job.pk])).content.decode()
    assert reverse("reports:retry", args=[failed_job.pk]) not in html
    assert client.post(reverse("reports:retry", args=[failed_job.pk])).status_code == 403
    failed_job.refresh_from_db()
    assert failed_job.state == ReportJob.State.FAILED


def test_a_job_that_did_not_fail_is_not_retried(client, people, job):
    client.force_login(people.subcommittee)
    response = client.post(reverse("reports:retry", args=[job.pk]), follow=True)
    assert "失敗した報告書だけを再実行できます。" in response.content.decode()
    assert job.events.filter(kind="retried_by_user").count() == 0


def test_the_job_page_shows_the_version_its_facts_and_every_step(client, people, job, plan):
    client.force_login(people.council)
    html = client.get(reverse("reports:detail", args=[job.pk])).content.decode()
    version = job.version
    assert version.sha256 in html and version.title in html
    assert f"第{plan.version}版" not in html or "計画の版" in html
    assert "計画の版" in html and "事業数" in html
    for label in ("依頼", "ワーカーへ送信", "作成開始", "完了"):
        assert label in html
    assert version.snapshot["facts"]["plan_version"] == plan.version
    assert version.snapshot["facts"]["projects"] == 1


def test_staff_and_strangers_do_not_see_the_job_page(client, people, stranger, job):
    client.force_login(people.staff)
    assert client.get(reverse("reports:detail", args=[job.pk])).status_code == 403
    client.force_login(stranger)
    assert client.get(reverse("reports:detail", args=[job.pk])).status_code == 404


def test_a_council_member_may_read_but_not_request(client, people, plan):
    client.force_login(people.council)
    html = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:request", args=["annual_plan"]) not in html
    response = client.post(
        reverse("reports:request", args=["annual_plan"]), {"annual_plan-plan": plan.pk}
    )
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


def test_a_bad_choice_re_renders_the_page_with_the_error(client, people, plan):
    client.force_login(people.subcommittee)
    response = client.post(
        reverse("reports:request", args=["annual_plan"]), {"annual_plan-plan": "999999"}
    )
    assert response.status_code == 400
    assert "正しく選択してください" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_an_unknown_kind_is_404(client, people):
    client.force_login(people.subcommittee)
    assert client.post(reverse("reports:request", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("count", [3, 40])
def test_the_reports_page_runs_a_fixed_number_of_queries(
    client, people, plan, project, count, django_assert_max_num_queries
):
    for _ in range(count):
        ReportJob.objects.create(
            kind="annual_plan",
            params={"plan": plan.pk},
            requested_by=people.subcommittee,
            office=plan.office,
        )
    client.force_login(people.subcommittee)
    # The same bound at 3 and at 40 jobs: whether each row may be cancelled is decided from the
    # user's roles, read once.
    with django_assert_max_num_queries(28):
        response = client.get(reverse("reports:index"))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(count, 25)


def make_job(plan, people, **fields):
    return ReportJob.objects.create(
        kind="annual_plan",
        params={"plan": plan.pk},
        requested_by=people.subcommittee,
        office=plan.office,
        **fields,
    )


def test_the_sweep_requeues_a_job_stuck_in_running_past_the_time_out(plan, people, project):
    now = timezone.now()
    stuck = make_job(
        plan, people, state=ReportJob.State.RUNNING, started_at=now - timedelta(hours=1),
        attempts=1, sent_at=now - timedelta(hours=1), celery_task_id="lost",
    )  # fmt: skip
    fresh = make_job(
        plan, people, state=ReportJob.State.RUNNING, started_at=now, attempts=1, sent_at=now
    )
    counts = sweep_jobs(now=now)
    assert counts["requeued"] == 1 and counts["sent"] == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    # Eager in tests: sent means rendered.
    assert stuck.state == ReportJob.State.SUCCEEDED and stuck.attempts == 2
    assert fresh.state == ReportJob.State.RUNNING


def test_the_sweep_fails_a_stuck_job_that_used_up_its_attempts(plan, people, project):
    now = timezone.now()
    job = make_job(
        plan, people, state=ReportJob.State.RUNNING, started_at=now - timedelta(hours=1),
        attempts=tasks.MAX_ATTEMPTS, sent_at=now - timedelta(hours=1),
    )  # fmt: skip
    assert sweep_jobs(now=now)["failed"] == 1
    job.refresh_from_db()
    assert job.state == ReportJob.State.FAILED and "上限" in job.error


def test_the_sweep_sends_unsent_jobs_and_leaves_fresh_ones(plan, people, project):
    now = timezone.now()
    unsent = make_job(plan, people)
    ReportJob.objects.filter(pk=unsent.pk).update(requested_at=now - timedelta(minutes=5))
    just_asked = make_job(plan, people)
    assert sweep_jobs(now=now)["sent"] == 1
    assert ReportJob.objects.get(pk=unsent.pk).state == ReportJob.State.SUCCEEDED
    assert ReportJob.objects.get(pk=just_asked.pk).state == ReportJob.State.QUEUED


def test_the_sweep_runs_every_minute_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["report-sweep"]
    assert entry == {"task": "reports.sweep", "schedule": 60}
    assert tasks.sweep_report_jobs.name == "reports.sweep"


def test_a_failed_job_explains_itself_in_japanese_and_folds_the_technical_text(
    client, people, failed_job
):
    client.force_login(people.subcommittee)
    html = client.get(reverse("reports:detail", args=[failed_job.pk])).content.decode()
    alert = html.split('class="alert alert-danger"')[1].split("</div>")[0]
    first_paragraph = alert.split("<p", 2)[1].split("</p>")[0]
    assert "データが見つからないか、変更されていた" in first_paragraph
    assert "ValueError" not in first_paragraph
    assert "<summary>技術的な情報（管理者向け）</summary>" in alert


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("OSError: [Errno 28] No space left on device", "空きが足りず"),
        ("ConnectionError: refused", "一時的にできず"),
        ("plans.models.AnnualPlan.DoesNotExist: none", "データが見つからない"),
        ("RuntimeError: boom", "予期しないエラー"),
        ("作成が15分以内に終わりませんでした。", "作成が15分以内に終わりませんでした。"),
        ("", ""),
    ],
)
def test_errors_are_explained_by_their_kind(error, expected):
    from takatsu_portal.reports.models import explain_error

    assert expected in explain_error(error)
    if error and not error[0].isascii():
        assert explain_error(error) == error


def test_the_pdf_downloads_under_its_japanese_title_with_an_ascii_fallback(client, people, job):
    from urllib.parse import quote

    client.force_login(people.council)
    response = client.get(reverse("reports:download", args=[job.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="annual_plan-{job.pk}.pdf"; ')
    japanese = f"{job.version.title}_受付番号{job.pk}.pdf"
    assert f"filename*=UTF-8''{quote(japanese, safe='')}" in disposition


@pytest.fixture
def queued(plan, people, project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return request_report(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)


def test_a_job_in_both_tables_has_a_distinct_row_id_in_each(client, people, queued):
    client.force_login(people.subcommittee)
    html = client.get(reverse("reports:index")).content.decode()
    assert html.count(f'id="mine-job-{queued.pk}"') == 1
    assert html.count(f'id="all-job-{queued.pk}"') == 1
    # No id twice on the page (#10.11: the W3C checker found job-N twice).
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, n in ids.items() if n > 1] == []


def test_a_polled_row_announces_a_change_of_state_once_in_the_pages_live_region(
    client, people, queued
):
    client.force_login(people.subcommittee)
    page = client.get(reverse("reports:index")).content.decode()
    assert 'id="reports-live"' in page and 'aria-live="polite"' in page
    row_url = reverse("reports:job_row", args=[queued.pk])
    htmx = {"HX-Request": "true"}
    unchanged = client.get(f"{row_url}?table=all&was=queued", headers=htmx).content.decode()
    assert "hx-swap-oob" not in unchanged
    ReportJob.objects.filter(pk=queued.pk).update(state="running", stage="typesetting")
    changed = client.get(f"{row_url}?table=all&was=queued", headers=htmx).content.decode()
    assert 'id="all-job-' in changed
    assert '<div id="reports-live" hx-swap-oob="innerHTML">' in changed
    assert "作成中（PDFを組版中）" in changed


def test_the_requester_cancels_a_queued_job_and_a_late_delivery_renders_nothing(
    client, people, queued
):
    client.force_login(people.subcommittee)
    html = client.get(reverse("reports:detail", args=[queued.pk])).content.decode()
    assert reverse("reports:cancel", args=[queued.pk]) in html
    response = client.post(reverse("reports:cancel", args=[queued.pk]))
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.state == ReportJob.State.CANCELLED
    assert queued.events.filter(kind="cancelled", by=people.subcommittee).exists()
    # The message that was already on its way reaches a worker: nothing is made.
    tasks.render_report.apply(args=[queued.pk])
    queued.refresh_from_db()
    assert queued.state == ReportJob.State.CANCELLED
    assert not ReportVersion.objects.filter(job=queued).exists()


def test_others_may_not_cancel_and_a_running_job_is_not_cancelled(client, people, queued):
    client.force_login(people.council)
    assert client.post(reverse("reports:cancel", args=[queued.pk])).status_code == 403
    ReportJob.objects.filter(pk=queued.pk).update(state="running")
    client.force_login(people.subcommittee)
    response = client.post(reverse("reports:cancel", args=[queued.pk]), follow=True)
    assert "待機中の依頼だけを取り消せます" in response.content.decode()
    queued.refresh_from_db()
    assert queued.state == ReportJob.State.RUNNING


def test_a_get_to_cancel_is_refused_with_the_portals_405_page(client, people, queued):
    client.force_login(people.subcommittee)
    response = client.get(reverse("reports:cancel", args=[queued.pk]))
    assert response.status_code == 405
    assert reverse("reports:detail", args=[queued.pk]) in response.content.decode()


def test_a_running_job_shows_its_stage(job):
    # The render went through every stage; the last one it recorded is storing.
    job.refresh_from_db()
    assert job.stage == ReportJob.Stage.STORING
    running = ReportJob(state=ReportJob.State.RUNNING, stage=ReportJob.Stage.BUILDING)
    assert running.state_text == "作成中（データを集計中）"
    assert ReportJob(state=ReportJob.State.QUEUED).state_text == "待機中"


# The reports page's kept tables (reports/views.py `_job_tables`)


def test_the_kept_tables_show_a_retried_job_at_the_next_request(
    client, people, failed_job, django_capture_on_commit_callbacks
):
    client.force_login(people.subcommittee)
    row = f'id="mine-job-{failed_job.pk}"'
    for _ in range(2):  # the second comes from the cache
        html = client.get(reverse("reports:index")).content.decode()
        assert row in html and "理由と再実行" in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:retry", args=[failed_job.pk]))
    html = client.get(reverse("reports:index")).content.decode()
    assert "理由と再実行" not in html
    assert reverse("reports:download", args=[failed_job.pk]) in html


def test_a_new_job_of_someone_else_shows_in_the_kept_table_at_once(
    client, people, job, plan, django_capture_on_commit_callbacks
):
    client.force_login(people.council)
    client.get(reverse("reports:index"))
    with django_capture_on_commit_callbacks(execute=False):
        other = request_report(kind="annual_plan", params={"plan": plan.pk}, by=people.subcommittee)
    html = client.get(reverse("reports:index")).content.decode()
    assert f'id="all-job-{other.pk}"' in html


def test_a_pending_jobs_row_is_never_kept_and_its_cancel_form_posts_without_script(people, queued):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.subcommittee)
    for _ in range(2):
        html = client.get(reverse("reports:index")).content.decode()
        assert "\x00" not in html
        cancel = html.index(f'action="{reverse("reports:cancel", args=[queued.pk])}"')
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html[cancel:]).group(1)
    # The stage of a running job changes without an event: the page shows it at once.
    ReportJob.objects.filter(pk=queued.pk).update(state="running", stage="typesetting")
    assert "作成中（PDFを組版中）" in client.get(reverse("reports:index")).content.decode()
    ReportJob.objects.filter(pk=queued.pk).update(state="queued", stage="")
    response = client.post(
        reverse("reports:cancel", args=[queued.pk]),
        {"csrfmiddlewaretoken": token, "next": "index"},
    )
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.state == ReportJob.State.CANCELLED
