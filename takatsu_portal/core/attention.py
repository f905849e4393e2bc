"""'What needs my attention' on the home page.

Each app registers a provider: a function of the user that returns a list of AttentionItem
(and runs a fixed, small number of queries). The home page shows them all, most urgent first.

The home page reads them through `cached_items_for`: the list (and the unread-notification
count of the header, which every page shows: `cached(user, "unread", ...)`) is kept in the
cache (Redis in production) per user and day, stamped with two generations: everyone's (any
change that a provider counts) and the user's own (their notifications, read marks,
confirmations). A service that changes what a provider counts calls `changed()` (everyone) or
`changed(users=[...])` (those users only); `save_versioned` and `notify` do it for every
service that saves through them, and the admin site's log for changes made there. The new
generation is written at once and again when the transaction commits, so a page loaded after
the user's own action never finds the list computed before it. ATTENTION_CACHE_SECONDS
(default 600) bounds what a change made outside the services (a database shell) can leave
stale; 0 switches the cache off.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

LEVEL_ORDER = {"danger": 0, "warning": 1, "info": 2}
LEVEL_LABEL = {"danger": "期限超過", "warning": "要対応", "info": "お知らせ"}
_providers = []


@dataclass(frozen=True)
class AttentionItem:
    title: str
    url: str
    detail: str = ""
    level: str = "info"
    area: str = ""

    @property
    def level_label(self):
        return LEVEL_LABEL[self.level]


def register(provider):
    if provider not in _providers:
        _providers.append(provider)
    return provider


def items_for(user):
    """Every provider's items for `user`, most urgent first (computed now, never cached)."""
    items = []
    for provider in _providers:
        items.extend(provider(user))
    return sorted(items, key=lambda item: LEVEL_ORDER[item.level])


# ---------------------------------------------------------------------------------------------
# The cache of the home page's list

GENERATION_KEY = "attention:generation"
USER_GENERATION_KEY = "attention:generation:user:{}"


def cached(user, name, compute, *, everyone=True):
    """`compute()` for `user`, kept in the cache under `name` until a generation (everyone's,
    unless `everyone` is false, or the user's) moves or the day changes: one round trip to the
    cache when it is there."""
    from .fiscal import today

    seconds = settings.ATTENTION_CACHE_SECONDS
    if not seconds or not user.is_authenticated:
        return compute()
    key = f"attention:{name}:{user.pk}"
    keys = [GENERATION_KEY, USER_GENERATION_KEY.format(user.pk), key]
    found = cache.get_many(keys)
    stamp = (today().isoformat(), found.get(keys[0], 0) if everyone else 0, found.get(keys[1], 0))
    entry = found.get(key)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    value = compute()
    cache.set(key, (stamp, value), seconds)
    return value


def cached_items_for(user):
    """`items_for(user)` from the cache when nothing it counts has changed since it was
    computed today; also sets the header's unread-notification count on the user."""

    def compute():
        items = items_for(user)
        return items, getattr(user, "_unread_notification_count", None)

    items, unread = cached(user, "items", compute)
    if unread is not None:
        user._unread_notification_count = unread
    return items


def _bump(keys):
    # A new value rather than an increment: a generation missing from the cache (evicted, or
    # never written) must still differ from every value a cached list was keyed on. Random,
    # not the clock: a clock can stand still (a frozen test clock) or go back.
    value = secrets.token_hex(8)
    cache.set_many(dict.fromkeys(keys, value), None)


def changed(*, users=None):
    """Something a provider counts has changed: everyone's cached list (no `users`) or these
    users' lists are computed again. The generation moves now and once more when the current
    transaction commits: a list another request computes from the old rows in between is
    keyed on the first value and never read after the commit; the keys of every call in a
    transaction are written by one on_commit hook."""
    if users is None:
        keys = [GENERATION_KEY]
    else:
        keys = [USER_GENERATION_KEY.format(getattr(u, "pk", u)) for u in users]
        if not keys:
            return
    _bump(keys)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        _pending_hook(connection).keys.update(keys)


class _CommitBump:
    """The one on_commit hook of a transaction: the keys of every `changed()` in it, written
    once more when it commits (one cache round trip, however many saves the transaction made)."""

    def __init__(self, connection):
        self.connection = connection
        self.keys = set()
        self.index = len(connection.run_on_commit)

    def __call__(self):
        if getattr(self.connection, "_attention_commit_bump", None) is self:
            self.connection._attention_commit_bump = None
        _bump(self.keys)

    def registered(self):
        hooks = self.connection.run_on_commit
        if self.index < len(hooks) and hooks[self.index][1] is self:
            return True
        # Moved (a savepoint rolled back before it) or gone (rolled back with its savepoint).
        return any(hook is self for _, hook, _ in hooks)


def _pending_hook(connection):
    """This transaction's _CommitBump, registered at its first use (and again should a
    savepoint's rollback have dropped it)."""
    hook = getattr(connection, "_attention_commit_bump", None)
    if hook is None or not hook.registered():
        hook = _CommitBump(connection)
        connection._attention_commit_bump = hook
        transaction.on_commit(hook)
    return hook


@register
def staff_without_section(user):
    """Administrators: staff accounts that belong to no section cannot be given section work."""
    if not user.has_perm("portal.admin_site"):
        return []
    from django.contrib.auth import get_user_model

    count = get_user_model().objects.filter(is_active=True, section__isnull=True).count()
    if not count:
        return []
    return [
        AttentionItem(
            title=f"所属課が未設定の職員が{count}名います",
            url=reverse("admin:accounts_user_changelist") + "?section__isempty=1",
            detail="所属課を設定すると、課ごとの集計や権限が正しく働きます。",
            level="warning",
            area="管理",
        )
    ]
