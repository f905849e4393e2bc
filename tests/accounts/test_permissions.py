import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404

from takatsu_portal.accounts.models import Section
from takatsu_portal.accounts.permissions import (
    get_object_for_user,
    in_own_section,
    manages_section_of,
)
from takatsu_portal.accounts.roles import ROLE_PERMISSIONS, Role, roles_of, sync_roles
from tests.factories import SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

AREA_ACCESS = {
    "portal.view_plans": set(Role),
    "portal.view_progress": {
        Role.WG_LEAD,
        Role.SUBCOMMITTEE,
        Role.COUNCIL,
        Role.SECTION_MANAGER,
        Role.ADMINISTRATOR,
        Role.CITY,  # the city planning bureau reads every ward's progress and reports
    },
    "portal.view_feedback": set(Role),
    "portal.view_bulletins": set(Role),
    "portal.view_training": set(Role),
    "portal.view_reports": {
        Role.SUBCOMMITTEE,
        Role.COUNCIL,
        Role.SECTION_MANAGER,
        Role.ADMINISTRATOR,
        Role.CITY,  # the city planning bureau reads every ward's progress and reports
    },
    "portal.admin_site": {Role.ADMINISTRATOR},
    "compare.view": {Role.CITY, Role.ADMINISTRATOR},
}


def test_every_role_is_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.label for r in Role}


def test_sync_roles_gives_each_group_exactly_its_listed_permissions():
    admin_group = Group.objects.get(name=Role.ADMINISTRATOR.label)
    manager_group = Group.objects.get(name=Role.SECTION_MANAGER.label)
    assert admin_group.permissions.filter(codename="change_user").exists()
    assert set(manager_group.permissions.values_list("codename", flat=True)) == {
        "view_user",
        "view_section",
    }
    # A permission added by hand is taken away again: the code is the source of truth.
    manager_group.permissions.add(admin_group.permissions.get(codename="delete_user"))
    sync_roles()
    assert not manager_group.permissions.filter(codename="delete_user").exists()
    assert ROLE_PERMISSIONS[Role.STAFF] == []


@pytest.mark.parametrize("perm", sorted(AREA_ACCESS))
@pytest.mark.parametrize("role", list(Role))
def test_portal_areas_follow_the_roles_of_the_design(role, perm):
    user = UserFactory(roles=[role])
    assert user.has_perm(perm) is (role in AREA_ACCESS[perm])


def test_a_user_without_role_sees_no_area():
    user = UserFactory()
    assert not any(user.has_perm(perm) for perm in AREA_ACCESS)


def test_an_inactive_user_loses_every_area():
    user = UserFactory(roles=[Role.ADMINISTRATOR], is_active=False)
    assert not any(user.has_perm(perm) for perm in AREA_ACCESS)


def test_superuser_holds_every_area():
    user = UserFactory(is_superuser=True)
    assert all(user.has_perm(perm) for perm in AREA_ACCESS)


def test_roles_are_read_once_per_user_object(django_assert_num_queries):
    user = UserFactory(roles=[Role.STAFF, Role.WG_LEAD])
    with django_assert_num_queries(1):
        assert roles_of(user) == {Role.STAFF, Role.WG_LEAD}
        assert user.has_perm("portal.view_progress")
        assert user.has_perm("portal.view_plans")


def test_section_rules_match_only_the_users_own_section():
    own, other = SectionFactory(), SectionFactory()
    manager = UserFactory(roles=[Role.SECTION_MANAGER], section=own)
    staff = UserFactory(roles=[Role.STAFF], section=own)
    assert in_own_section(manager, staff)
    assert manages_section_of(manager, staff)
    assert not manages_section_of(manager, UserFactory(section=other))
    # Charlie, a plain member of staff, manages nobody, not even his own section.
    assert not manages_section_of(staff, manager)
    assert not in_own_section(UserFactory(section=None), UserFactory(section=None))


def test_get_object_for_user_answers_404_outside_scope_and_403_without_permission():
    own, other = SectionFactory(), SectionFactory()
    manager = UserFactory(roles=[Role.SECTION_MANAGER], section=own)
    colleague = UserFactory(section=own)
    stranger = UserFactory(section=other)
    import rules

    rules.add_perm("tests.see_member", manages_section_of)
    try:
        users = type(manager).objects.all()
        assert (
            get_object_for_user(manager, users, perm="tests.see_member", pk=colleague.pk)
            == colleague
        )
        with pytest.raises(PermissionDenied, match="権限"):
            get_object_for_user(manager, users, perm="tests.see_member", pk=stranger.pk)
        with pytest.raises(Http404):
            get_object_for_user(
                manager, users.filter(section=own), perm="tests.see_member", pk=stranger.pk
            )
    finally:
        rules.remove_perm("tests.see_member")
    assert Section.objects.count() >= 2


def test_the_city_planning_bureau_reads_every_office_and_holds_no_ward_role():
    from takatsu_portal.accounts.permissions import is_city_reader, is_ward_staff

    city = UserFactory(roles=[Role.CITY], section=None)
    assert ROLE_PERMISSIONS[Role.CITY] == ["accounts.see_every_office"]
    assert city.has_perm("accounts.see_every_office")
    assert is_city_reader(city) and not is_ward_staff(city)
    both = UserFactory(roles=[Role.CITY, Role.STAFF])
    assert not is_city_reader(both) and is_ward_staff(both)


def _views_marked_writes_nothing(resolver=None, namespace=""):
    from django.urls import URLPattern, URLResolver, get_resolver

    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _views_marked_writes_nothing(pattern, inner)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and getattr(pattern.callback, "writes_nothing_of_a_ward", False)
        ):
            yield f"{namespace}{pattern.name}"


def test_the_views_the_city_may_post_to_are_those_marked_by_their_apps():
    assert set(_views_marked_writes_nothing()) == {
        "logout",
        "password_change",
        "keepalive",
        "notification_read",
        "plain_language:index",
        "plain_language:live",
        "plain_language:api_check",
        "reports:request",
        "reports:cancel",
        "reports:retry",
        "training:feed_issue",
    }


def test_the_city_reader_is_refused_a_write_unless_the_view_is_marked(client):
    from django.urls import reverse

    city = UserFactory(roles=[Role.CITY], section=None)
    client.force_login(city)
    response = client.post(reverse("notification_read"))
    assert response.status_code == 302  # marked: its own notifications
    response = client.post(reverse("imports:cancel", args=[1]))
    assert response.status_code == 403
    assert "総合企画局の職員は各区役所の記録を閲覧できますが" in response.content.decode()


def test_the_one_scope_rule_uses_a_querysets_for_office_and_within_office_is_that_rule(
    office, people, stranger
):
    from takatsu_portal.accounts.models import Office
    from takatsu_portal.accounts.permissions import within_office
    from takatsu_portal.accounts.scope import office_scope_of
    from takatsu_portal.compare.comparison import offices_for

    city = UserFactory(roles=[Role.CITY], section=None)
    nobody = UserFactory(roles=[Role.STAFF], section=None)
    everyone = set(Section.objects.all())
    own = set(Section.objects.filter(department__office=office))
    assert own and own != everyone
    # Section's QuerySet says where its office is (department__office): no path needed.
    assert set(office_scope_of(people.staff).apply(Section.objects.all())) == own
    assert set(within_office(people.staff, Section.objects.all())) == own
    assert set(within_office(people.staff, Section.objects.all(), path="department__office")) == own
    assert set(within_office(city, Section.objects.all())) == everyone
    assert list(within_office(nobody, Section.objects.all())) == []
    # Offices themselves: one's own, every office for the city, none without an office.
    assert offices_for(people.staff) == [office]
    assert offices_for(stranger) == [stranger.office]
    assert offices_for(city) == list(Office.objects.order_by("sort_order", "id"))
    assert len(offices_for(city)) >= 2
    assert offices_for(nobody) == []
