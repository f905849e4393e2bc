import pytest
from django.urls import reverse

from takatsu_portal.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def post_login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_login_page_is_in_japanese(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ja">' in html
    assert "ユーザー名" in html and "パスワード" in html


def test_staff_member_logs_in_and_lands_on_the_dashboard(client):
    user = UserFactory(username="hanako")
    response = post_login(client, "hanako", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert "ダッシュボード" in home.content.decode()
    assert user.full_name in home.content.decode()
    user.refresh_from_db()
    assert user.last_login is not None


def test_login_does_not_add_a_history_row_to_the_user(client):
    user = UserFactory(username="hanako")
    before = user.history.count()
    post_login(client, "hanako", PASSWORD)
    assert user.history.count() == before


def test_wrong_password_shows_an_error_and_keeps_the_user_name(client):
    UserFactory(username="hanako")
    response = post_login(client, "hanako", "wrong-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "ユーザー名またはパスワードが正しくありません" in html
    assert 'value="hanako"' in html


def test_login_rotates_the_session_key(client):
    UserFactory(username="hanako")
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    post_login(client, "hanako", PASSWORD)
    assert client.session.session_key != before


def test_logins_logouts_and_failures_are_audited(client):
    user = UserFactory(username="hanako")
    post_login(client, "hanako", "wrong-password", REMOTE_ADDR="10.1.2.3")
    post_login(client, "hanako", PASSWORD, REMOTE_ADDR="10.1.2.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    events = list(AuditEvent.objects.order_by("id").values_list("action", "username", "address"))
    assert events == [
        ("login_failed", "hanako", "10.1.2.3"),
        ("login", "hanako", "10.1.2.3"),
        ("logout", "hanako", "10.1.2.3"),
    ]
    assert AuditEvent.objects.get(action="login").user == user


def test_audit_log_is_append_only():
    from takatsu_portal.core.audit import record_event

    event = record_event("login", username="hanako")
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(username="x")


def test_repeated_failures_lock_out_that_user_name_only(client, settings):
    UserFactory(username="hanako")
    UserFactory(username="taro")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "hanako", "wrong-password", REMOTE_ADDR="10.0.0.1")
    # Even the right password is refused now, with the Japanese lock-out page.
    response = post_login(client, "hanako", PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "ログインが一時的に制限されています" in response.content.decode()
    assert AuditEvent.objects.filter(action="locked_out", username="hanako").exists()
    # A colleague behind the same office address still signs in.
    response = post_login(client, "taro", PASSWORD, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_lockout_is_by_user_name_from_any_address(client, settings):
    UserFactory(username="hanako")
    for n in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "hanako", "wrong-password", REMOTE_ADDR=f"10.0.0.{n + 1}")
    response = post_login(client, "hanako", PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429


def test_a_disabled_user_is_signed_out_of_every_session(client):
    user = UserFactory(username="hanako")
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logout_needs_post_and_ends_the_session(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_password_change_in_japanese(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "bad", "new_password1": "x", "new_password2": "y"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "元のパスワードが間違っています" in html
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "kawasaki-takatsu-2026",
            "new_password2": "kawasaki-takatsu-2026",
        },
        follow=True,
    )
    assert "パスワードを変更しました。" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("kawasaki-takatsu-2026")
