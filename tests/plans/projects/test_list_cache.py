"""The project list is rendered once per office, roles and query string and kept in the cache
until a service reports a change (core/shared_cache.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from takatsu_portal.accounts.roles import Role
from tests.factories import UserFactory
from tests.plans.factories import ProjectFactory
from tests.plans.projects.test_projects import create, form_data

pytestmark = pytest.mark.django_db

LIST = reverse("plans:project_list")


def project_list(client, user, plan):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, {"plan": plan.pk})
    assert response.status_code == 200
    project_queries = [q for q in captured.captured_queries if "plans_project" in q["sql"]]
    return response.content.decode(), project_queries


def test_the_list_is_rendered_once_for_people_with_the_same_roles(client, people, plan, sections):
    ProjectFactory(plan=plan, code="L-001", title="窓口の案内改善", section=sections.kumin)
    colleague = UserFactory(roles=[Role.STAFF], section=sections.hoken)
    first, computed = project_list(client, people.staff, plan)
    second, kept = project_list(client, colleague, plan)
    assert "L-001" in first
    assert second.count("L-001") == first.count("L-001") > 0
    assert computed
    assert kept == []


def test_each_role_set_sees_its_own_buttons(client, people, plan, sections):
    ProjectFactory(plan=plan, code="L-001", section=sections.kumin)
    staff_page, _ = project_list(client, people.staff, plan)
    subcommittee_page, _ = project_list(client, people.subcommittee, plan)
    assert "新規作成" not in staff_page
    assert "新規作成" in subcommittee_page


def test_a_new_project_is_listed_at_once(client, people, plan, sections):
    html, _ = project_list(client, people.subcommittee, plan)
    assert "R8-10" not in html
    response = client.post(create(plan), form_data(code="R8-10", section=sections.kumin.pk))
    assert response.status_code == 302
    html, computed = project_list(client, people.subcommittee, plan)
    assert "R8-10" in html
    assert computed


def test_the_kept_list_holds_no_csrf_token_nor_anything_of_its_first_viewer(
    client, people, plan, sections, monkeypatch
):
    from takatsu_portal.core import generations

    kept = {}
    store = generations.store

    def keeping(key, stamp, value, seconds):
        if key.startswith("shared:project-list:"):
            kept[key] = value
        store(key, stamp, value, seconds)

    monkeypatch.setattr(generations, "store", keeping)
    ProjectFactory(plan=plan, code="L-001", title="窓口の案内改善", section=sections.kumin)
    first, _ = project_list(client, people.subcommittee, plan)
    assert "csrfmiddlewaretoken" in first  # the page itself (the header's sign-out form)
    (html,) = kept.values()
    assert "L-001" in html and "新規作成" in html  # the buttons of the subcommittee's roles
    assert "csrfmiddlewaretoken" not in html
    assert people.subcommittee.username not in html
    assert str(people.subcommittee) not in html and str(people.subcommittee) in first
