"""The training app's figure in 区役所比較 (training/comparison.py): each office's people are
held to their own office's required-training rules, for every office at once."""

import datetime

import pytest
from django.utils import timezone

from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.fiscal import FiscalYear
from tests.factories import DepartmentFactory, OfficeFactory, SectionFactory, UserFactory
from training.comparison import compliance_values
from training.models import Enrolment, Requirement

from .factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_each_office_follows_its_own_rules():
    offices, people = [], {}
    for code, name in (
        ("takatsu", "高津区役所"),
        ("miyamae", "宮前区役所"),
        ("saiwai", "幸区役所"),
    ):
        office = OfficeFactory(code=code, name=name)
        section = SectionFactory(department=DepartmentFactory(office=office))
        offices.append(office)
        people[code] = [
            UserFactory(username=f"{code}{n}", roles=[Role.STAFF], section=section)
            for n in range(4)
        ]
    takatsu, miyamae, saiwai = offices
    organiser = people["takatsu"][0]
    course = CourseFactory(office=takatsu, organiser=organiser)
    # Taken as of today (the people joined today): a session of this fiscal year, before today.
    fiscal_year = FiscalYear.current()
    held = timezone.make_aware(datetime.datetime.combine(fiscal_year.start, datetime.time(10)))
    session = SessionFactory(
        course=course, starts_at=held, ends_at=held + datetime.timedelta(hours=2)
    )
    # 高津: every member must complete the course this fiscal year; three of four did.
    Requirement.objects.create(office=takatsu, title="接遇研修", audience="all", course=course)
    for user in people["takatsu"][:3]:
        Enrolment.objects.create(
            session=session,
            user=user,
            state=Enrolment.State.CONFIRMED,
            attendance=Enrolment.Attendance.PRESENT,
            completed_on=fiscal_year.start,
        )
    # 宮前: the same course counts, by a rule of its own, and nobody has done it.
    Requirement.objects.create(
        office=miyamae, title="接遇研修（宮前）", audience="all", course=course
    )

    values = compliance_values(offices, fiscal_year)

    assert values[takatsu.pk] == {"in_scope": 4, "missing": 1, "overdue": 0, "rate": 75.0}
    assert values[miyamae.pk] == {"in_scope": 4, "missing": 4, "overdue": 0, "rate": 0.0}
    assert saiwai.pk not in values  # no rule: an empty row, not a rate of people held to none


def test_no_rule_anywhere_costs_one_query(django_assert_num_queries):
    office = OfficeFactory()
    with django_assert_num_queries(1):
        assert compliance_values([office], FiscalYear(2026)) == {}


def test_the_comparisons_stamp_moves_with_an_enrolment_and_costs_no_query(
    django_assert_num_queries,
):
    """The city's comparison is kept until its metrics' stamps move: training's is the token
    of training's generation, which its services move (an attendance that completes a rule
    changes the figure without moving any office's data generation)."""
    from training import services
    from training.comparison import compliance_stamp

    office = OfficeFactory()
    section = SectionFactory(department=DepartmentFactory(office=office))
    person = UserFactory(roles=[Role.STAFF], section=section)
    course = CourseFactory(office=office, organiser=person)
    session = SessionFactory(course=course)
    with django_assert_num_queries(0):
        before = compliance_stamp([office], FiscalYear.current())
    services.enrolment_apply(session=session, user=person)
    assert compliance_stamp([office], FiscalYear.current()) != before
