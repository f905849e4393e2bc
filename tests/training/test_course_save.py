"""Registering and editing a course (training.services.course_save, through HTTP): an organiser
without an office is refused up front with a Japanese reason; a new course belongs to the
organiser's office and its related policies are kept; every save is in the history; an edit
saved meanwhile by someone else is a conflict, never overwritten."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.models import Policy
from tests.factories import UserFactory
from training import services
from training.models import Course


def _data(course=None, **changes):
    data = {
        "title": "窓口接遇研修（応用）",
        "category": "service",
        "kind": "voluntary",
        "objectives": "苦情対応の事例研究",
        "hours": "1.5",
        "organiser": "",
        "is_active": "on",
    }
    if course is not None:
        data.update(
            title=course.title,
            category=course.category,
            kind=course.kind,
            objectives=course.objectives,
            hours=str(course.hours),
            organiser=course.organiser_id,
            version=course.version,
        )
    data.update(changes)
    return data


def test_an_organiser_without_an_office_is_refused_before_the_form(client, db):
    trainer = UserFactory(username="nooffice", section=None, roles=[Role.TRAINER])
    client.force_login(trainer)
    page = client.get(reverse("training:course_create"))
    assert page.status_code == 403
    assert "所属する区役所（所属課）が登録されていないため" in page.content.decode()
    before = Course.objects.count()
    response = client.post(reverse("training:course_create"), _data(organiser=trainer.pk))
    assert response.status_code == 403
    assert "研修を登録できません" in response.content.decode()
    assert Course.objects.count() == before


def test_a_new_course_belongs_to_the_organisers_office_with_its_policies_and_history(
    client, office, people
):
    # The office's own policy (each office has its own copy of the guideline).
    policy = Policy.objects.for_office(office).order_by("number").first()
    client.force_login(people.trainer)
    response = client.post(
        reverse("training:course_create"),
        _data(organiser=people.trainer.pk, policies=[policy.pk]),
    )
    assert response.status_code == 302, response.content.decode()
    course = Course.objects.get(title="窓口接遇研修（応用）")
    assert response["Location"] == course.get_absolute_url()
    assert course.office == office
    assert course.version == 1
    assert list(course.policies.all()) == [policy]
    # The creation, then its policies (django-simple-history writes the m2m as a second record).
    created, policies_set = course.history.order_by("history_id")
    assert created.history_type == "+" and created.history_user == people.trainer
    assert [p.policy_id for p in policies_set.policies.all()] == [policy.pk]
    assert policies_set.history_user == people.trainer


def test_a_bad_course_form_rerenders_with_the_field_error_and_keeps_the_input(client, people):
    client.force_login(people.trainer)
    response = client.post(
        reverse("training:course_create"), _data(organiser=people.trainer.pk, hours="0")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["hours"]
    assert "苦情対応の事例研究" in response.content.decode()


def test_an_edit_is_saved_with_its_history_and_a_stale_one_is_a_conflict(client, people, course):
    client.force_login(people.trainer)
    url = reverse("training:course_edit", args=[course.pk])
    loaded = course.version
    response = client.post(url, _data(course, title="窓口接遇研修（基礎・改）"))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "窓口接遇研修（基礎・改）" and course.version == loaded + 1
    assert course.history.first().history_user == people.trainer
    # A second editor who loaded the page before that save.
    client.force_login(people.admin)
    response = client.post(url, _data(course, title="別の名前", version=loaded))
    assert response.status_code == 400
    assert response.context["conflict"]
    course.refresh_from_db()
    assert course.title == "窓口接遇研修（基礎・改）"


def test_course_save_refuses_a_member_of_staff(people, course):
    course.title = "勝手な変更"
    with pytest.raises(PermissionDenied):
        services.course_save(course=course, by=people.staff)
    course.refresh_from_db()
    assert course.title == "窓口接遇研修（基礎）"


def test_a_change_of_the_courses_policies_is_in_its_history(client, office, people, course):
    """The related basic policies are part of the course's record: who changed them, when, and
    to what shows on its history page like any other field."""
    first, fifth = (Policy.objects.for_office(office).get(number=n) for n in (1, 5))
    client.force_login(people.trainer)
    url = reverse("training:course_edit", args=[course.pk])
    assert client.post(url, _data(course, policies=[first.pk])).status_code == 302
    course.refresh_from_db()
    assert client.post(url, _data(course, policies=[fifth.pk])).status_code == 302
    latest = course.history.first()
    assert [p.policy_id for p in latest.policies.all()] == [fifth.pk]
    assert latest.history_user == people.trainer
    html = client.get(reverse("training:course_history", args=[course.pk])).content.decode()
    assert "関連する基本方針" in html
    assert fifth.title in html and first.title in html
