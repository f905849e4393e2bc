"""notify_bulk: many notifications in one INSERT, their mails queued after the commit."""

import pytest
from django.core import mail

from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.models import Notification
from takatsu_portal.core.notifications.bulk import Notice, notify_bulk
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_one_insert_for_all_and_mail_only_where_asked(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    people = [UserFactory(username=f"u{n}", roles=[Role.STAFF]) for n in range(5)]
    nobody = UserFactory(username="noaddress", email="", roles=[Role.STAFF])
    notices = [
        Notice(recipient_id=p.pk, message=f"お知らせ{n}", url="/x/", email=n < 2)
        for n, p in enumerate(people)
    ] + [Notice(recipient_id=nobody.pk, message="住所なし", email=True)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(1):
        created = notify_bulk(notices)
    assert [n.message for n in created] == [*(f"お知らせ{n}" for n in range(5)), "住所なし"]
    assert all(n.pk for n in created)
    assert Notification.objects.get(recipient=people[3]).url == "/x/"
    # Mailed: the two marked, not the others; a person without an address is skipped.
    assert sorted(m.to[0] for m in mail.outbox) == [people[0].email, people[1].email]


def test_nothing_to_write_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notify_bulk([]) == []


def test_the_recipients_pages_and_counts_show_them_at_once(client):
    """The notifications page and the header's unread count are kept per user: notify_bulk
    announces its recipients, so the next page already lists the new notification."""
    from django.urls import reverse

    person = UserFactory(username="reader", roles=[Role.STAFF])
    client.force_login(person)
    client.get(reverse("notification_list"))
    kept = client.get(reverse("notification_list")).content.decode()
    assert "未読は0件です" in kept
    notify_bulk([Notice(recipient_id=person.pk, message="必読記事の確認期限が近づいています")])
    page = client.get(reverse("notification_list")).content.decode()
    assert "必読記事の確認期限が近づいています" in page
    assert "未読は1件です" in page


def test_bulk_notices_show_at_once_in_the_recipients_header_and_home(client):
    from django.urls import reverse

    reader = UserFactory(username="reader", roles=[Role.STAFF])
    client.force_login(reader)
    assert client.get(reverse("home")).context["unread_notification_count"] == 0
    notify_bulk([Notice(recipient_id=reader.pk, message="情報紙が発行されました")])
    response = client.get(reverse("home"))
    assert response.context["unread_notification_count"] == 1
    assert "情報紙が発行されました" in [i.title for i in response.context["attention_items"]]


def test_bulk_moves_each_recipients_generation_once(django_capture_on_commit_callbacks):
    from unittest import mock

    from takatsu_portal.core import attention

    people = [UserFactory(username=f"g{n}", roles=[Role.STAFF]) for n in range(3)]
    notices = [Notice(recipient_id=p.pk, message="x") for p in people for _ in range(2)]
    with mock.patch.object(attention, "changed", wraps=attention.changed) as changed:
        notify_bulk(notices)
    assert changed.call_count == 1
    assert changed.call_args.kwargs["users"] == {p.pk for p in people}


def test_notify_many_is_one_insert_mails_those_with_an_address_and_refreshes_home(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from takatsu_portal.core.notifications import notify_many

    people = [UserFactory(username=f"m{n}", roles=[Role.STAFF]) for n in range(3)]
    nobody = UserFactory(username="m-noaddress", email="", roles=[Role.STAFF])
    client.force_login(people[0])
    assert client.get(reverse("home")).context["unread_notification_count"] == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(1):
        created = notify_many(recipients=[*people, nobody], message="提案が出されました", url="/p/")
    assert len(created) == 4 and all(n.pk for n in created)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert client.get(reverse("home")).context["unread_notification_count"] == 1
