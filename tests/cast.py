"""The named people of the tests and where they work: one ward office, its sections, one user
per role, and a stranger of another office who must see none of it (healthchecks' "Charlie
should have no access to Alice's stuff").

`Cast` says how to make them; tests/conftest.py makes them once per test module (fixtures
`office`, `sections`, `people`, `stranger`). An app whose tests need other people overrides
the `cast` fixture in its conftest with a `Cast` of its own builders (tests/bulletins,
tests/training, tests/inspections).
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from takatsu_portal.accounts.roles import Role

from .factories import DepartmentFactory, OfficeFactory, SectionFactory, UserFactory


def make_office():
    return OfficeFactory()


def make_sections(office):
    department = DepartmentFactory(office=office, name="区民サービス部")
    return SimpleNamespace(
        kumin=SectionFactory(department=department, name="区民課", sort_order=1),
        hoken=SectionFactory(department=department, name="保険年金課", sort_order=2),
    )


def users(default_section, **rows):
    """Saved users by name: `staff=("staff", Role.STAFF)`, or with a section last
    `other_lead=("wglead2", Role.STAFF, Role.WG_LEAD, sections.hoken)`."""

    def make(username, *rest):
        section = rest[-1] if rest and not isinstance(rest[-1], Role) else default_section
        roles = [r for r in rest if isinstance(r, Role)]
        return UserFactory(username=username, roles=roles, section=section)

    return SimpleNamespace(**{name: make(*row) for name, row in rows.items()})


def make_people(sections):
    return users(
        sections.kumin,
        staff=("staff", Role.STAFF),
        lead=("wglead", Role.STAFF, Role.WG_LEAD),
        other_lead=("wglead2", Role.STAFF, Role.WG_LEAD, sections.hoken),
        subcommittee=("subcommittee", Role.STAFF, Role.SUBCOMMITTEE),
        council=("council", Role.COUNCIL),
        manager=("manager", Role.SECTION_MANAGER),
        other_manager=("manager2", Role.SECTION_MANAGER, sections.hoken),
        admin=("admin", Role.ADMINISTRATOR),
        # The city planning bureau: no section, reads every office, writes nothing.
        city=("city", Role.CITY, None),
    )


def make_stranger(roles=(Role.SUBCOMMITTEE, Role.COUNCIL)):
    """A user of another ward office (宮前区役所), by default a subcommittee and council member."""
    other_office = OfficeFactory(code="miyamae", name="宮前区役所")
    section = SectionFactory(department=DepartmentFactory(office=other_office))
    return UserFactory(username="miyamae", roles=list(roles), section=section)


@dataclass(frozen=True)
class Cast:
    """How to make the office (no arguments), its sections (from the office), its people (from
    the sections) and the stranger (no arguments)."""

    office: Callable = make_office
    sections: Callable = make_sections
    people: Callable = make_people
    stranger: Callable = make_stranger

    def make(self):
        office = self.office()
        sections = self.sections(office)
        return SimpleNamespace(
            office=office,
            sections=sections,
            people=self.people(sections),
            stranger=self.stranger(),
        )
