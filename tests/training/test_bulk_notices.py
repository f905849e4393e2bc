"""Nominating many people and the reminder of the working day before write their notifications
in one INSERT (notify_bulk) and count the free seats once: a fixed number of queries whatever
the number of people."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.models import Notification
from tests.factories import UserFactory
from training import reminders, services
from training.models import Course, Enrolment

from .factories import SessionFactory

JST = ZoneInfo("Asia/Tokyo")
State = Enrolment.State


def _staff(sections, count, prefix):
    return [
        UserFactory(username=f"{prefix}{n}", section=sections.kumin, roles=[Role.STAFF])
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [3, 15])
def test_nominating_runs_a_fixed_number_of_queries(
    course,
    session,
    people,
    sections,
    count,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    course.kind = Course.Kind.NOMINATED
    course.save()
    session.capacity = 2
    session.save()
    nominees = _staff(sections, count, "nominee")
    Enrolment.objects.create(session=session, user=nominees[0], state=State.CONFIRMED)
    mail.outbox.clear()
    # The nominator's roles, a savepoint, locking the session, the course's people already
    # named, the free seats, the enrolments, their history, the course, the notifications, the
    # section managers to tell, the savepoint's release: the same for 3 and for 15.
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(11):
        created, skipped = services.enrolment_nominate(
            session=session, users=nominees, by=people.trainer
        )
    assert skipped == [nominees[0]]
    assert [e.state for e in created] == [State.CONFIRMED] + [State.WAITING] * (count - 2)
    # The waiting list keeps the order of nomination.
    waiting = list(Enrolment.objects.filter(session=session).waiting_in_order())
    assert [e.user_id for e in waiting] == [u.pk for u in nominees[2:]]
    told = Notification.objects.filter(message__contains="受講者に指名されました")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(u.pk for u in nominees[1:])
    assert told.filter(recipient=nominees[2], message__contains="待機中").exists()
    assert len(mail.outbox) == count - 1
    # The history says who nominated them.
    record = Enrolment.objects.get(user=nominees[1]).history.get()
    assert record.history_user == people.trainer


def at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=JST)


@pytest.mark.parametrize("count", [2, 12])
def test_the_reminder_runs_a_fixed_number_of_queries(
    course, people, sections, count, django_assert_num_queries
):
    monday = date(2026, 11, 30)
    session = SessionFactory(
        course=course,
        starts_at=at(monday),
        apply_by=at(monday - timedelta(days=7)),
        cancel_by=at(monday - timedelta(days=3)),
        capacity=50,
    )
    for user in _staff(sections, count, "participant"):
        Enrolment.objects.create(session=session, user=user, state=State.CONFIRMED)
    # The sessions, the claim, the participants, one INSERT (inside a savepoint).
    with django_assert_num_queries(6):
        assert reminders.send_due_reminders(now=at(date(2026, 11, 27), 8)) == count
    assert Notification.objects.filter(message__contains="明日").count() == count
