"""The production configuration's error pages (issue 17, item 6): with DEBUG=false the 403,
404, 405 and 500 answers are the portal's own Japanese pages with the Content-Security-Policy
header, never Django's debug pages or an empty body."""

import pytest
from django.test import Client
from django.urls import reverse

from takatsu_portal.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    403: "このページにはアクセスできません",
    404: "ページが見つかりません",
    405: "このページは直接開けません",
    500: "エラーが発生しました",
}
DEBUG_SIGNS = ["Traceback", "technical_500", "Request Method:", "Django Version", "DEBUG = True"]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.security.urls"
    return settings


def error_responses(client):
    return {
        403: client.get(reverse("reports:index")),  # staff may not read the council's reports
        404: client.get("/no-such-page/"),
        405: client.get(reverse("logout")),  # logging out takes a POST
        500: client.get("/test-failure/"),
    }


def assert_portal_page(response, status):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="ja"' in html, status
    assert EXPECTED[status] in html, status
    assert "高津区役所サービスポータル" in html, status
    for sign in DEBUG_SIGNS:
        assert sign not in html, (status, sign)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, status


def test_error_pages_of_a_signed_in_member_of_staff(production):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(roles=[Role.STAFF]))
    for status, response in error_responses(client).items():
        assert_portal_page(response, status)


def test_a_method_not_allowed_keeps_its_allow_header(production):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(roles=[Role.STAFF]))
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert "POST" in response["Allow"]


def test_error_pages_of_an_anonymous_visitor(production):
    client = Client(raise_request_exception=False)
    assert_portal_page(client.get("/no-such-page/"), 404)
    assert_portal_page(client.get("/test-failure/"), 500)
