"""Fixtures of the feedback tests: the plans tests' people and offices, and windows."""

from types import SimpleNamespace

import pytest

from tests.plans import conftest as plans_fixtures

from .factories import SurveyFactory, WindowFactory

office = plans_fixtures.office
sections = plans_fixtures.sections
people = plans_fixtures.people
stranger = plans_fixtures.stranger


@pytest.fixture
def windows(sections):
    return SimpleNamespace(
        jumin=WindowFactory(section=sections.kumin, name="住民記録窓口", location="1階 1番"),
        hoken=WindowFactory(section=sections.hoken, name="国民健康保険窓口", location="1階 8番"),
    )


@pytest.fixture
def survey(office, people, windows):
    survey = SurveyFactory(office=office, created_by=people.subcommittee)
    survey.windows.set([windows.jumin, windows.hoken])
    return survey
