"""Named people of one ward office (one per role, in two sections) and a stranger at another
office, for the training tests."""

from types import SimpleNamespace

import pytest

from takatsu_portal.accounts.roles import Role
from tests.cast import Cast, make_stranger, users
from tests.factories import DepartmentFactory, SectionFactory

from .factories import CourseFactory, SessionFactory


def make_sections(office):
    department = DepartmentFactory(office=office, name="区民サービス部")
    return SimpleNamespace(
        kumin=SectionFactory(department=department, name="区民課", sort_order=1),
        hoken=SectionFactory(department=department, name="保険年金課", sort_order=2),
    )


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
    )


@pytest.fixture(scope="session")
def cast():
    """Training's people (tests/conftest.py makes them once per module); the stranger is a
    training organiser of another ward office."""
    return Cast(
        sections=make_sections,
        people=make_people,
        stranger=lambda: make_stranger((Role.TRAINER, Role.SUBCOMMITTEE)),
    )


@pytest.fixture
def course(office, people):
    return CourseFactory(office=office, organiser=people.trainer, title="窓口接遇研修（基礎）")


@pytest.fixture
def session(course):
    return SessionFactory(course=course, capacity=2)
