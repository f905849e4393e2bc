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
