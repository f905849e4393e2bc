"""The office-scope guard (core/scoping.py) on the reports' versions and job events: in a
request, a query of either that no office scopes fails; the pages that read them (the job's
page, its download, the reports page) answer for the job's own office and 404 for another's.

The two views below are added to the portal's URLs for these tests only."""

import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.urls import path, reverse

from takatsu_portal.core.scoping import UnscopedQueryError
from takatsu_portal.reports.models import ReportJob, ReportJobEvent, ReportVersion, job_event
from takatsu_portal.urls import urlpatterns as portal_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def unscoped_versions(request):
    return HttpResponse(",".join(v.title for v in ReportVersion.objects.all()))


def unscoped_events(request, pk):
    # A job's id is not a scope: a hand-typed id from another ward is the leak.
    return HttpResponse(str(ReportJobEvent.objects.filter(job_id=pk).count()))


def scoped_versions(request):
    versions = ReportVersion.objects.for_office(request.user.office).order_by("title")
    return HttpResponse(",".join(v.title for v in versions))


urlpatterns = [
    *portal_urlpatterns,
    path("guard/versions/", unscoped_versions),
    path("guard/versions/scoped/", scoped_versions),
    path("guard/events/<int:pk>/", unscoped_events),
]


def _finished_job(requested_by, office, title):
    """A succeeded job of `office` with its version (a stored file) and its steps."""
    job = ReportJob.objects.create(
        kind="annual_plan",
        params={},
        requested_by=requested_by,
        office=office,
        state=ReportJob.State.SUCCEEDED,
    )
    job_event(job.pk, ReportJobEvent.Kind.REQUESTED, by=requested_by)
    job_event(job.pk, ReportJobEvent.Kind.SUCCEEDED, message="1ページ")
    version = ReportVersion(
        job=job, title=title, sha256="0" * 64, size=8, page_count=1, snapshot={"facts": {}}
    )
    version.file.save("report.pdf", ContentFile(b"%PDF-1.7"), save=False)
    version.save()
    return job


@pytest.fixture
def jobs(people, stranger, office):
    return (
        _finished_job(people.subcommittee, office, "高津区の計画書"),
        _finished_job(stranger, stranger.office, "他区の計画書"),
    )


def test_report_versions_are_guarded_and_read_through_the_jobs_office(client, people, jobs):
    ours, theirs = jobs
    client.force_login(people.council)
    with pytest.raises(UnscopedQueryError, match=r"reports\.ReportVersion"):
        client.get("/guard/versions/")
    assert client.get("/guard/versions/scoped/").content.decode() == "高津区の計画書"
    detail = client.get(reverse("reports:detail", args=[ours.pk]))
    assert detail.status_code == 200 and "高津区の計画書" in detail.content.decode()
    download = client.get(reverse("reports:download", args=[ours.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7"
    assert client.get(reverse("reports:download", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("reports:detail", args=[theirs.pk])).status_code == 404


def test_report_job_events_are_guarded_and_read_through_the_jobs_office(client, people, jobs):
    ours, theirs = jobs
    client.force_login(people.council)
    with pytest.raises(UnscopedQueryError, match=r"reports\.ReportJobEvent"):
        client.get(f"/guard/events/{ours.pk}/")
    html = client.get(reverse("reports:detail", args=[ours.pk])).content.decode()
    assert "依頼" in html and "1ページ" in html  # the job's steps, through its related manager
    # The reports page keys its kept tables by the newest event of the jobs in the scope.
    index = client.get(reverse("reports:index"))
    assert index.status_code == 200
    assert reverse("reports:detail", args=[ours.pk]) in index.content.decode()
    assert reverse("reports:detail", args=[theirs.pk]) not in index.content.decode()
    assert client.get(reverse("reports:detail", args=[theirs.pk])).status_code == 404


def test_the_reports_page_is_made_again_after_an_event_of_its_office_only(
    client, people, stranger, jobs, settings, monkeypatch
):
    """The kept tables follow the events of the jobs the reader may see: another office's new
    step does not make them again, the reader's own office's does."""
    from takatsu_portal.reports import views

    ours, theirs = jobs
    settings.SHARED_CACHE_SECONDS = 600
    client.force_login(people.council)
    client.get(reverse("reports:index"))
    made = []
    render_kept = views.render_kept
    monkeypatch.setattr(
        views, "render_kept", lambda *a, **k: made.append(1) or render_kept(*a, **k)
    )
    client.get(reverse("reports:index"))
    assert made == []  # kept
    job_event(theirs.pk, ReportJobEvent.Kind.RETRIED_BY_USER, by=stranger)
    client.get(reverse("reports:index"))
    assert made == []  # another office's step: still kept
    job_event(ours.pk, ReportJobEvent.Kind.RETRIED_BY_USER, by=people.subcommittee)
    client.get(reverse("reports:index"))
    assert made == [1]  # a step of one of the office's jobs: made again


def test_the_reports_page_finds_its_newest_step_by_a_walk_of_the_index_not_a_max(
    client, people, jobs
):
    """The stamp of the kept tables is the newest event of the scope's jobs, asked for as
    ORDER BY id DESC LIMIT 1, which PostgreSQL answers by walking the events' primary key back
    to the first event of one of the scope's jobs; MAX() over the join would read every event
    of the office on every page view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people.council)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:index")).status_code == 200
    stamps = [q["sql"] for q in queries if 'FROM "reports_reportjobevent"' in q["sql"]]
    assert stamps, "the page reads its stamp from the job events"
    for sql in stamps:
        assert "MAX(" not in sql
        assert sql.startswith('SELECT "reports_reportjobevent"."id"')
        assert sql.endswith("ORDER BY 1 DESC LIMIT 1")
        assert '"reports_reportjob"."office_id"' in sql  # still the scope's jobs only
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + stamps[0].replace("%", "%%"))
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Limit" in plan
