"""Writing to the audit log: one function, used by signals, views and services."""

import logging

from .client import client_address

logger = logging.getLogger("takatsu_portal.audit")


def record_event(action, *, request=None, user=None, username="", **detail):
    from .models import AuditEvent

    request_user = getattr(request, "user", None)
    if user is None and request_user is not None and request_user.is_authenticated:
        user = request_user
    if user is not None and not username:
        username = user.get_username()
    event = AuditEvent.objects.create(
        action=action,
        user=user,
        username=username,
        path=(request.get_full_path()[:500] if request is not None else ""),
        address=client_address(request),
        detail=detail,
    )
    logger.info(
        "audit action=%s user=%s path=%s address=%s detail=%s",
        action,
        username,
        event.path,
        event.address,
        detail,
    )
    return event
