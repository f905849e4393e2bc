"""System checks of the portal's own settings (`manage.py check --deploy`)."""

import ipaddress
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import DatabaseError


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


def public_address_is_loopback(office=None):
    """The address printed on QR posters is a loopback address: `office`'s (its own public
    address, else the settings' one: Office.public_address), or PORTAL_PUBLIC_BASE_URL."""
    if office is not None:
        return is_loopback_url(office.public_address)
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


@checks.register(checks.Tags.security, deploy=True)
def check_office_public_addresses(app_configs, **kwargs):
    """An office's own public address (Office.public_base_url, set in the admin) that is a
    loopback address: that ward's QR posters would send residents to their own phone. An
    office without one uses PORTAL_PUBLIC_BASE_URL, which the check above reads."""
    Office = apps.get_model("accounts", "Office")
    try:
        offices = list(
            Office.objects.exclude(public_base_url="").values_list("name", "public_base_url")
        )
    except DatabaseError:  # no database yet (a first deployment): nothing to read
        return []
    return [
        checks.Warning(
            f"The public address of {name} is {address!r}, a loopback address: its survey "
            "QR posters would send residents to their own phone.",
            hint="Set the office's public address (区民が開くアドレス) in the admin to the "
            "address residents reach the survey form at, or leave it empty to use "
            "PORTAL_PUBLIC_BASE_URL.",
            id="portal.W002",
        )
        for name, address in offices
        if is_loopback_url(address)
    ]
