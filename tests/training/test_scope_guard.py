"""The office-scope guard (issue 15) on training's evaluations: in a request, a query of them
that no office scopes raises; `for_office` sees one office's; the evaluation form and the
results pages still answer for their own office and 404 for another office's enrolment,
session or course."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from takatsu_portal.core.scoping import UnscopedQueryError, guarded
from training.models import Enrolment, Evaluation

from .factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _held(course):
    start = timezone.now() - timedelta(days=1)
    return SessionFactory(
        course=course,
        starts_at=start,
        apply_by=start - timedelta(days=7),
        cancel_by=start - timedelta(days=3),
    )


@pytest.fixture
def ours(course, people):
    course.evaluation_required = True
    course.save()
    session = _held(course)
    return Enrolment.objects.create(
        session=session,
        user=people.staff,
        state=Enrolment.State.CONFIRMED,
        attendance=Enrolment.Attendance.PRESENT,
    )


@pytest.fixture
def theirs(stranger):
    course = CourseFactory(office=stranger.section.department.office, organiser=stranger)
    enrolment = Enrolment.objects.create(
        session=_held(course), user=stranger, state=Enrolment.State.CONFIRMED
    )
    Evaluation.objects.create(
        enrolment=enrolment, satisfaction=1, usefulness=1, comments="宮前区の感想"
    )
    return enrolment


def test_an_unscoped_query_raises_and_for_office_sees_one_office(office, ours, theirs):
    Evaluation.objects.create(enrolment=ours, satisfaction=5, usefulness=4)
    with guarded("raise"):
        with pytest.raises(UnscopedQueryError, match=r"training\.Evaluation"):
            Evaluation.objects.count()
        with pytest.raises(UnscopedQueryError):  # an enrolment's id is not a scope
            Evaluation.objects.filter(enrolment_id=theirs.pk).exists()
        assert [e.enrolment_id for e in Evaluation.objects.for_office(office)] == [ours.pk]
    assert Evaluation.objects.count() == 2  # outside a request: every office


def test_evaluating_and_the_results_answer_for_the_own_office_only(client, people, ours, theirs):
    client.force_login(people.staff)
    url = reverse("training:evaluate", args=[ours.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"satisfaction": 5, "usefulness": 4, "comments": "役に立った"})
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.completed_on == ours.session.day  # the evaluation completed it
    assert "役に立った" in client.get(url).content.decode()  # the answer, read back
    response = client.post(
        reverse("training:evaluate", args=[theirs.pk]), {"satisfaction": 5, "usefulness": 5}
    )
    assert response.status_code == 404
    assert Evaluation.objects.filter(enrolment=theirs).get().satisfaction == 1

    client.force_login(people.trainer)
    for name, mine, other in (
        ("session_results", ours.session_id, theirs.session_id),
        ("course_results", ours.session.course_id, theirs.session.course_id),
    ):
        page = client.get(reverse(f"training:{name}", args=[mine]))
        assert page.status_code == 200
        assert "役に立った" in page.content.decode()
        assert "宮前区の感想" not in page.content.decode()
        assert client.get(reverse(f"training:{name}", args=[other])).status_code == 404
