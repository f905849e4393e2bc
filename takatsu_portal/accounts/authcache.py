"""Each user's roles and model permissions, kept in the cache (Redis in production) between
requests, so that a page does not ask the database for them again every time (three queries
on every page: the groups, the user's and the groups' permissions).

An entry is stored with the generation it was computed under; any change to who holds which
group or which permissions a group or a user has (a role given or taken, `sync_roles` after a
migrate, the admin site) writes a new generation (signals below: the one place every such
change passes, the admin's included), so the next request computes the entry again. The
generation is written at the change and once more at the commit, as for the attention list.
AUTH_CACHE_SECONDS (default 300) bounds an entry's life; 0 switches the cache off.
"""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "auth:generation"


def _key(kind, user):
    return f"auth:{kind}:{user.pk}:{int(user.is_superuser)}"


def get(kind, user):
    """The cached value of `kind` ("roles" or "perms") for `user`, or None."""
    if not settings.AUTH_CACHE_SECONDS:
        return None
    key = _key(kind, user)
    found = cache.get_many([GENERATION_KEY, key])
    entry = found.get(key)
    if entry is None or entry[0] != found.get(GENERATION_KEY, 0):
        return None
    return entry[1]


def put(kind, user, value, generation):
    """Keep `value`, computed after reading `generation` (so that a change made while it was
    being computed leaves it unused)."""
    if settings.AUTH_CACHE_SECONDS:
        cache.set(_key(kind, user), (generation, value), settings.AUTH_CACHE_SECONDS)


def generation():
    if not settings.AUTH_CACHE_SECONDS:
        return 0
    return cache.get(GENERATION_KEY, 0)


def _bump():
    # Random, not the clock: a clock can stand still (a frozen test clock) or go back, and two
    # changes must never write the same generation.
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def changed(action=None, **kwargs):
    """Roles or permissions changed somewhere: every entry is computed again. Of the pairs of
    `m2m_changed` actions (pre_/post_add, _remove, _clear) only the post_ one counts: the rows
    have changed then, and one change makes one new generation."""
    if action is not None and not action.startswith("post_"):
        return
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


def connect_signals():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    User = get_user_model()
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(changed, sender=through, dispatch_uid=f"authcache.{through.__name__}")
    for model in (Group, Permission):
        post_save.connect(changed, sender=model, dispatch_uid=f"authcache.save.{model.__name__}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"authcache.del.{model.__name__}")
