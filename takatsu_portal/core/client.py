"""The address of the client behind a request, for rate limits and the audit log.

Served directly, the client is the peer (REMOTE_ADDR) and an X-Forwarded-For header is
whatever the client chose to write: ignored. Behind reverse proxies (`BEHIND_PROXY`), the
peer is the nearest proxy, and each of the `TRUSTED_PROXY_COUNT` proxies appended to
X-Forwarded-For the address it received the request from; the client's address is therefore
the TRUSTED_PROXY_COUNT-th entry from the right. Entries further left were written by the
client and are never trusted. A header too short or not an address means the proxies are not
set up as configured: the peer's address is used, which is wrong in the safe direction (one
shared limit), never a forged one.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address as a string (None without a request or an address)."""
    if request is None:
        return None
    peer = request.META.get("REMOTE_ADDR") or None
    if not settings.BEHIND_PROXY:
        return peer
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    count = settings.TRUSTED_PROXY_COUNT
    if len(hops) < count:
        return peer
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return peer
