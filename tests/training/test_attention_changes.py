"""Training's services compute the home-page lists again only after a write, and only for the
people whose counts moved: the person, their section managers, the course's organiser. A refused
request clears nobody's list."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from takatsu_portal.core import attention
from training.models import Course, Enrolment

from .factories import SessionFactory

State = Enrolment.State


def generations(*users):
    keys = [attention.GENERATION_KEY] + [attention.USER_GENERATION_KEY.format(u.pk) for u in users]
    found = cache.get_many(keys)
    return [found.get(k) for k in keys]


@pytest.fixture
def held(course, people):
    start = timezone.now() - timedelta(days=1)
    session = SessionFactory(
        course=course,
        starts_at=start,
        apply_by=start - timedelta(days=7),
        cancel_by=start - timedelta(days=3),
        capacity=10,
    )
    Enrolment.objects.create(session=session, user=people.staff, state=State.CONFIRMED)
    return session


def test_a_refused_application_clears_no_list(client, course, session, people):
    course.kind = Course.Kind.NOMINATED
    course.save()
    client.force_login(people.staff)
    before = generations(people.staff, people.manager, people.trainer)
    response = client.post(reverse("training:apply", args=[session.pk]), follow=True)
    assert "指名研修には申し込めません" in response.content.decode()
    assert generations(people.staff, people.manager, people.trainer) == before


def test_an_application_waiting_for_approval_clears_the_managers_list_only(
    client, course, session, people
):
    course.needs_approval = True
    course.save()
    client.force_login(people.staff)
    everyone, staff, manager, other_manager = generations(
        people.staff, people.manager, people.other_manager
    )
    client.post(reverse("training:apply", args=[session.pk]))
    assert Enrolment.objects.get(user=people.staff).state == State.PENDING
    now = generations(people.staff, people.manager, people.other_manager)
    assert now[0] == everyone  # nobody else's list
    assert now[1] != staff and now[2] != manager
    assert now[3] == other_manager  # the manager of another section counts nothing of it
    # The manager's home page shows the application at once.
    client.force_login(people.manager)
    page = client.get(reverse("home")).content.decode()
    assert "承認を待っている研修の申込みが1件あります" in page


def test_a_refused_attendance_entry_clears_no_list(client, held, people):
    enrolment = Enrolment.objects.get(session=held, user=people.staff)
    client.force_login(people.staff)
    before = generations(people.staff, people.manager)
    response = client.post(
        reverse("training:attendance", args=[held.pk]), {f"a-{enrolment.pk}": "present"}
    )
    assert response.status_code == 403
    assert generations(people.staff, people.manager) == before


def test_an_evaluation_that_completes_the_session_clears_the_persons_and_managers_lists(
    client, course, held, people
):
    course.evaluation_required = True
    course.save()
    enrolment = Enrolment.objects.get(session=held, user=people.staff)
    client.force_login(people.trainer)
    client.post(reverse("training:attendance", args=[held.pk]), {f"a-{enrolment.pk}": "present"})
    enrolment.refresh_from_db()
    assert enrolment.completed_on is None
    everyone, staff, manager, colleague = generations(
        people.staff, people.manager, people.colleague
    )
    client.force_login(people.staff)
    response = client.post(
        reverse("training:evaluate", args=[enrolment.pk]), {"satisfaction": 4, "usefulness": 4}
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.completed_on == held.day
    now = generations(people.staff, people.manager, people.colleague)
    assert now[1] != staff and now[2] != manager
    assert now[0] == everyone and now[3] == colleague


def test_attendance_that_changes_no_completion_clears_no_list(client, held, people):
    enrolment = Enrolment.objects.get(session=held, user=people.staff)
    client.force_login(people.trainer)
    before = generations(people.staff, people.manager)
    # Absent: recorded, but nothing a list counts has changed.
    response = client.post(
        reverse("training:attendance", args=[held.pk]), {f"a-{enrolment.pk}": "absent"}
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).attendance == "absent"
    assert generations(people.staff, people.manager) == before
    client.post(reverse("training:attendance", args=[held.pk]), {f"a-{enrolment.pk}": "present"})
    now = generations(people.staff, people.manager)
    assert now[1] != before[1] and now[2] != before[2] and now[0] == before[0]
