from django.conf import settings
from django.utils.functional import SimpleLazyObject

from takatsu_portal.accounts.middleware import TOUCH_EVERY_SECONDS

from . import frame
from .fiscal import FiscalYear

# The names other modules import from here.
NavItem = frame.NavItem
NAVIGATION = frame.NAVIGATION
portal_name_for = frame.portal_name_for
unread_count = frame.unread_count


def portal(request):
    """The layout's context (base.html; its header comes from `{% portal_header %}`, kept per
    user and filled per request: core/frame.py). What templates read of the user besides
    (the role labels on the home and account pages, the unread count) is computed only when
    read: a fragment rendered with the request (htmx) costs none of it."""
    user = getattr(request, "user", None)
    context = {
        # The portal's name for the user's office (Office.portal_name), else PORTAL_NAME.
        "portal_name": portal_name_for(user),
        "guideline_name": frame.guideline_name_for(user),
        "current_fiscal_year": FiscalYear.current(),
        # The server refreshes a session at most every TOUCH_EVERY_SECONDS, so the page counts
        # from that much earlier to never promise more time than the server will give.
        "session_idle_seconds": settings.SESSION_IDLE_MINUTES * 60 - TOUCH_EVERY_SECONDS,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
    if user is not None and user.is_authenticated:
        context["nav_items"] = SimpleLazyObject(lambda: frame.nav_items_for(user))
        context["user_role_labels"] = SimpleLazyObject(lambda: frame.role_labels_for(user))
        context["nav_active"] = SimpleLazyObject(lambda: frame.active_key(request))
        context["unread_notification_count"] = SimpleLazyObject(lambda: unread_count(user))
    return context
