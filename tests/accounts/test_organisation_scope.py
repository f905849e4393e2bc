"""The organisation's records are office-scoped (core/scoping.py, issue 15): in a request, an
unscoped query of departments, sections or staff transfers raises; scoped by an office it sees
that office's rows only; the city's reader sees every office's sections through the one scope
rule; the pages that offer a choice of sections or departments offer the user's own office's
only and refuse another office's id.

The views below are added to the portal's URLs for these tests only."""

import datetime
import re

import pytest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone

from bulletins import services as bulletin_services
from takatsu_portal.accounts.models import Department, Section, StaffTransfer
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.forms import sections_for
from takatsu_portal.core.scoping import UnscopedQueryError
from takatsu_portal.urls import urlpatterns as portal_urlpatterns
from tests.factories import SectionFactory, UserFactory
from tests.plans.factories import PlanFactory, ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

MODELS = {"section": Section, "department": Department, "transfer": StaffTransfer}


def _names(queryset):
    return HttpResponse(",".join(sorted(str(row.pk) for row in queryset)))


def unscoped(request, model):
    return _names(MODELS[model].objects.all())


def unscoped_by_pk(request, model, pk):
    return HttpResponse(str(MODELS[model].objects.get(pk=pk)))


def of_office(request, model):
    return _names(MODELS[model].objects.for_office(request.user.office))


def section_by_id(request, pk):
    return HttpResponse(get_object_or_404(sections_for(request.user), pk=pk).name)


urlpatterns = [
    *portal_urlpatterns,
    path("org/<str:model>/unscoped/", unscoped),
    path("org/<str:model>/pk/<int:pk>/", unscoped_by_pk),
    path("org/<str:model>/office/", of_office),
    path("org/section/<int:pk>/", section_by_id),
]


@pytest.fixture
def theirs(stranger):
    """Another office's department and section (the stranger's) and a second section there."""
    section = stranger.section
    return {
        "department": section.department,
        "section": section,
        "second": SectionFactory(department=section.department, name="宮前の第二課"),
    }


@pytest.fixture
def transfers(people, sections, stranger, theirs):
    """One transfer into our office from theirs (applied: its from_section is recorded), one
    out of ours to theirs (pending: the section it leaves is the person's), and one within
    their office that is none of ours."""
    arriving = UserFactory(username="arriving", section=sections.kumin)
    within = UserFactory(username="within", section=theirs["section"])
    return {
        "in": StaffTransfer.objects.create(
            user=arriving,
            from_section=theirs["section"],
            to_section=sections.kumin,
            effective_on=datetime.date(2026, 4, 1),
            applied_at=timezone.now(),
        ),
        "out": StaffTransfer.objects.create(
            user=people.staff, to_section=theirs["section"], effective_on=datetime.date(2027, 4, 1)
        ),
        "theirs": StaffTransfer.objects.create(
            user=within, to_section=theirs["second"], effective_on=datetime.date(2027, 4, 1)
        ),
    }


def _ids(*rows):
    return ",".join(sorted(str(row.pk) for row in rows))


@pytest.mark.parametrize("model", sorted(MODELS))
def test_an_unscoped_query_of_the_organisation_in_a_request_raises(
    client, people, theirs, transfers, model
):
    client.force_login(people.staff)
    label = MODELS[model]._meta.label.replace(".", r"\.")
    with pytest.raises(UnscopedQueryError, match=label):
        client.get(f"/org/{model}/unscoped/")
    other = {
        "section": theirs["section"],
        "department": theirs["department"],
        "transfer": transfers["theirs"],
    }[model]
    with pytest.raises(UnscopedQueryError):  # a hand-typed id is not a scope
        client.get(f"/org/{model}/pk/{other.pk}/")


def test_sections_and_departments_scoped_by_an_office_are_that_offices_only(
    client, people, sections, office, stranger, theirs
):
    client.force_login(people.staff)
    assert client.get("/org/section/office/").content.decode() == _ids(
        sections.kumin, sections.hoken
    )
    assert client.get("/org/department/office/").content.decode() == _ids(
        *Department.objects.filter(office=office)
    )
    client.force_login(stranger)
    assert client.get("/org/section/office/").content.decode() == _ids(
        theirs["section"], theirs["second"]
    )


def test_a_transfer_belongs_to_the_office_it_leaves_and_the_one_it_joins(
    client, people, stranger, transfers
):
    client.force_login(people.staff)
    ours = client.get("/org/transfer/office/").content.decode()
    assert ours == _ids(transfers["in"], transfers["out"])
    client.force_login(stranger)
    theirs = client.get("/org/transfer/office/").content.decode()
    assert theirs == _ids(transfers["in"], transfers["out"], transfers["theirs"])


def test_a_section_is_found_in_the_users_office_and_not_found_in_another(
    client, people, sections, theirs
):
    client.force_login(people.staff)
    assert client.get(f"/org/section/{sections.hoken.pk}/").content.decode() == "保険年金課"
    assert client.get(f"/org/section/{theirs['section'].pk}/").status_code == 404


def test_the_city_finds_every_offices_sections_through_the_scope_rule(
    client, people, sections, theirs
):
    client.force_login(people.city)
    assert client.get(f"/org/section/{sections.hoken.pk}/").status_code == 200
    assert client.get(f"/org/section/{theirs['second'].pk}/").content.decode() == "宮前の第二課"


def test_a_user_without_an_office_or_the_citys_permission_finds_no_section(
    client, make_user, sections
):
    client.force_login(make_user(Role.STAFF, section=None))
    assert client.get(f"/org/section/{sections.kumin.pk}/").status_code == 404


def _section_options(page):
    """The values of the section filter's options (the empty "すべて" left out)."""
    select = page.split('name="section"', 1)[1].split("</select>", 1)[0]
    return set(re.findall(r'<option value="(\d+)"', select))


def test_the_project_lists_section_choice_is_the_offices_and_the_citys_is_every_offices(
    client, people, office, sections, stranger, theirs
):
    plan = PlanFactory(office=office)
    ProjectFactory(plan=plan, code="R8-01", section=sections.kumin)
    ProjectFactory(plan=PlanFactory(office=stranger.office), code="M-01", section=theirs["section"])
    url = reverse("plans:project_list")
    client.force_login(people.staff)
    page = client.get(url).content.decode()
    assert _section_options(page) == {str(sections.kumin.pk), str(sections.hoken.pk)}
    # Another office's section, typed into the address: refused, and nothing of theirs shown.
    response = client.get(url, {"plan": plan.pk, "section": theirs["section"].pk})
    assert response.status_code == 200
    assert "M-01" not in response.content.decode()
    client.force_login(people.city)
    page = client.get(url).content.decode()
    assert {str(theirs["section"].pk), str(sections.kumin.pk)} <= _section_options(page)


def test_the_article_forms_departments_and_sections_are_the_issues_office(
    client, office, sections, theirs
):
    editor = UserFactory(username="henshu", roles=[Role.STAFF, Role.EDITOR], section=sections.kumin)
    issue = bulletin_services.issue_create(office=office, title="5月号", by=editor)
    url = reverse("bulletins:article_create", args=[issue.pk])
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert "区民サービス部" in page and "保険年金課" in page
    assert theirs["department"].name not in page and "宮前の第二課" not in page
    response = client.post(
        url,
        {
            "title": "転入届の受付時間",
            "body": "受付時間が変わります。",
            "category": "rule_change",
            "importance": "normal",
            "audience_departments": [theirs["department"].pk],
        },
    )
    assert response.status_code == 400
    assert "正しく選択してください" in response.content.decode()
    assert not issue.articles.exists()
