from types import SimpleNamespace

import pytest

from takatsu_portal.accounts.roles import Role

from .factories import (
    PASSWORD,
    DepartmentFactory,
    OfficeFactory,
    SectionFactory,
    UserFactory,
)


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


@pytest.fixture
def role_users(db, section):
    """One user per role, all in the same section, keyed by Role."""
    return {role: UserFactory(username=role.value, roles=[role], section=section) for role in Role}


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
    idempotently, for a test that needs it.
    """
    from importlib import import_module

    from django.apps import apps

    import_module("takatsu_portal.core.migrations.0002_guideline_master_data").load(apps, None)


# ---------------------------------------------------------------------------------------------
# Named users of one ward office, one per role, and a stranger of another office, shared by the
# tests of every app (Alice-and-Charlie style: `stranger` must see none of the office's records).


@pytest.fixture
def office(db):
    return OfficeFactory()


@pytest.fixture
def sections(office):
    department = DepartmentFactory(office=office, name="区民サービス部")
    return SimpleNamespace(
        kumin=SectionFactory(department=department, name="区民課"),
        hoken=SectionFactory(department=department, name="保険年金課"),
    )


@pytest.fixture
def people(sections):
    def user(username, *roles, section=sections.kumin):
        return UserFactory(username=username, roles=list(roles), section=section)

    return SimpleNamespace(
        staff=user("staff", Role.STAFF),
        lead=user("wglead", Role.STAFF, Role.WG_LEAD),
        other_lead=user("wglead2", Role.STAFF, Role.WG_LEAD, section=sections.hoken),
        subcommittee=user("subcommittee", Role.STAFF, Role.SUBCOMMITTEE),
        council=user("council", Role.COUNCIL),
        manager=user("manager", Role.SECTION_MANAGER),
        other_manager=user("manager2", Role.SECTION_MANAGER, section=sections.hoken),
        admin=user("admin", Role.ADMINISTRATOR),
    )


@pytest.fixture
def stranger(db):
    """A subcommittee member of another ward office."""
    other_office = OfficeFactory(code="miyamae", name="宮前区役所")
    section = SectionFactory(department=DepartmentFactory(office=other_office))
    return UserFactory(username="miyamae", roles=[Role.SUBCOMMITTEE, Role.COUNCIL], section=section)


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT in a temporary folder (uploads, rendered PDFs)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
