"""Named people of one ward office (one per role, in two sections) and a stranger at another
office, for the training tests."""

import pytest

from takatsu_portal.accounts.roles import Role
from tests.cast import Cast, make_stranger, users

from .factories import CourseFactory, SessionFactory


def make_people(sections):
    return users(
        sections.kumin,
        staff=("staff", Role.STAFF),
        colleague=("colleague", Role.STAFF),
        other_staff=("other", Role.STAFF, sections.hoken),
        trainer=("trainer", Role.TRAINER, Role.STAFF),
        subcommittee=("subcommittee", Role.STAFF, Role.SUBCOMMITTEE),
        council=("council", Role.COUNCIL),
        manager=("manager", Role.SECTION_MANAGER),
        other_manager=("manager2", Role.SECTION_MANAGER, sections.hoken),
        admin=("admin", Role.ADMINISTRATOR),
        # The city planning bureau: no section, reads every office, writes nothing.
        city=("city", Role.CITY, None),
    )


@pytest.fixture(scope="session")
def cast():
    """Training's people (tests/conftest.py makes them once per module); the stranger is a
    training organiser of another ward office."""
    return Cast(
        people=make_people,
        stranger=lambda: make_stranger((Role.TRAINER, Role.SUBCOMMITTEE)),
    )


@pytest.fixture
def course(office, people):
    return CourseFactory(office=office, organiser=people.trainer, title="窓口接遇研修（基礎）")


@pytest.fixture
def session(course):
    return SessionFactory(course=course, capacity=2)
