import copy
import sys
from types import SimpleNamespace

import pytest
from django.db import transaction
from pytest_django.fixtures import validate_django_db

from takatsu_portal.accounts.roles import Role

from .cast import Cast
from .factories import PASSWORD, SectionFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_user_caches():
    """Each test starts with no cached attention list, roles or permissions: the cache (Redis)
    outlives a test's rolled-back rows, and a new test database gives out the same ids again."""
    from takatsu_portal.accounts import authcache
    from takatsu_portal.core import attention

    attention.changed()
    authcache.changed()


@pytest.fixture
def section(db):
    return SectionFactory()


@pytest.fixture
def make_user(db):
    """make_user(Role.STAFF, section=...) → a saved user with that role and a known password."""

    def make(*roles, **fields):
        return UserFactory(roles=list(roles), **fields)

    return make


def make_role_users():
    """One user per role, all in one section, keyed by Role (usernames are the roles' values)."""
    section = SectionFactory()
    return {role: UserFactory(username=role.value, roles=[role], section=section) for role in Role}


@pytest.fixture
def role_users(db, module_cast, _copies):
    """One user per role, all in the same section, keyed by Role: made once per test module
    with the cast below (see `module_cast`), else for the test."""
    if module_cast is not None and hasattr(module_cast, "role_users"):
        return _copies(module_cast.role_users)
    return make_role_users()


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


__all__ = ["PASSWORD"]


@pytest.fixture
def master_data(transactional_db):
    """The guideline's master data (policies, initiative areas) in a transactional test.

    A transactional test empties every table when it ends (and the roles come back by
    themselves through post_migrate); this loads the data of migration core 0002 again,
    idempotently, for a test that needs it, and gives every office already made (the named
    users' office may come first) its own copy, as the admin and OfficeFactory do.
    """
    from importlib import import_module

    from django.apps import apps

    from takatsu_portal.accounts.models import Office
    from takatsu_portal.core.guideline import office_guideline_copy

    import_module("takatsu_portal.core.migrations.0002_guideline_master_data").load(apps, None)
    for office in Office.objects.all():
        office_guideline_copy(office=office)


# ---------------------------------------------------------------------------------------------
# Named users of one ward office, one per role, and a stranger of another office, shared by the
# tests of every app (tests/cast.py). They are made once per test module, in a transaction
# that the module's end rolls back; each test runs in a savepoint inside it (pytest-django's
# `db`), so what a test changes in the database is undone after it, and each test gets its own
# copies of the Python objects, so what it changes on them is not seen by the next test.


def _is_transactional(item):
    """Whether pytest-django runs `item` as a TransactionTestCase: its rows are committed and
    every table is emptied after it, which no transaction around the module survives."""
    names = set(getattr(item, "fixturenames", ()))
    if names & {"transactional_db", "live_server", "django_db_reset_sequences"}:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transactional, reset_sequences, *_ = validate_django_db(marker)
    return transactional or reset_sequences


CAST_FIXTURES = {"office", "sections", "people", "stranger"}
# One user per role, made with the module's cast for a module that asks for them (and the cast
# itself only when the module asks for one of CAST_FIXTURES too). Their usernames are the
# roles' values, as some of the cast's people's are: a module asks for one or the other.
ROLE_USERS = "role_users"
_ITEMS_BY_MODULE = pytest.StashKey[dict]()


def _items_of_module(request):
    """The session's tests of the module that `request` (module-scoped) is for."""
    stash = request.session.stash
    if _ITEMS_BY_MODULE not in stash:
        by_module = {}
        for item in request.session.items:
            by_module.setdefault(item.getparent(pytest.Module), []).append(item)
        stash[_ITEMS_BY_MODULE] = by_module
    return stash[_ITEMS_BY_MODULE].get(request.node, [])


@pytest.fixture(scope="session")
def cast():
    """How to make the office and its people; an app's conftest may override it."""
    return Cast()


@pytest.fixture(scope="module", autouse=True)
def module_cast(request, cast):
    """The cast of the module, made once before its first test when any of its tests asks for
    one of them (so every test of the module sees the same rows, in whatever order and on
    whichever worker it runs), inside a transaction rolled back after its last test.

    None, and every test makes its own, when the module has a transactional test (or asks
    for none of them).

    A test must leave the connection open: `response.close()` called by the test itself sends
    `request_finished`, whose receiver closes a connection found in a transaction (the test
    client closes a response it returned without that receiver, once its content is read).
    """
    items = _items_of_module(request)
    names = set().union(*(set(getattr(i, "fixturenames", ())) for i in items))
    wanted = bool(CAST_FIXTURES & names)
    if not (wanted or ROLE_USERS in names) or any(_is_transactional(i) for i in items):
        yield None
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    atomic = transaction.atomic()
    with blocker.unblock():
        atomic.__enter__()
        try:
            made = cast.make() if wanted else SimpleNamespace()
            if ROLE_USERS in names:
                made.role_users = make_role_users()
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    try:
        yield made
    finally:
        with blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def _copies():
    """One test's copies of the module's cast: deep copies through one memo, so that
    `people.staff.section is sections.kumin` as when they were made."""
    memo = {}
    return lambda obj: copy.deepcopy(obj, memo)


@pytest.fixture
def office(db, module_cast, cast, _copies):
    return _copies(module_cast.office) if module_cast else cast.office()


@pytest.fixture
def sections(office, module_cast, cast, _copies):
    return _copies(module_cast.sections) if module_cast else cast.sections(office)


@pytest.fixture
def people(sections, module_cast, cast, _copies):
    return _copies(module_cast.people) if module_cast else cast.people(sections)


@pytest.fixture
def stranger(db, module_cast, cast, _copies):
    """A subcommittee member of another ward office."""
    return _copies(module_cast.stranger) if module_cast else cast.stranger()


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT in a temporary folder (uploads, rendered PDFs)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
