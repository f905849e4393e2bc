import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from takatsu_portal.core.audit import record_event

TOUCH_EVERY_SECONDS = 60


class SessionTimeoutMiddleware:
    """Idle and absolute session lifetime.

    Idle: the session cookie and row expire SESSION_IDLE_MINUTES after the last save; we save
    the session at most once a minute on activity, so a busy user is never signed out and an
    idle one is within a minute. Absolute: SESSION_MAX_HOURS after sign-in the user signs in
    again whatever they were doing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = time.time()
            started = session.get("portal_started")
            if started is None:
                session["portal_started"] = now
            elif now - started > settings.SESSION_MAX_HOURS * 3600:
                record_event("session_expired", request=request, reason="max_age")
                logout(request)
                messages.info(
                    request, "安全のため、一定時間が経過したので再度ログインしてください。"
                )
                return redirect(
                    f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
                )
            if now - session.get("portal_touched", 0) > TOUCH_EVERY_SECONDS:
                session["portal_touched"] = now
        return self.get_response(request)


class CityReadOnlyMiddleware:
    """The city planning bureau reads every ward and writes none of their records: any request
    that may change something (POST, PUT, PATCH, DELETE) from a city reader
    (`permissions.is_city_reader`) is refused with 403 and a Japanese reason before its view
    runs, whatever the view's own rules say, except the views marked
    `permissions.writes_nothing_of_a_ward` (signing out, the password, the session's
    keep-alive, marking one's own notifications read, one's own calendar feed address, the
    plain-language check, and the reports page, which lets the city ask only for the kinds its
    role may request: the city-wide comparison). Each app marks its own views."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.core.exceptions import PermissionDenied

        from .permissions import CITY_READ_ONLY, is_city_reader

        if request.method in self.SAFE_METHODS:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not is_city_reader(user):
            return None
        if getattr(view_func, "writes_nothing_of_a_ward", False):
            return None
        raise PermissionDenied(CITY_READ_ONLY)
