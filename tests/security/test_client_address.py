"""The client's address behind the reverse proxy (issue 17, item 4).

Behind the proxy the README recommends, REMOTE_ADDR is the proxy's: keyed on it, the public
form's rate limit (20 answers per 10 minutes) would lock out the whole ward at once. With
BEHIND_PROXY the address comes from X-Forwarded-For, counting TRUSTED_PROXY_COUNT hops from the
right (what the trusted proxies appended, never what the client wrote); without it the header
is ignored, so nobody escapes the limit by forging it. The audit log uses the same address.
"""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from feedback.models import Response
from feedback.responses import public_views as public
from takatsu_portal.core.client import client_address
from takatsu_portal.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.feedback.conftest import survey, windows  # noqa: F401  (fixtures)
from tests.feedback.responses.test_public_form import answer, questionnaire, today  # noqa: F401

PROXY = "10.0.0.5"
ADDRESSES = ["198.51.100.7", "198.51.100.8", "203.0.113.9", "192.0.2.1", PROXY, "127.0.0.1"]


@pytest.fixture(autouse=True)
def fresh_counters():
    def clear():
        for address in ADDRESSES + [f"198.51.100.{n}" for n in range(100, 130)]:
            cache.delete(public.rate_key(address))

    clear()
    yield
    clear()


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    settings.BEHIND_PROXY = False
    assert client_address(request_from("198.51.100.7", "203.0.113.9")) == "198.51.100.7"
    assert client_address(request_from("198.51.100.7")) == "198.51.100.7"


def test_behind_one_proxy_the_address_the_proxy_appended_counts(settings):
    settings.BEHIND_PROXY, settings.TRUSTED_PROXY_COUNT = True, 1
    # The client wrote "192.0.2.1" itself; the proxy appended the address it saw.
    assert client_address(request_from(PROXY, "192.0.2.1, 203.0.113.9")) == "203.0.113.9"
    assert client_address(request_from(PROXY, "203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_second_address_from_the_right_counts(settings):
    settings.BEHIND_PROXY, settings.TRUSTED_PROXY_COUNT = True, 2
    forwarded = "192.0.2.1, 203.0.113.9, 10.0.0.4"
    assert client_address(request_from(PROXY, forwarded)) == "203.0.113.9"


def test_a_missing_short_or_garbled_header_falls_back_to_the_peer(settings):
    settings.BEHIND_PROXY, settings.TRUSTED_PROXY_COUNT = True, 2
    assert client_address(request_from(PROXY)) == PROXY
    assert client_address(request_from(PROXY, "203.0.113.9")) == PROXY
    assert client_address(request_from(PROXY, "<script>, 10.0.0.4")) == PROXY
    assert client_address(request_from(PROXY, " , ")) == PROXY


def test_ipv6_addresses_are_taken_as_they_are(settings):
    settings.BEHIND_PROXY, settings.TRUSTED_PROXY_COUNT = True, 1
    assert client_address(request_from(PROXY, "2001:db8::1")) == "2001:db8::1"


def test_the_proxy_settings_fail_loudly_on_a_bad_value(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import takatsu_portal.settings as portal_settings

    monkeypatch.setenv("BEHIND_PROXY", "true")
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "0")
    try:
        with pytest.raises(ImproperlyConfigured):
            importlib.reload(portal_settings)
    finally:
        monkeypatch.delenv("BEHIND_PROXY")
        monkeypatch.delenv("TRUSTED_PROXY_COUNT")
        importlib.reload(portal_settings)


@pytest.mark.django_db
def test_behind_the_proxy_each_resident_has_their_own_limit(questionnaire, settings, monkeypatch):  # noqa: F811
    settings.BEHIND_PROXY, settings.TRUSTED_PROXY_COUNT = True, 1
    monkeypatch.setattr(public, "RATE_LIMIT", 2)
    # Every request reaches the portal from the proxy's address.
    for n in range(100, 105):
        resident = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert answer(resident, questionnaire).status_code == 200
    assert Response.objects.count() == 5
    busy = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert [answer(busy, questionnaire).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_a_forged_header_without_a_proxy_does_not_escape_the_limit(
    questionnaire,  # noqa: F811
    settings,
    monkeypatch,
):
    settings.BEHIND_PROXY = False
    monkeypatch.setattr(public, "RATE_LIMIT", 2)
    statuses = [
        answer(
            Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"),
            questionnaire,
        ).status_code
        for n in range(100, 103)
    ]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("behind_proxy", "expected"), [(True, "203.0.113.9"), (False, "198.51.100.8")]
)
def test_the_audit_log_records_the_same_address(client, settings, behind_proxy, expected):
    settings.BEHIND_PROXY, settings.TRUSTED_PROXY_COUNT = behind_proxy, 1
    UserFactory(username="hanako")
    client.post(
        reverse("login"),
        {"username": "hanako", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.8",
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9",
    )
    event = AuditEvent.objects.get(action="login")
    assert event.address == expected


@pytest.mark.django_db
def test_the_login_lockout_log_records_the_same_address(client, settings):
    from axes.models import AccessAttempt

    settings.BEHIND_PROXY, settings.TRUSTED_PROXY_COUNT = True, 1
    UserFactory(username="hanako")
    client.post(
        reverse("login"),
        {"username": "hanako", "password": "wrong-password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]
