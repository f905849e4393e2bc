"""List pages run a fixed number of queries whatever the number of rows (two sizes each)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from takatsu_portal.accounts.roles import Role
from tests.factories import UserFactory
from training.models import Enrolment, Requirement

from .factories import CourseFactory, SessionFactory


def grow(office, sections, organiser, n):
    """n more courses with a session each, n staff in each section, half of them enrolled."""
    for i in range(n):
        course = CourseFactory(office=office, organiser=organiser)
        session = SessionFactory(course=course, capacity=5)
        for section in (sections.kumin, sections.hoken):
            user = UserFactory(section=section, roles=[Role.STAFF])
            if i % 2:
                Enrolment.objects.create(session=session, user=user, state="confirmed")


PAGES = [
    ("index", "staff"),
    ("course_list", "staff"),
    ("compliance", "trainer"),
    ("compliance", "manager"),
    ("requirement_list", "trainer"),
    ("approvals", "manager"),
    ("calendar", "staff"),
]


@pytest.mark.parametrize(("name", "who"), PAGES)
def test_page_queries_do_not_grow_with_rows(
    client, office, sections, people, course, name, who, django_assert_max_num_queries
):
    Requirement.objects.create(office=office, title="接遇（全職員）", audience="all", course=course)
    Requirement.objects.create(
        office=office, title="課長研修", audience="role", role="section_manager", category="other"
    )
    client.force_login(getattr(people, who))
    grow(office, sections, people.trainer, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(f"training:{name}")).status_code == 200
    grow(office, sections, people.trainer, 30)
    with django_assert_max_num_queries(len(small)):
        assert client.get(reverse(f"training:{name}")).status_code == 200


def test_session_page_for_the_organiser_does_not_grow_with_participants(
    client, session, people, sections, django_assert_max_num_queries
):
    session.capacity = 100
    session.save()
    client.force_login(people.trainer)
    for _ in range(3):
        Enrolment.objects.create(
            session=session, user=UserFactory(section=sections.kumin), state="confirmed"
        )
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("training:session_detail", args=[session.pk]))
    for _ in range(40):
        Enrolment.objects.create(
            session=session, user=UserFactory(section=sections.hoken), state="confirmed"
        )
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("training:session_detail", args=[session.pk]))


def test_attendance_and_record_pages_do_not_grow(
    client, course, people, sections, django_assert_max_num_queries
):
    from django.utils import timezone

    start = timezone.now() - timedelta(days=1)
    held = SessionFactory(
        course=course,
        starts_at=start,
        apply_by=start - timedelta(days=3),
        cancel_by=start - timedelta(days=2),
        capacity=100,
    )
    client.force_login(people.trainer)
    for _ in range(3):
        Enrolment.objects.create(
            session=held, user=UserFactory(section=sections.kumin), state="confirmed"
        )
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("training:attendance", args=[held.pk]))
    for _ in range(30):
        Enrolment.objects.create(
            session=held, user=UserFactory(section=sections.kumin), state="confirmed"
        )
    with django_assert_max_num_queries(len(small)):
        client.get(reverse("training:attendance", args=[held.pk]))
