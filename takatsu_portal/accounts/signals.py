"""Audit of sign-ins: every login, logout and failed login becomes an AuditEvent."""

from axes.signals import user_locked_out
from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import update_last_login
from django.dispatch import receiver
from django.utils import timezone

from takatsu_portal.core.audit import record_event


def _touch_last_login(sender, user, **kwargs):
    """Set last_login with an UPDATE, so that a login is not a change of the user's record in
    its history (Django's own receiver saves the whole user)."""
    type(user).objects.filter(pk=user.pk).update(last_login=timezone.now())


user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
user_logged_in.connect(_touch_last_login, dispatch_uid="portal_touch_last_login")


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender, request, user, **kwargs):
    record_event("login", request=request, user=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record_event("logout", request=request, user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    record_event(
        "login_failed", request=request, username=str(credentials.get("username", ""))[:150]
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    record_event("locked_out", request=request, username=str(username or "")[:150])
