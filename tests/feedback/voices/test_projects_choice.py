# ruff: noqa: F811  (fixtures imported from the neighbouring test module)
"""対応する事業 is a searchable checkbox list of the current plan's projects (#10.11), with
the projects already linked, and every project of the office on request."""

import re

import pytest

from takatsu_portal.core.fiscal import FiscalYear
from tests.plans.factories import PlanFactory, ProjectFactory

from .test_voices import detail, step, voice  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(office):
    year = FiscalYear.current().year
    current = PlanFactory(office=office, fiscal_year=year)
    last = PlanFactory(office=office, fiscal_year=year - 1)
    return {
        "now": ProjectFactory(plan=current, code="R8-01", title="今年度の事業"),
        "old": ProjectFactory(plan=last, code="R7-01", title="昨年度の事業"),
    }


def checkboxes(html):
    return set(re.findall(r'<input type="checkbox"[^>]*name="projects" value="(\d+)"', html))


def test_the_list_shows_the_current_plans_projects_as_checkboxes(client, people, voice, plans):
    client.force_login(people.manager)
    html = client.get(detail(voice)).content.decode()
    assert checkboxes(html) == {str(plans["now"].pk)}
    assert "事業を絞り込む" in html  # the search box
    assert "?all_projects=1" in html  # the others on request
    html = client.get(detail(voice) + "?all_projects=1").content.decode()
    assert checkboxes(html) == {str(plans["now"].pk), str(plans["old"].pk)}


def test_a_linked_project_of_another_year_stays_in_the_list(client, people, voice, plans):
    voice.projects.add(plans["old"])
    client.force_login(people.manager)
    html = client.get(detail(voice)).content.decode()
    assert checkboxes(html) == {str(plans["now"].pk), str(plans["old"].pk)}


def test_a_project_of_another_year_can_still_be_linked(client, people, voice, plans):
    client.force_login(people.manager)
    response = client.post(
        step("projects", voice), {"projects": [plans["old"].pk], "version": voice.version}
    )
    assert response.status_code == 302
    assert list(voice.projects.all()) == [plans["old"]]
