"""System checks of the portal's own settings (`manage.py check --deploy`)."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


def is_loopback_url(url):
    """True when `url` points at this machine only (localhost, 127.0.0.0/8, ::1): an address
    that no resident's phone can reach."""
    host = (urlsplit(url).hostname or "").lower()
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def public_address_is_loopback():
    """The address printed on QR posters (PORTAL_PUBLIC_BASE_URL) is a loopback address."""
    return is_loopback_url(settings.PORTAL_PUBLIC_BASE_URL)


@checks.register(checks.Tags.security, deploy=True)
def check_public_address(app_configs, **kwargs):
    if not public_address_is_loopback():
        return []
    return [
        checks.Warning(
            f"PORTAL_PUBLIC_BASE_URL is {settings.PORTAL_PUBLIC_BASE_URL!r}, a loopback address: "
            "the QR posters of the surveys would send residents to their own phone.",
            hint="Set PORTAL_PUBLIC_BASE_URL to the address residents reach the survey form at "
            "(e.g. https://enquete.takatsu.example.jp).",
            id="portal.W001",
        )
    ]
