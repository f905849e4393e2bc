"""The named people (tests/cast.py, tests/conftest.py) are made once per module, yet no test
sees what another test changed: in the database (each test's savepoint is rolled back) or on
the Python objects (each test gets its own copies)."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

CHANGED = "変更 された名前"


def test_a_test_may_change_its_people(people, sections):
    people.staff.full_name = CHANGED
    people.staff.save()
    people.manager.delete()
    sections.kumin.name = CHANGED
    assert get_user_model().objects.filter(full_name=CHANGED).exists()


def test_the_next_test_sees_them_as_they_were_made(people, sections):
    assert people.staff.full_name != CHANGED
    assert sections.kumin.name == "区民課"
    people.staff.refresh_from_db()
    assert people.staff.full_name != CHANGED
    assert get_user_model().objects.filter(pk=people.manager.pk).exists()


def test_they_are_made_once_for_the_module_and_copied_for_each_test(
    module_cast, office, sections, people, stranger
):
    assert people.staff.pk == module_cast.people.staff.pk
    assert people.staff is not module_cast.people.staff
    assert stranger.pk == module_cast.stranger.pk
    # One test's copies keep the links they were made with.
    assert people.staff.section is sections.kumin
    assert sections.kumin.department.office is office
    assert stranger.office != office
