"""Notifications (お知らせ): the page that lists them, marking them read, the home-page item."""

import pytest
from django.urls import include, path, reverse

import takatsu_portal.core.notifications.attention  # noqa: F401  (registers the provider)
from takatsu_portal import urls as project_urls
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core import attention
from takatsu_portal.core.models import Notification
from takatsu_portal.core.notifications import notify
from takatsu_portal.core.notifications.attention import unread_notifications
from tests.factories import UserFactory

# The project's URLs with the notification pages, whether or not urls.py includes them yet.
urlpatterns = [
    *project_urls.urlpatterns,
    path("", include("takatsu_portal.core.notifications.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", roles=[Role.STAFF])


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", roles=[Role.STAFF])


def test_the_page_lists_the_users_own_notifications(client, alice, bob):
    notify(
        recipient=alice, message="事業企画案「案内の多言語化」は「採択」となりました", url="/plans/"
    )
    notify(recipient=bob, message="ボブへのお知らせ")
    client.force_login(alice)
    response = client.get(reverse("notification_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "事業企画案「案内の多言語化」は「採択」となりました" in html
    assert "ボブへのお知らせ" not in html
    assert "未読は1件です。" in html


def test_marking_one_notification_read(client, alice):
    first = notify(recipient=alice, message="一つ目")
    second = notify(recipient=alice, message="二つ目")
    client.force_login(alice)
    response = client.post(reverse("notification_read"), {"notification": first.pk})
    assert response.status_code == 302
    assert response.url == reverse("notification_list")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_marking_all_notifications_read(client, alice, bob):
    for n in range(3):
        notify(recipient=alice, message=f"お知らせ{n}")
    notify(recipient=bob, message="ボブへのお知らせ")
    client.force_login(alice)
    response = client.post(reverse("notification_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=alice).unread().exists()
    assert Notification.objects.filter(recipient=bob).unread().count() == 1
    assert "3件のお知らせを既読にしました。" in client.get(response.url).content.decode()


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, alice):
    notification = notify(recipient=alice, message="改善の記録を課長が確認しました", url="/plans/")
    client.force_login(alice)
    response = client.post(
        reverse("notification_read"), {"notification": notification.pk, "open": "1"}
    )
    assert response.status_code == 302
    assert response.url == "/plans/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_never_leads_off_the_site(client, alice):
    notification = Notification.objects.create(
        recipient=alice, message="怪しいお知らせ", url="https://evil.example/"
    )
    client.force_login(alice)
    response = client.post(
        reverse("notification_read"), {"notification": notification.pk, "open": "1"}
    )
    assert response.url == reverse("notification_list")


def test_nobody_marks_another_users_notifications(client, alice, bob):
    notification = notify(recipient=bob, message="ボブへのお知らせ")
    client.force_login(alice)
    client.post(reverse("notification_read"), {"notification": notification.pk})
    client.post(reverse("notification_read"), {"notification": notification.pk, "open": "1"})
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_needs_post(client, alice):
    notification = notify(recipient=alice, message="お知らせ")
    client.force_login(alice)
    assert client.get(reverse("notification_read")).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("notification_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_page_paginates(client, alice):
    Notification.objects.bulk_create(
        Notification(recipient=alice, message=f"お知らせ{n}") for n in range(45)
    )
    client.force_login(alice)
    response = client.get(reverse("notification_list"), {"page": 2})
    assert len(response.context["page_obj"].object_list) == 15


# ---------------------------------------------------------------------------------------------
# Home page


def test_the_home_page_shows_unread_notifications_with_their_links(client, alice, bob):
    notify(recipient=alice, message="提案が採択されました", url="/plans/proposals/1/")
    read = notify(recipient=alice, message="読んだお知らせ", url="/plans/")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    client.force_login(alice)
    html = client.get(reverse("home")).content.decode()
    assert '<a href="/plans/proposals/1/">提案が採択されました</a>' in html
    assert "読んだお知らせ" not in html
    assert "ほかに未読のお知らせ" not in html  # nothing more to see
    assert "未読1件" in html  # the header's link to the notifications page counts it

    client.force_login(bob)
    assert "提案が採択されました" not in client.get(reverse("home")).content.decode()


def test_the_home_page_shows_five_and_links_to_the_rest(client, alice):
    for n in range(8):
        notify(recipient=alice, message=f"お知らせ{n}番", url=f"/plans/{n}/")
    client.force_login(alice)
    html = client.get(reverse("home")).content.decode()
    assert all(f"お知らせ{n}番" in html for n in range(3, 8))
    assert all(f"お知らせ{n}番" not in html for n in range(3))
    assert "ほかに未読のお知らせが3件あります" in html
    assert f'href="{reverse("notification_list")}"' in html


@pytest.mark.parametrize("count", [0, 5, 50])
def test_the_home_page_item_runs_at_most_two_queries(alice, count, django_assert_max_num_queries):
    Notification.objects.bulk_create(
        Notification(recipient=alice, message=f"お知らせ{n}") for n in range(count)
    )
    with django_assert_max_num_queries(2):
        items = unread_notifications(alice)
    assert len(items) == min(count, 5) + (count > 5)


def test_the_home_page_counts_unread_notifications_once(client, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(7):
        notify(recipient=alice, message=f"お知らせ{n}")
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("home")).content.decode()
    counts = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT COUNT(*)") and "core_notification" in q["sql"]
    ]
    assert len(counts) == 1
    assert "未読7件" in html and "ほかに未読のお知らせが2件あります" in html


def test_the_page_runs_the_same_number_of_queries_for_5_and_300_notifications(
    client, alice, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(5):
        notify(recipient=alice, message=f"お知らせ{n}")
    client.force_login(alice)
    client.get(reverse("notification_list"))  # the first request of a session refreshes it
    # Both measured requests compute the page (the copy kept per user would hide its queries).
    attention.changed(users=[alice])
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("notification_list")).status_code == 200
    Notification.objects.bulk_create(
        Notification(recipient=alice, message=f"進捗報告{n}が提出されました") for n in range(295)
    )
    # Rows added behind the services' back: announced as notify_bulk would (the page and the
    # count are kept per user until then).
    attention.changed(users=[alice])
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("notification_list"))
    assert response.status_code == 200
    assert response.context["unread_count"] == 300
    assert len(response.context["page_obj"].object_list) == 30
