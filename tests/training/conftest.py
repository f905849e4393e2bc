"""Named people of one ward office (one per role, in two sections) and a stranger at another
office, for the training tests."""

from types import SimpleNamespace

import pytest

from takatsu_portal.accounts.roles import Role
from tests.factories import DepartmentFactory, OfficeFactory, SectionFactory, UserFactory

from .factories import CourseFactory, SessionFactory


@pytest.fixture
def office(db):
    return OfficeFactory()


@pytest.fixture
def sections(office):
    department = DepartmentFactory(office=office, name="区民サービス部")
    return SimpleNamespace(
        kumin=SectionFactory(department=department, name="区民課", sort_order=1),
        hoken=SectionFactory(department=department, name="保険年金課", sort_order=2),
    )


@pytest.fixture
def people(sections):
    def user(username, *roles, section=sections.kumin):
        return UserFactory(username=username, roles=list(roles), section=section)

    return SimpleNamespace(
        staff=user("staff", Role.STAFF),
        colleague=user("colleague", Role.STAFF),
        other_staff=user("other", Role.STAFF, section=sections.hoken),
        trainer=user("trainer", Role.TRAINER, Role.STAFF),
        subcommittee=user("subcommittee", Role.STAFF, Role.SUBCOMMITTEE),
        council=user("council", Role.COUNCIL),
        manager=user("manager", Role.SECTION_MANAGER),
        other_manager=user("manager2", Role.SECTION_MANAGER, section=sections.hoken),
        admin=user("admin", Role.ADMINISTRATOR),
        # The city planning bureau: no section, reads every office, writes nothing.
        city=UserFactory(username="city", roles=[Role.CITY], section=None),
    )


@pytest.fixture
def stranger(db):
    """A training organiser of another ward office."""
    other_office = OfficeFactory(code="miyamae", name="宮前区役所")
    section = SectionFactory(department=DepartmentFactory(office=other_office))
    return UserFactory(username="miyamae", roles=[Role.TRAINER, Role.SUBCOMMITTEE], section=section)


@pytest.fixture
def course(office, people):
    return CourseFactory(office=office, organiser=people.trainer, title="窓口接遇研修（基礎）")


@pytest.fixture
def session(course):
    return SessionFactory(course=course, capacity=2)
