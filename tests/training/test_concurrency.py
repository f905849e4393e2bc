"""Capacity under real concurrent transactions on PostgreSQL: each applicant in a thread of
its own, with its own database connection, all released at the same moment."""

import threading

import pytest
from django.db import connection, connections

from tests.factories import UserFactory
from training import services
from training.models import Enrolment

from .factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_fifty_applicants_for_twenty_seats_give_twenty_confirmed_and_thirty_waiting_in_order():
    organiser = UserFactory()
    session = SessionFactory(course=CourseFactory(organiser=organiser), capacity=20)
    applicants = [UserFactory(section=organiser.section) for _ in range(50)]
    start = threading.Barrier(50)
    errors = []

    def run(user):
        try:
            start.wait()
            services.enrolment_apply(session=session, user=user)
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(user,)) for user in applicants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    rows = list(Enrolment.objects.filter(session=session).order_by("applied_at", "id"))
    assert len(rows) == 50
    assert [r.state for r in rows] == ["confirmed"] * 20 + ["waiting"] * 30
    # Nobody waits who applied before someone who got a seat, and ids follow the same order.
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    assert {r.user_id for r in rows} == {u.id for u in applicants}

    # A cancellation gives the seat to the first in the waiting list, and only to them.
    first_waiting = rows[20]
    services.enrolment_cancel(enrolment=rows[0], by=rows[0].user)
    first_waiting.refresh_from_db()
    assert first_waiting.state == "confirmed"
    assert Enrolment.objects.filter(session=session, state="confirmed").count() == 20
    assert Enrolment.objects.filter(session=session, state="waiting").count() == 29


@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_never_overfill_the_session():
    organiser = UserFactory()
    session = SessionFactory(course=CourseFactory(organiser=organiser), capacity=5)
    users = [UserFactory(section=organiser.section) for _ in range(15)]
    for user in users:
        services.enrolment_apply(session=session, user=user)
    confirmed = list(Enrolment.objects.filter(session=session, state="confirmed"))
    newcomers = [UserFactory(section=organiser.section) for _ in range(5)]
    start = threading.Barrier(10)
    errors = []

    def cancel(enrolment):
        try:
            start.wait()
            services.enrolment_cancel(enrolment=enrolment, by=enrolment.user)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    def apply(user):
        try:
            start.wait()
            services.enrolment_apply(session=session, user=user)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(e,)) for e in confirmed]
    threads += [threading.Thread(target=apply, args=(u,)) for u in newcomers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Enrolment.objects.filter(session=session, state="confirmed").count() == 5
    # The seats went to the five who waited longest, not to the newcomers.
    waited = [u.id for u in users[5:10]]
    seated = Enrolment.objects.filter(session=session, state="confirmed")
    assert set(seated.values_list("user_id", flat=True)) == set(waited)
