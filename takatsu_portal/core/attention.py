"""'What needs my attention' on the home page.

Each app registers a provider: a function of the user that returns a list of AttentionItem
(and runs a fixed, small number of queries). The home page shows them all, most urgent first.

The home page reads them through `cached_items_for`: the list (and the unread-notification
count of the header) is kept in the cache (Redis in production) per user and day, under a key
that also holds two generations, the office's (any change that a provider counts) and the
user's own (their notifications, read marks, confirmations). A service that changes what a
provider counts calls `changed()` (everyone) or `changed(users=[...])` (those users only);
`save_versioned` and `notify` do it for every service that saves through them. The new
generation is written when the transaction commits, so a page loaded after the user's own
action never finds the list computed before it. ATTENTION_CACHE_SECONDS (default 600) bounds
what a change made outside the services (a database shell) can leave stale; 0 switches the
cache off.
"""

import time
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


def _cache_key(user):
    from .fiscal import today

    keys = [GENERATION_KEY, USER_GENERATION_KEY.format(user.pk)]
    generations = cache.get_many(keys)
    day = today().isoformat()
    everyone, own = (generations.get(key, 0) for key in keys)
    return f"attention:items:{user.pk}:{day}:{everyone}:{own}"


def cached_items_for(user):
    """`items_for(user)` from the cache when nothing it counts has changed since it was
    computed today; also sets the header's unread-notification count on the user."""
    seconds = settings.ATTENTION_CACHE_SECONDS
    if not seconds or not user.is_authenticated:
        return items_for(user)
    key = _cache_key(user)
    cached = cache.get(key)
    if cached is not None:
        items, unread = cached
        if unread is not None:
            user._unread_notification_count = unread
        return items
    items = items_for(user)
    cache.set(key, (items, getattr(user, "_unread_notification_count", None)), seconds)
    return items


def _bump(keys):
    # A new value rather than an increment: a generation missing from the cache (evicted, or
    # never written) must still differ from every value a cached list was keyed on.
    value = time.time_ns()
    cache.set_many(dict.fromkeys(keys, value), None)


def changed(*, users=None):
    """Something a provider counts has changed: everyone's cached list (no `users`) or these
    users' lists are computed again. The generation moves now and once more when the current
    transaction commits: a list another request computes from the old rows in between is
    keyed on the first value and never read after the commit."""
    if users is None:
        keys = [GENERATION_KEY]
    else:
        keys = [USER_GENERATION_KEY.format(getattr(u, "pk", u)) for u in users]
        if not keys:
            return
    _bump(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(keys))


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
