"""The frame of every portal page (templates/base.html): the header with the navigation, the
user's name and roles, the notifications link and the sign-out button.

Rendering the header is most of what the layout costs (a permission test and a URL per
navigation item, the role labels), yet for one user it is the same on every page until their
roles change. So it is rendered once per user and kept in the cache (core/usercache.py: read
in the same round trip as the user's roles, permissions and unread count), stamped with the
auth generation (accounts/authcache.py: any change of roles or permissions) and with what
else it shows (the name, the office's portal name). What differs from page to page is filled
in per request into markers the kept HTML holds: the active navigation item, the unread
badge and the CSRF token of the sign-out form (never shared between requests: each request
fills in its own). The navigation's permissions must therefore depend on roles only.
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from takatsu_portal.accounts.roles import roles_of

from . import attention, generations, usercache

HEADER_TEMPLATE = "includes/_portal_header.html"
GUIDELINE_TITLE = "サービス向上指針"


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    perm: str

    @property
    def url(self):
        return url(self.url_name)


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
HOME_KEY = "home"

# ---------------------------------------------------------------------------------------------
# What a page shows of its user


_urls = {}


def url(name):
    """reverse(name) of a URL without arguments, once per process (and URLconf and prefix)."""
    key = (name, get_urlconf(), get_script_prefix())
    found = _urls.get(key)
    if found is None:
        found = _urls[key] = reverse(name)
    return found


def active_key(request):
    """The navigation item of the current page: 「ホーム」 on the home page, else the item
    whose URL name is the longest prefix of the current view's."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.url_name == HOME_KEY:
        return HOME_KEY
    best, key = "", ""
    for item in NAVIGATION:
        prefix = item.url_name.removesuffix(":index")
        if match.view_name.startswith(prefix) and len(prefix) > len(best):
            best, key = prefix, item.key
    return key


def office_of(user):
    return getattr(user, "office", None) if getattr(user, "is_authenticated", False) else None


def portal_name_for(user):
    """The portal's name in the header and the page titles: the user's office's own
    (Office.portal_name), else PORTAL_NAME (signed out, or an account of no office)."""
    office = office_of(user)
    return office.portal_title if office is not None else settings.PORTAL_NAME


def guideline_name_for(user):
    """The name of the guideline the footer links to: the user's office's
    (宮前区役所サービス向上指針), else the one PORTAL_NAME names (signed out, or an account of
    no office): PORTAL_NAME without its closing 「サービスポータル」 or 「ポータル」."""
    office = office_of(user)
    if office is not None:
        return office.name + GUIDELINE_TITLE
    name = settings.PORTAL_NAME
    for suffix in ("サービスポータル", "ポータル"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name.removesuffix(suffix) + GUIDELINE_TITLE
    return GUIDELINE_TITLE


def nav_items_for(user):
    return [item for item in NAVIGATION if user.has_perm(item.perm)]


def role_labels_for(user):
    return sorted(r.label for r in roles_of(user)) or (
        ["システム管理者"] if user.is_superuser else []
    )


def _unread_entry(user):
    # Only `notify` and marking read change the count: both move the user's own generation.
    from .fiscal import today

    return (
        f"attention:unread:{user.pk}",
        [attention.USER_GENERATION_KEY.format(user.pk)],
        (today().isoformat(),),
        settings.ATTENTION_CACHE_SECONDS,
    )


usercache.register("unread", _unread_entry)


def unread_count(user):
    """The user's unread notifications: counted once a request (the home page's attention item
    has counted them already), kept in the cache until a notification comes or is read."""
    count = getattr(user, "_unread_notification_count", None)
    if count is None:
        count = user._unread_notification_count = usercache.cached(
            user, "unread", lambda: user.notifications.unread().count()
        )
    return count


# ---------------------------------------------------------------------------------------------
# The header


# Markers in the kept HTML, filled per request: \0a:KEY\0 (the class of item KEY),
# \0c:KEY\0 (its aria-current), \0unread\0 (the badge), \0csrf\0 (the token). A NUL never
# comes from the data (Django's form fields refuse it).
_MARKER = re.compile("\x00([^\x00]*)\x00")
_template_version = None


def _version():
    """The header template's digest: a kept header from other markup is not used."""
    global _template_version
    if _template_version is None or settings.DEBUG:
        source = get_template(HEADER_TEMPLATE).template.source
        _template_version = hashlib.sha256(source.encode()).hexdigest()[:12]
    return _template_version


def _header_entry(user):
    # Only what costs nothing to read: every request describes every entry of its user (the
    # name and the portal's name, which needs the office, are checked when the header is
    # used, `_shows`).
    from takatsu_portal.accounts import authcache

    return (
        f"frame:header:{user.pk}:{int(user.is_superuser)}",
        [authcache.GENERATION_KEY],
        (_version(), get_script_prefix(), get_urlconf() or ""),
        settings.AUTH_CACHE_SECONDS,
    )


def _shows(user):
    """What a kept header shows of the user besides their roles: a header kept with other
    values (a new name, a new portal name of the office) is rendered again."""
    return (user.get_full_name(), portal_name_for(user))


usercache.register("header", _header_entry)


class _Item:
    def __init__(self, key, label, href):
        self.key, self.label, self.url = key, label, href
        self.active = f"\x00a:{key}\x00"
        self.current = f"\x00c:{key}\x00"


def _render_header(user):
    """The header of a signed-in `user` with its markers (no request: nothing of one page)."""
    items = [_Item(HOME_KEY, "ホーム", url("home"))]
    items += [_Item(item.key, item.label, item.url) for item in nav_items_for(user)]
    if user.has_perm("portal.admin_site"):
        items.append(_Item("admin", "管理", url("admin:index")))
    return get_template(HEADER_TEMPLATE).render(
        {
            "signed_in": True,
            "portal_name": portal_name_for(user),
            "home_url": url("home"),
            "nav": items,
            "notifications_url": url("notification_list"),
            "unread_badge": "\x00unread\x00",
            "profile_url": url("profile"),
            "full_name": user.get_full_name(),
            "role_labels": role_labels_for(user),
            "logout_url": url("logout"),
            "csrf_token": "\x00csrf\x00",
        }
    )


def header(request, *, csrf_token=None):
    """The page's header for `request.user`: kept per user, filled for this request (with
    `csrf_token`, the page's own, else a new one)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return get_template(HEADER_TEMPLATE).render(
            {"portal_name": portal_name_for(user), "home_url": url("home")}
        )
    shows = _shows(user)
    looked_up = usercache.lookup(user, "header")
    if looked_up is None:
        html = _render_header(user)
    elif looked_up[1] is generations.MISSING or looked_up[1][0] != shows:
        html = _render_header(user)
        usercache.store(user, "header", looked_up[0], (shows, html))
    else:
        html = looked_up[1][1]
    active = active_key(request)
    token = str(csrf_token) if csrf_token else get_token(request)

    def fill(match):
        marker = match.group(1)
        if marker == "csrf":
            return token
        if marker == "unread":
            count = unread_count(user)
            return (
                format_html('<span class="badge text-bg-warning ms-1">未読{}件</span>', count)
                if count
                else ""
            )
        kind, _, key = marker.partition(":")
        if key != active:
            return ""
        return " active" if kind == "a" else ' aria-current="page"'

    return mark_safe(_MARKER.sub(fill, html))  # noqa: S308  (the template escaped the data)
