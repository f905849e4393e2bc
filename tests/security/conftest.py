"""The security tests reuse the plans tests' office, sections and named people."""

from tests.plans import conftest as plans_fixtures

office = plans_fixtures.office
sections = plans_fixtures.sections
people = plans_fixtures.people
stranger = plans_fixtures.stranger
