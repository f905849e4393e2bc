import pytest

from takatsu_portal.accounts.roles import Role

from .factories import PASSWORD, SectionFactory, UserFactory


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
