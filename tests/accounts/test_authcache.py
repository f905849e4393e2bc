"""Roles and model permissions are kept in the cache between requests (accounts/authcache.py)
and computed again at once when a role or a permission changes."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from takatsu_portal.accounts import authcache
from takatsu_portal.accounts.roles import Role, assign_role
from takatsu_portal.core import generations

pytestmark = pytest.mark.django_db


def auth_queries(captured):
    return [
        q["sql"]
        for q in captured.captured_queries
        if "auth_group" in q["sql"] or "auth_permission" in q["sql"]
    ]


def test_a_second_request_reads_roles_and_permissions_from_the_cache(client, people):
    client.force_login(people.subcommittee)
    assert client.get(reverse("plans:progress")).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("plans:progress")).status_code == 200
    assert auth_queries(captured) == []


def test_a_role_taken_away_is_refused_at_the_next_request(client, people):
    client.force_login(people.subcommittee)
    assert client.get(reverse("plans:progress")).status_code == 200
    people.subcommittee.groups.remove(Group.objects.get(name=Role.SUBCOMMITTEE.group_name))
    assert client.get(reverse("plans:progress")).status_code == 403


def test_a_role_given_is_seen_at_the_next_request(client, people):
    client.force_login(people.staff)
    assert client.get(reverse("plans:progress")).status_code == 403
    assign_role(people.staff, Role.SUBCOMMITTEE)
    assert client.get(reverse("plans:progress")).status_code == 200


def test_a_permission_taken_from_a_group_is_seen_at_the_next_request(people):
    from takatsu_portal.accounts.models import User

    def fresh_permissions():
        # A new user object, as each request loads one: only the cache carries anything over.
        return User.objects.get(pk=people.subcommittee.pk).get_all_permissions()

    group = Group.objects.get(name=Role.SUBCOMMITTEE.group_name)
    permission = Permission.objects.get(codename="view_logentry")
    assert "admin.view_logentry" not in fresh_permissions()
    group.permissions.add(permission)
    held = fresh_permissions()
    assert "admin.view_logentry" in held
    assert fresh_permissions() == held
    group.permissions.remove(permission)
    assert "admin.view_logentry" not in fresh_permissions()


def test_with_the_cache_off_every_request_reads_the_database(client, people, settings):
    settings.AUTH_CACHE_SECONDS = 0
    client.force_login(people.subcommittee)
    client.get(reverse("plans:progress"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("plans:progress")).status_code == 200
    assert auth_queries(captured)


def test_two_changes_under_a_frozen_clock_give_two_generations():
    """The generation is not read from the clock: a test (or a server) whose clock stands still
    still invalidates at every change (the demo seeded under time_machine kept stale roles)."""
    import time_machine

    from takatsu_portal.core import attention

    with time_machine.travel("2026-10-05 10:00 +0900", tick=False):
        authcache.changed()
        first = authcache.generation()
        authcache.changed()
        assert authcache.generation() != first
        attention.changed()
        before = cache.get(attention.GENERATION_KEY)
        attention.changed()
        assert cache.get(attention.GENERATION_KEY) != before


@pytest.mark.parametrize(
    "change",
    [
        lambda user, group: user.groups.add(group),
        lambda user, group: user.groups.remove(group),
        lambda user, group: user.groups.clear(),
        lambda user, group: group.permissions.clear(),
    ],
    ids=["add", "remove", "clear", "group-permissions-clear"],
)
def test_one_change_of_a_membership_writes_one_generation(people, change, monkeypatch):
    group = Group.objects.get(name=Role.SUBCOMMITTEE.group_name)
    people.staff.groups.add(group)
    bumps = []
    write = generations.write

    def counting(keys):
        keys = list(keys)
        bumps.extend(1 for key in keys if key == authcache.GENERATION_KEY)
        write(keys)

    monkeypatch.setattr(generations, "write", counting)
    change(people.staff, group)
    # Once now (the commit's second write is left to the commit: these tests never commit).
    assert len(bumps) == 1
