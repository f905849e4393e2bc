"""Named users of one ward office, one per role, and a second office for scope tests.

Alice-and-Charlie style: `people.lead` leads `group`; `people.other_lead` leads another group;
`stranger` works at another ward office and must see none of this office's records.
"""

from types import SimpleNamespace

import pytest

from takatsu_portal.accounts.roles import Role
from tests.factories import DepartmentFactory, OfficeFactory, SectionFactory, UserFactory

from .factories import PlanFactory, WorkingGroupFactory


@pytest.fixture
def office(db):
    return OfficeFactory()


@pytest.fixture
def sections(office):
    department = DepartmentFactory(office=office, name="区民サービス部")
    return SimpleNamespace(
        kumin=SectionFactory(department=department, name="区民課"),
        hoken=SectionFactory(department=department, name="保険年金課"),
    )


@pytest.fixture
def people(sections):
    def user(username, *roles, section=sections.kumin):
        return UserFactory(username=username, roles=list(roles), section=section)

    return SimpleNamespace(
        staff=user("staff", Role.STAFF),
        lead=user("wglead", Role.STAFF, Role.WG_LEAD),
        other_lead=user("wglead2", Role.STAFF, Role.WG_LEAD, section=sections.hoken),
        subcommittee=user("subcommittee", Role.STAFF, Role.SUBCOMMITTEE),
        council=user("council", Role.COUNCIL),
        manager=user("manager", Role.SECTION_MANAGER),
        other_manager=user("manager2", Role.SECTION_MANAGER, section=sections.hoken),
        admin=user("admin", Role.ADMINISTRATOR),
    )


@pytest.fixture
def stranger(db):
    """A subcommittee member of another ward office."""
    other_office = OfficeFactory(code="miyamae", name="宮前区役所")
    section = SectionFactory(department=DepartmentFactory(office=other_office))
    return UserFactory(username="miyamae", roles=[Role.SUBCOMMITTEE, Role.COUNCIL], section=section)


@pytest.fixture
def plan(office):
    return PlanFactory(office=office)


@pytest.fixture
def group(office, people):
    return WorkingGroupFactory(office=office, lead=people.lead, name="窓口改善ワーキング")


@pytest.fixture
def other_group(office, people):
    return WorkingGroupFactory(office=office, lead=people.other_lead, name="庁舎サインワーキング")
