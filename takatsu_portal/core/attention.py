"""'What needs my attention' on the home page.

Each app registers a provider: a function of the user that returns a list of AttentionItem
(and runs a fixed, small number of queries). The home page shows them all, most urgent first.

The home page reads them through `cached_items_for`: the list (and the unread-notification
count of the header, which every page shows: `cached(user, "unread", ...)`) is kept in the
cache (Redis in production) per user and day, stamped with three generations: everyone's (a
change that concerns every office), the user's office's (a change of that office's rows) and
the user's own (their notifications, read marks, confirmations). A service that changes what a
provider counts calls `changed()` (everyone), `changed(office=...)` (that office only) or
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
# Moved by a change of one office's rows: that office's pages, and the pages of every office
# (the city's comparisons, an administrator without an office), which read the second key.
OFFICE_GENERATION_KEY = "attention:generation:office:{}"
ANY_OFFICE_GENERATION_KEY = "attention:generation:any-office"


def scope_generation_keys(scope):
    """The generations that content scoped to `scope` (an accounts.scope.OfficeScope; None:
    content of every office) is stamped with: everyone's (a cross-office change), and the
    office's own, or the one every office's change moves."""
    keys = [GENERATION_KEY]
    if scope is None or scope.every_office:
        keys.append(ANY_OFFICE_GENERATION_KEY)
    elif scope.office is not None:
        keys.append(OFFICE_GENERATION_KEY.format(scope.office.pk))
    return keys


def cached(user, name, compute, *, everyone=True):
    """`compute()` for `user`, kept in the cache under `name` until a generation (everyone's
    and the user's office's, unless `everyone` is false, and the user's own) moves or the day
    changes: one round trip to the cache when it is there (core/generations.py)."""
    from takatsu_portal.accounts.scope import office_scope_of

    from .fiscal import today

    if not user.is_authenticated:
        return compute()
    keys = scope_generation_keys(office_scope_of(user)) if everyone else []
    keys.append(USER_GENERATION_KEY.format(user.pk))
    return generations.cached(
        f"attention:{name}:{user.pk}",
        keys,
        compute,
        seconds=settings.ATTENTION_CACHE_SECONDS,
        extra=(today().isoformat(),),
    )


def cached_items_for(user, *, also=None):
    """`items_for(user)` from the cache when nothing it counts has changed since it was
    computed today; also sets the header's unread-notification count on the user. `also`:
    a function of nothing whose value (what else the home page shows of the user's office,
    changed only where the generations move) is kept with the list; then (items, value)."""

    def compute():
        items = items_for(user)
        value = also() if also is not None else None
        return items, getattr(user, "_unread_notification_count", None), value

    items, unread, value = cached(user, "items" if also is None else "items+", compute)
    if unread is not None:
        user._unread_notification_count = unread
    return items if also is None else (items, value)


def changed(*, users=None, office=None):
    """Something a provider (or a shared page) counts has changed: these users' lists
    (`users`), the cached content of one office (`office`, an Office or its pk: that office's
    pages and the pages of every office, never another office's), or else everyone's. The
    generation moves now and once more when the current transaction commits
    (`generations.bump`: one on_commit hook per transaction)."""
    if users is not None:
        keys = [USER_GENERATION_KEY.format(getattr(u, "pk", u)) for u in users]
    elif office is not None:
        keys = [OFFICE_GENERATION_KEY.format(getattr(office, "pk", office))]
        keys.append(ANY_OFFICE_GENERATION_KEY)
    else:
        keys = [GENERATION_KEY]
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
