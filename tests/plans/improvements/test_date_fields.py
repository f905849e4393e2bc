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

ROOT = Path(__file__).resolve().parents[3]
APPS = ("plans", "feedback", "inspections", "bulletins", "training", "takatsu_portal", "templates")
# type="date" in a widget's attributes or a template, or a widget class of its own.
BROWSER_DATE = re.compile(
    r"""["']type["']:\s*["']date["']|type="date"|input_type\s*=\s*["']date["']"""
)


def test_the_floors_date_widget_is_one_text_field():
    html = DATE_WIDGET.render("day", datetime.date(2026, 7, 1))
    assert 'type="text"' in html and 'inputmode="numeric"' in html
    assert 'value="2026-07-01"' in html


def test_no_form_builds_a_browser_date_control_of_its_own():
    sources = [
        path
        for folder in APPS
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".py", ".html") and "migrations" not in path.parts
    ]
    assert len(sources) > 300  # the apps' sources, not an empty folder
    offenders = [
        str(path.relative_to(ROOT)) for path in sources if BROWSER_DATE.search(path.read_text())
    ]
    assert offenders == []


def test_every_date_field_of_every_form_renders_as_one_text_field():
    """Every DateField of the apps' forms (ModelForms' model fields included) renders as the
    floor's text field."""
    import importlib
    import inspect

    from django import forms

    offenders = []
    for path in ROOT.glob("*/**/forms.py"):
        module_path = path.relative_to(ROOT).with_suffix("")
        if module_path.parts[0] not in APPS:
            continue
        module = importlib.import_module(".".join(module_path.parts))
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            for field_name, field in cls.base_fields.items():
                if isinstance(field, forms.DateField) and not isinstance(
                    field, forms.DateTimeField
                ):
                    html = field.widget.render(field_name, None)
                    if 'type="text"' not in html:
                        offenders.append(f"{module.__name__}.{name}.{field_name}")
    assert offenders == []


@pytest.mark.parametrize("typed", ["2026/7/1", "2026年7月1日", "2026-07-01"])
def test_dates_are_taken_as_people_type_them(client, people, typed):
    client.force_login(people.staff)
    page = client.get(reverse("plans:improvement_create")).content.decode()
    assert re.search(r'<input type="text" name="recorded_on"', page)
    response = client.post(reverse("plans:improvement_create"), form_data(recorded_on=typed))
    assert response.status_code == 302
    assert Improvement.objects.get().recorded_on == datetime.date(2026, 7, 1)
