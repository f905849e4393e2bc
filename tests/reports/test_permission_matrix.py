"""Each URL of the reports app × each role (and anonymous, and a member of another office) →
the answer the design expects. Reading is for the subcommittee, the council, section managers
and administrators; asking for a report (and retrying or cancelling someone else's) for the
subcommittee and administrators."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from takatsu_portal.reports.models import ReportJob, ReportVersion
from takatsu_portal.reports.urls import urlpatterns

pytestmark = pytest.mark.django_db

ROLES = ["staff", "lead", "subcommittee", "council", "manager", "admin", "city"]
READERS = {"subcommittee", "council", "manager", "admin", "city"}
REQUESTERS = {"subcommittee", "admin"}

# name → (method, object, who may (status for them))
MATRIX = {
    "index": ("get", None, READERS, 200),
    "request": ("post", "kind", REQUESTERS, 400),  # an empty form: its errors
    "detail": ("get", "job", READERS, 200),
    "job_row": ("get", "job", READERS, 200),
    "retry": ("post", "failed", REQUESTERS, 302),
    "cancel": ("post", "queued", REQUESTERS, 302),
    "download": ("get", "job", READERS, 200),
}


def test_the_matrix_covers_every_url_of_the_app():
    assert {p.name for p in urlpatterns} == set(MATRIX)


@pytest.fixture
def objects(plan, people):
    # A finished job with a stored file, made without rendering (this file is about access).
    job = ReportJob.objects.create(
        kind="annual_plan",
        params={"plan": plan.pk},
        requested_by=people.subcommittee,
        office=plan.office,
        state=ReportJob.State.SUCCEEDED,
    )
    version = ReportVersion(job=job, title="計画", sha256="0" * 64, size=9, page_count=1)
    version.file.save("report.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    version.save()
    failed = ReportJob.objects.create(
        kind="annual_plan",
        params={"plan": plan.pk},
        requested_by=people.subcommittee,
        office=plan.office,
        state=ReportJob.State.FAILED,
        error="ValueError: 試験",
    )
    queued = ReportJob.objects.create(
        kind="annual_plan",
        params={"plan": plan.pk},
        requested_by=people.subcommittee,
        office=plan.office,
    )
    return {"job": job, "failed": failed, "queued": queued, "kind": "annual_plan"}


def url_for(name, kind, objects):
    if kind is None:
        return reverse(f"reports:{name}")
    value = objects[kind]
    return reverse(f"reports:{name}", args=[getattr(value, "pk", value)])


def call(client, name, objects):
    method, kind, _, _ = MATRIX[name]
    headers = {"HX-Request": "true"} if name == "job_row" else {}
    return getattr(client, method)(url_for(name, kind, objects), headers=headers)


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer(client, people, objects, role, name):
    _, _, allowed, status = MATRIX[name]
    client.force_login(getattr(people, role))
    response = call(client, name, objects)
    if role in allowed:
        assert response.status_code == status, (role, name, response.status_code)
    else:
        assert response.status_code == 403, (role, name, response.status_code)
        assert "このページにはアクセスできません" in response.content.decode()


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_is_sent_to_the_login_page(client, objects, name):
    response = call(client, name, objects)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "name", sorted(n for n, row in MATRIX.items() if row[1] in ("job", "failed", "queued"))
)
def test_a_member_of_another_office_finds_nothing(client, stranger, objects, name):
    client.force_login(stranger)
    assert call(client, name, objects).status_code == 404
