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

from django.conf import settings

from takatsu_portal.core import generations, usercache

GENERATION_KEY = "auth:generation"


def _key(kind, user):
    return f"auth:{kind}:{user.pk}:{int(user.is_superuser)}"


def _describe(kind):
    def describe(user):
        return (_key(kind, user), [GENERATION_KEY], (), settings.AUTH_CACHE_SECONDS)

    return describe


# Read with the user's other entries in one round trip a request (core/usercache.py).
for _kind in ("roles", "perms"):
    usercache.register(f"auth-{_kind}", _describe(_kind))


def lookup(kind, user):
    """(stamp, cached value or None) of `kind` ("roles" or "perms") for `user`: a value
    computed when it is None is kept with `put(kind, user, value, stamp)`."""
    found = usercache.lookup(user, f"auth-{kind}")
    if found is None:
        return 0, None
    stamp, value = found
    return stamp, None if value is generations.MISSING else value


def get(kind, user):
    """The cached value of `kind` ("roles" or "perms") for `user`, or None."""
    return lookup(kind, user)[1]


def put(kind, user, value, generation):
    """Keep `value`, computed after reading `generation` (so that a change made while it was
    being computed leaves it unused)."""
    usercache.store(user, f"auth-{kind}", generation, value)


def generation():
    """The stamp to `put` a value computed from now on with."""
    if not settings.AUTH_CACHE_SECONDS:
        return 0
    return generations.stamp_of([GENERATION_KEY])


def changed(action=None, **kwargs):
    """Roles or permissions changed somewhere: every entry is computed again. Of the pairs of
    `m2m_changed` actions (pre_/post_add, _remove, _clear) only the post_ one counts: the rows
    have changed then, and one change makes one new generation (written again at the commit)."""
    if action is not None and not action.startswith("post_"):
        return
    generations.bump([GENERATION_KEY])


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
