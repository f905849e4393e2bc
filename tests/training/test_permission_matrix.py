"""Each URL of training × each role (and anonymous, and an organiser of another office) → the
answer the design expects. GET for pages; POST for actions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from takatsu_portal.reports.models import ReportJob
from training.models import CalendarFeed, Enrolment, Evaluation, Requirement
from training.urls import urlpatterns

from .factories import SessionFactory

ROLES = ["staff", "trainer", "subcommittee", "council", "manager", "admin", "city"]
ALL = set(ROLES)
# The city planning bureau reads every office and writes nothing (it applies for nothing).
WARD = ALL - {"city"}
ORGANISERS = {"trainer", "subcommittee", "admin"}
OK = 200

# name → (method, object kind, who may, status for them)
MATRIX = {
    "index": ("get", None, ALL, OK),
    "calendar": ("get", None, ALL, OK),
    "calendar_month": ("get", "month", ALL, OK),
    "my_ics": ("get", None, ALL, OK),
    # The subscription feed opens with the key in its URL, whoever asks (a calendar program has
    # no login): tests/training/test_calendar_feed.py tries wrong and replaced keys.
    "feed": ("get", "feed", ALL, OK),
    "feed_issue": ("post", None, ALL, 302),
    "course_list": ("get", None, ALL, OK),
    "course_create": ("get", None, ORGANISERS, OK),
    "course_detail": ("get", "course", ALL, OK),
    "course_edit": ("get", "course", ORGANISERS, OK),
    "course_history": ("get", "course", ORGANISERS, OK),
    "session_create": ("get", "course", ORGANISERS, OK),
    "session_detail": ("get", "session", ALL, OK),
    "session_edit": ("get", "session", ORGANISERS, OK),
    "session_history": ("get", "session", ORGANISERS, OK),
    "session_ics": ("get", "session", ALL, OK),
    "apply": ("post", "session", WARD, 302),
    "nominate": ("get", "session", ORGANISERS | {"manager"}, OK),
    "cancel": ("post", "enrolment", {"staff"} | ORGANISERS, 302),
    "decide": ("post", "pending", {"manager"}, 302),
    "request_move": ("get", "enrolment", {"staff"}, OK),
    "move": ("post", "enrolment", ORGANISERS, 302),
    "approvals": ("get", None, {"manager"}, OK),
    "attendance": ("get", "held", ORGANISERS, OK),
    "signin_sheet": ("get", "held", ORGANISERS, OK),
    "session_results": ("get", "held", ORGANISERS, OK),
    "course_results": ("get", "course", ORGANISERS, OK),
    "evaluate": ("get", "completed", {"staff"}, OK),
    "certificate": ("post", "completed", {"staff"} | ORGANISERS, 302),
    "job": ("get", "job", {"staff"} | ORGANISERS, OK),
    "job_download": ("get", "job", {"staff"} | ORGANISERS, 404),  # not rendered yet
    "certificate_verify": ("get", "code", ALL, OK),
    "my_record": ("get", None, ALL, OK),
    "person_record": ("get", "person", {"staff", "manager"} | ORGANISERS, OK),
    "compliance": ("get", None, ORGANISERS | {"manager"}, OK),
    "requirement_list": ("get", None, ORGANISERS, OK),
    "requirement_create": ("get", None, ORGANISERS, OK),
    "requirement_edit": ("get", "requirement", ORGANISERS, OK),
}


def test_the_matrix_covers_every_url_of_the_app():
    assert {p.name for p in urlpatterns} == set(MATRIX)


@pytest.fixture
def objects(people, office, course, session):
    start = timezone.now() - timedelta(days=1)
    held = SessionFactory(
        course=course,
        starts_at=start,
        apply_by=start - timedelta(days=7),
        cancel_by=start - timedelta(days=3),
    )
    completed = Enrolment.objects.create(
        session=held,
        user=people.staff,
        state="confirmed",
        attendance="present",
        completed_on=held.day,
    )
    Evaluation.objects.create(enrolment=completed, satisfaction=4, usefulness=4, comments="良い")
    later = SessionFactory(course=course, starts_at=session.starts_at + timedelta(days=7))
    enrolment = Enrolment.objects.create(session=session, user=people.staff, state="confirmed")
    pending = Enrolment.objects.create(session=later, user=people.colleague, state="pending")
    job = ReportJob.objects.create(
        kind="training_certificate",
        params={"enrolment": completed.pk},
        requested_by=people.staff,
        office=office,
    )
    return {
        "course": course,
        "session": session,
        "held": held,
        "completed": completed,
        "enrolment": enrolment,
        "pending": pending,
        "job": job,
        "person": people.staff,
        "feed": CalendarFeed.objects.create(user=people.staff),
        "requirement": Requirement.objects.create(
            office=office, title="接遇（全職員）", audience="all", course=course
        ),
    }


def url_for(name, kind, objects):
    if kind is None:
        return reverse(f"training:{name}")
    if kind == "month":
        return reverse(f"training:{name}", args=[2026, 11])
    if kind == "feed":
        return objects["feed"].get_absolute_url()
    if kind == "code":
        return reverse(f"training:{name}", args=[objects["completed"].certificate_code])
    return reverse(f"training:{name}", args=[objects[kind].pk])


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer(client, people, objects, role, name):
    method, kind, allowed, status = MATRIX[name]
    client.force_login(getattr(people, role))
    response = getattr(client, method)(url_for(name, kind, objects))
    if role in allowed:
        assert response.status_code == status, (role, name, response.status_code)
    else:
        assert response.status_code == 403, (role, name, response.status_code)
        assert "このページにはアクセスできません" in response.content.decode()


PUBLIC_BY_KEY = {"feed"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(MATRIX) - PUBLIC_BY_KEY))
def test_anonymous_is_sent_to_the_login_page(client, objects, name):
    method, kind, _, _ = MATRIX[name]
    response = getattr(client, method)(url_for(name, kind, objects))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


OBJECT_URLS = sorted(
    n for n, row in MATRIX.items() if row[1] not in (None, "month") and n not in PUBLIC_BY_KEY
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", OBJECT_URLS)
def test_an_organiser_of_another_office_finds_nothing(client, stranger, objects, name):
    method, kind, _, _ = MATRIX[name]
    client.force_login(stranger)
    response = getattr(client, method)(url_for(name, kind, objects))
    assert response.status_code == 404, (name, response.status_code)


@pytest.mark.django_db
def test_lists_of_another_office_show_none_of_this_offices_rows(client, stranger, objects):
    client.force_login(stranger)
    title = objects["course"].title
    for name in ("index", "course_list", "compliance", "requirement_list"):
        html = client.get(reverse(f"training:{name}")).content.decode()
        assert title not in html, name
        assert objects["person"].full_name not in html, name


@pytest.mark.django_db
def test_a_user_without_a_section_sees_no_training_of_any_office(client, objects):
    from takatsu_portal.accounts.roles import Role
    from tests.factories import UserFactory

    sectionless = UserFactory(section=None, roles=[Role.TRAINER, Role.SUBCOMMITTEE])
    client.force_login(sectionless)
    html = client.get(reverse("training:course_list")).content.decode()
    assert objects["course"].title not in html
    response = client.get(reverse("training:course_detail", args=[objects["course"].pk]))
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    # Issuing one's own calendar feed address writes nothing of a ward (allowed to the city).
    sorted(n for n, row in MATRIX.items() if row[0] == "post" and n != "feed_issue"),
)
def test_the_city_planning_bureau_is_refused_every_action_with_its_reason(
    client, people, objects, name
):
    from takatsu_portal.accounts.permissions import CITY_READ_ONLY

    method, kind, _, _ = MATRIX[name]
    client.force_login(people.city)
    response = client.post(url_for(name, kind, objects))
    assert response.status_code == 403, (name, response.status_code)
    assert CITY_READ_ONLY in response.content.decode()
