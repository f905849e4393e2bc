import time

import pytest
from django.urls import reverse

from takatsu_portal.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client):
    user = UserFactory(username="hanako")
    client.post(reverse("login"), {"username": "hanako", "password": PASSWORD})
    return user


def test_session_cookie_lasts_the_idle_time(client, settings):
    sign_in(client)
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_MINUTES * 60
    assert client.session.get_expire_at_browser_close()


def test_activity_refreshes_the_session_at_most_once_a_minute(client):
    sign_in(client)
    session = client.session
    session["portal_touched"] = time.time() - 120
    session.save()
    client.get(reverse("home"))
    refreshed = client.session["portal_touched"]
    assert refreshed > time.time() - 5
    client.get(reverse("home"))
    assert client.session["portal_touched"] == refreshed


def test_an_idle_session_ends_and_the_next_page_asks_to_sign_in(client):
    sign_in(client)
    session = client.session
    session.set_expiry(-1)  # the idle time has passed
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_session_ends_after_the_absolute_lifetime_even_when_busy(client, settings):
    sign_in(client)
    session = client.session
    session["portal_started"] = time.time() - settings.SESSION_MAX_HOURS * 3600 - 1
    session.save()
    response = client.get(reverse("plans:index"))
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=%2Fplans%2F"
    page = client.get(response.url)
    assert "再度ログインしてください" in page.content.decode()
    assert AuditEvent.objects.filter(action="session_expired").exists()


def test_keepalive_restarts_the_idle_time_by_post_only(client):
    sign_in(client)
    assert client.get(reverse("keepalive")).status_code == 405
    response = client.post(reverse("keepalive"))
    assert response.status_code == 204


def test_keepalive_without_a_session_does_not_answer_204(client):
    response = client.post(reverse("keepalive"))
    assert response.status_code == 302


def test_every_page_carries_the_idle_warning_settings(client, settings):
    sign_in(client)
    html = client.get(reverse("home")).content.decode()
    assert f'data-session-idle="{settings.SESSION_IDLE_MINUTES * 60 - 60}"' in html
    assert f'data-session-warning="{settings.SESSION_WARNING_SECONDS}"' in html
    assert "まもなく自動的にログアウトします" in html
