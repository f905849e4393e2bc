"""Date fields take one Tab stop each (#10.11): the floor's one date widget is a text field
that takes the dates people type (2026-07-01, 2026/7/1, 2026年7月1日), not the browser's
three-part date control; every form of the apps uses it."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

from plans.models import Improvement
from takatsu_portal.core.forms import DATE_WIDGET

from .test_improvements import form_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_the_floors_date_widget_is_one_text_field():
    html = DATE_WIDGET.render("day", datetime.date(2026, 7, 1))
    assert 'type="text"' in html and 'inputmode="numeric"' in html
    assert 'value="2026-07-01"' in html


def test_no_form_builds_a_browser_date_control_of_its_own():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("plans", "feedback", "takatsu_portal", "templates")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".py", ".html")
        and re.search(r"""["']type["']:\s*["']date["']|type="date\"""", path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize("typed", ["2026/7/1", "2026年7月1日", "2026-07-01"])
def test_dates_are_taken_as_people_type_them(client, people, typed):
    client.force_login(people.staff)
    page = client.get(reverse("plans:improvement_create")).content.decode()
    assert re.search(r'<input type="text" name="recorded_on"', page)
    response = client.post(reverse("plans:improvement_create"), form_data(recorded_on=typed))
    assert response.status_code == 302
    assert Improvement.objects.get().recorded_on == datetime.date(2026, 7, 1)
