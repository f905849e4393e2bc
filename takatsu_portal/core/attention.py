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
the user's own action never finds the list computed before it (core/generations.py).
ATTENTION_CACHE_SECONDS
(default 600) bounds what a change made outside the services (a database shell) can leave
stale; 0 switches the cache off.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from . import generations

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
    unless `everyone` is false, and the user's) moves or the day changes: one round trip to
    the cache when it is there (core/generations.py)."""
    from .fiscal import today

    if not user.is_authenticated:
        return compute()
    keys = [GENERATION_KEY] if everyone else []
    keys.append(USER_GENERATION_KEY.format(user.pk))
    return generations.cached(
        f"attention:{name}:{user.pk}",
        keys,
        compute,
        seconds=settings.ATTENTION_CACHE_SECONDS,
        extra=(today().isoformat(),),
    )


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


def changed(*, users=None):
    """Something a provider counts has changed: everyone's cached list (no `users`) or these
    users' lists are computed again. The generation moves now and once more when the current
    transaction commits (`generations.bump`: one on_commit hook per transaction)."""
    if users is None:
        keys = [GENERATION_KEY]
    else:
        keys = [USER_GENERATION_KEY.format(getattr(u, "pk", u)) for u in users]
    generations.bump(keys)


# The hook that writes a transaction's generations again at its commit (tests look for it).
_CommitBump = generations.CommitBump


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
