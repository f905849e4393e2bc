"""Fixtures of the feedback tests: the plans tests' people and offices, and windows."""

from types import SimpleNamespace

import pytest

from .factories import SurveyFactory, WindowFactory


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


@pytest.fixture(autouse=True)
def _media(media):
    """Uploads and rendered PDFs go to a temporary folder."""
    return media
