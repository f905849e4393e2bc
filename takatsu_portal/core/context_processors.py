from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from takatsu_portal.accounts.middleware import TOUCH_EVERY_SECONDS
from takatsu_portal.accounts.roles import roles_of

from . import attention
from .fiscal import FiscalYear


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    perm: str

    @property
    def url(self):
        return reverse(self.url_name)


NAVIGATION = [
    NavItem("plans", "計画", "plans:index", "portal.view_plans"),
    NavItem("progress", "進捗", "plans:progress", "portal.view_progress"),
    NavItem("feedback", "区民の声・アンケート", "feedback:index", "portal.view_feedback"),
    NavItem("inspections", "バリアフリー点検", "inspections:index", "portal.view_inspections"),
    NavItem("bulletins", "情報紙", "bulletins:index", "portal.view_bulletins"),
    NavItem("training", "研修", "training:index", "portal.view_training"),
    NavItem("reports", "報告書", "reports:index", "portal.view_reports"),
    NavItem("compare", "区役所比較", "compare:index", "compare.view"),
    NavItem("plain_language", "やさしい言葉", "plain_language:index", "plain_language.check"),
]


def _active_key(request):
    """The navigation item whose URL name is the longest prefix of the current view's."""
    match = request.resolver_match
    if match is None:
        return ""
    best = ""
    for item in NAVIGATION:
        prefix = item.url_name.removesuffix(":index")
        if match.view_name.startswith(prefix) and len(prefix) > len(best):
            best, key = prefix, item.key
    return key if best else ""


def portal_name_for(user):
    """The portal's name in the header and the page titles: the user's office's own
    (Office.portal_name), else PORTAL_NAME (signed out, or an account of no office)."""
    office = getattr(user, "office", None) if getattr(user, "is_authenticated", False) else None
    return office.portal_title if office is not None else settings.PORTAL_NAME


def portal(request):
    user = getattr(request, "user", None)
    context = {
        # The portal's name for the user's office (Office.portal_name), else PORTAL_NAME.
        "portal_name": portal_name_for(user),
        "current_fiscal_year": FiscalYear.current(),
        # The server refreshes a session at most every TOUCH_EVERY_SECONDS, so the page counts
        # from that much earlier to never promise more time than the server will give.
        "session_idle_seconds": settings.SESSION_IDLE_MINUTES * 60 - TOUCH_EVERY_SECONDS,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
    if user is not None and user.is_authenticated:
        context["nav_items"] = [item for item in NAVIGATION if user.has_perm(item.perm)]
        context["user_role_labels"] = sorted(r.label for r in roles_of(user)) or (
            ["システム管理者"] if user.is_superuser else []
        )
        context["nav_active"] = _active_key(request)
        context["unread_notification_count"] = unread_count(user)
    return context


def unread_count(user):
    """The user's unread notifications: counted once a request (the home page's attention item
    has counted them already), kept in the cache until a notification comes or is read."""
    count = getattr(user, "_unread_notification_count", None)
    if count is None:
        count = user._unread_notification_count = attention.cached(
            # Only `notify` and marking read change it: both move the user's own generation.
            user,
            "unread",
            lambda: user.notifications.unread().count(),
            everyone=False,
        )
    return count
