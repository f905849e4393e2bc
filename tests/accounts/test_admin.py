import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from takatsu_portal.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"accounts", "core", "plans", "feedback", "bulletins", "training", "reports"}


def portal_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in PORTAL_APPS and not m.__name__.startswith("Historical")
    ]


def test_every_portal_model_is_in_the_admin():
    missing = [m.__name__ for m in portal_models() if m not in admin.site._registry]
    assert missing == []


def test_administrator_role_opens_every_admin_list_in_japanese(client):
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "マスタデータと職員の管理" in index.content.decode()
    for model in portal_models():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="ja"' in response.content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_other_roles_are_kept_out_of_the_admin(client, role):
    client.force_login(UserFactory(roles=[role]))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_administrator_adds_a_member_of_staff_through_the_admin(client, section):
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newcomer",
            "full_name": "川崎 一郎",
            "full_name_kana": "かわさき いちろう",
            "staff_number": "999001",
            "section": section.pk,
            "email": "newcomer@example.jp",
            "password1": "kawasaki-takatsu-2026",
            "password2": "kawasaki-takatsu-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="newcomer")
    assert (user.full_name, user.section) == ("川崎 一郎", section)


def test_kana_must_be_kana(client, section):
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newcomer",
            "full_name": "川崎 一郎",
            "full_name_kana": "Kawasaki",
            "password1": "kawasaki-takatsu-2026",
            "password2": "kawasaki-takatsu-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "ふりがなは、ひらがな又はカタカナで入力してください。" in response.content.decode()


def test_audit_log_is_read_only_in_the_admin(client):
    from takatsu_portal.core.audit import record_event

    event = record_event("login", username="hanako")
    client.force_login(UserFactory(roles=[Role.ADMINISTRATOR]))
    change_url = reverse("admin:core_auditevent_change", args=[event.pk])
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert client.post(change_url, {"username": "x"}).status_code == 403
    assert client.get(reverse("admin:core_auditevent_delete", args=[event.pk])).status_code == 403
