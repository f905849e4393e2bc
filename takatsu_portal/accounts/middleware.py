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
