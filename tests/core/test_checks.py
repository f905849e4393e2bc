"""The portal's own deploy checks that read the database: a ward's own public address."""

import pytest

from takatsu_portal.core.checks import check_office_public_addresses
from tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db


def test_an_offices_own_loopback_public_address_is_warned_about_by_name():
    OfficeFactory(code="miyamae-t", name="宮前区役所", public_base_url="http://127.0.0.1:8000")
    OfficeFactory(
        code="tama-t", name="多摩区役所", public_base_url="https://enquete.tama.example.jp"
    )
    # An office without its own address uses the setting, which W001 checks.
    OfficeFactory(code="asao-t", name="麻生区役所", public_base_url="")
    warnings = check_office_public_addresses(None)
    assert [w.id for w in warnings] == ["portal.W002"]
    assert "宮前区役所" in warnings[0].msg and "127.0.0.1" in warnings[0].msg
