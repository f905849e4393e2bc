"""Entering the attendance of a session runs a fixed number of queries whatever the number of
participants: the rows are locked once with whether each has an evaluation, written with one
UPDATE and one history INSERT."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from takatsu_portal.accounts.roles import Role
from tests.factories import UserFactory
from training.models import Enrolment, Evaluation

from .factories import SessionFactory

State = Enrolment.State


@pytest.mark.parametrize("count", [4, 30])
def test_attendance_entry_runs_a_fixed_number_of_queries(
    client, course, people, sections, count, django_assert_max_num_queries
):
    course.evaluation_required = True
    course.save()
    start = timezone.now() - timedelta(days=1)
    session = SessionFactory(
        course=course,
        starts_at=start,
        apply_by=start - timedelta(days=7),
        cancel_by=start - timedelta(days=3),
        capacity=100,
    )
    enrolments = [
        Enrolment.objects.create(
            session=session,
            user=UserFactory(username=f"p{n}", section=sections.kumin, roles=[Role.STAFF]),
            state=State.CONFIRMED,
        )
        for n in range(count)
    ]
    # Half of them evaluated already: they complete with the attendance; the others wait.
    evaluated = enrolments[::2]
    for enrolment in evaluated:
        Evaluation.objects.create(enrolment=enrolment, satisfaction=4, usefulness=4)
    client.force_login(people.trainer)
    url = reverse("training:attendance", args=[session.pk])
    client.get(url)  # warm the user's caches
    # The page: every participant with their section, evaluation and completion in one query.
    with django_assert_max_num_queries(8):
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('type="radio"') == 4 * count
    data = {f"a-{e.pk}": "present" for e in enrolments}
    with django_assert_max_num_queries(10):
        response = client.post(url, data)
    assert response.status_code == 302
    rows = {e.pk: e for e in Enrolment.objects.filter(session=session)}
    assert all(row.attendance == "present" for row in rows.values())
    done = {pk for pk, row in rows.items() if row.completed_on == session.day}
    assert done == {e.pk for e in evaluated}
    # Every change is in the history, by the organiser.
    changes = Enrolment.history.filter(session_id=session.pk, attendance="present")
    assert changes.count() == count
    assert set(changes.values_list("history_user", flat=True)) == {people.trainer.pk}
