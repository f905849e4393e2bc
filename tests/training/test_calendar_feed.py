"""A person's own sessions as a calendar to subscribe to (Outlook): a secret key in the URL
instead of a login, shown on the person's record page, 「URLを再発行」 revoking the old one."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from training.models import CalendarFeed, Enrolment

from .factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db


def summaries(response):
    calendar = Calendar.from_ical(response.content)
    return sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))


@pytest.fixture
def mine(people, office, session):
    """The staff member holds a seat on `session` and waits for another; a colleague holds a
    seat on a third; a cancelled place of the staff member's is not in the feed."""
    waiting = SessionFactory(course=CourseFactory(office=office, title="やさしい日本語研修"))
    theirs = SessionFactory(course=CourseFactory(office=office, title="情報セキュリティ研修"))
    dropped = SessionFactory(course=CourseFactory(office=office, title="取り消した研修"))
    Enrolment.objects.create(session=session, user=people.staff, state="confirmed")
    Enrolment.objects.create(session=waiting, user=people.staff, state="waiting")
    Enrolment.objects.create(session=dropped, user=people.staff, state="cancelled")
    Enrolment.objects.create(session=theirs, user=people.colleague, state="confirmed")
    return session


def issue(client, user):
    client.force_login(user)
    response = client.post(reverse("training:feed_issue"))
    assert response.status_code == 302
    assert response.url == reverse("training:my_record") + "#calendar-feed"
    return CalendarFeed.objects.get(user=user)


def test_the_record_page_offers_a_url_and_shows_it_once_issued(client, people, mine):
    client.force_login(people.staff)
    html = client.get(reverse("training:my_record")).content.decode()
    assert "購読用のURLを発行" in html and "URLを再発行" not in html
    feed = issue(client, people.staff)
    html = client.get(reverse("training:my_record")).content.decode()
    assert f"http://testserver{feed.get_absolute_url()}" in html
    assert "URLを再発行" in html
    # Another person's record page never shows the staff member's URL.
    client.force_login(people.manager)
    html = client.get(reverse("training:person_record", args=[people.staff.pk])).content.decode()
    assert feed.key not in html


def test_the_feed_opens_without_a_login_and_lists_only_that_persons_sessions(client, people, mine):
    feed = issue(client, people.staff)
    anonymous = Client()
    response = anonymous.get(feed.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert summaries(response) == sorted([mine.course.title, "やさしい日本語研修"])


def test_a_wrong_key_or_another_persons_id_gets_404(client, people, mine):
    feed = issue(client, people.staff)
    other = issue(Client(), people.colleague)
    anonymous = Client()
    wrong = reverse("training:feed", args=[people.staff.pk, feed.key[:-1] + "x"])
    assert anonymous.get(wrong).status_code == 404
    swapped = reverse("training:feed", args=[people.staff.pk, other.key])
    assert anonymous.get(swapped).status_code == 404
    nobody = reverse("training:feed", args=[people.admin.pk, feed.key])
    assert anonymous.get(nobody).status_code == 404


def test_reissuing_revokes_the_old_url(client, people, mine):
    feed = issue(client, people.staff)
    old = feed.get_absolute_url()
    again = issue(client, people.staff)
    assert again.key != feed.key
    anonymous = Client()
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(again.get_absolute_url()).status_code == 200
    html = client.get(reverse("training:my_record")).content.decode()
    assert old not in html and again.get_absolute_url() in html


def test_a_disabled_account_feed_gets_404(client, people, mine):
    feed = issue(client, people.staff)
    people.staff.is_active = False
    people.staff.save()
    assert Client().get(feed.get_absolute_url()).status_code == 404


def test_issuing_takes_a_post_and_a_login(client, people):
    anonymous = Client()
    response = anonymous.post(reverse("training:feed_issue"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(people.staff)
    assert client.get(reverse("training:feed_issue")).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_the_feed_skips_sessions_that_ended_more_than_a_year_ago(client, people, mine, office):
    old = SessionFactory(course=CourseFactory(office=office, title="二年前の研修"))
    old.starts_at -= timedelta(days=800)
    old.ends_at -= timedelta(days=800)
    old.apply_by -= timedelta(days=800)
    old.cancel_by -= timedelta(days=800)
    old.save()
    Enrolment.objects.create(session=old, user=people.staff, state="confirmed")
    feed = issue(client, people.staff)
    assert "二年前の研修" not in summaries(Client().get(feed.get_absolute_url()))
