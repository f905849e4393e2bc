"""The plans tests' own fixtures: a plan of the office and two working groups (`people.lead`
leads `group`; `people.other_lead` leads `other_group`). The office, its people and the
stranger of another office are in tests/conftest.py."""

import pytest

from .factories import PlanFactory, WorkingGroupFactory


@pytest.fixture
def plan(office):
    return PlanFactory(office=office)


@pytest.fixture
def group(office, people):
    return WorkingGroupFactory(office=office, lead=people.lead, name="窓口改善ワーキング")


@pytest.fixture
def other_group(office, people):
    return WorkingGroupFactory(office=office, lead=people.other_lead, name="庁舎サインワーキング")


@pytest.fixture(autouse=True)
def _media(media):
    """Uploads and rendered PDFs go to a temporary folder."""
    return media
