"""Reminders: a set number of working days before the confirm-by date and once after it, never
twice for the same person and article, whatever the beat schedule does."""

import datetime

import pytest
from django.core import mail

from bulletins import services
from bulletins.models import Reminder
from takatsu_portal.core.models import Notification

pytestmark = pytest.mark.django_db

# Friday 25 December 2026; three working days before is Tuesday 22 December.
DUE = datetime.date(2026, 12, 25)


@pytest.fixture
def article(make_article, settings):
    settings.BULLETIN_REMINDER_DAYS = 3
    return make_article(title="年末年始の窓口体制", required=True, confirm_by=DUE)


def reminded(user):
    return Notification.objects.filter(recipient=user, message__contains="年末年始の窓口体制")


def test_nobody_is_reminded_too_early(people, article):
    assert services.send_reminders(today=datetime.date(2026, 12, 21)) == 0
    assert not reminded(people.staff).exists()


def test_the_audience_is_reminded_before_the_date_once(
    people, article, django_capture_on_commit_callbacks
):
    services.article_confirm(article=article, user=people.hoken)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.send_reminders(today=datetime.date(2026, 12, 22))
    assert sent > 0
    assert reminded(people.staff).count() == 1
    assert "確認期限は12月25日です" in reminded(people.staff).get().message
    # Someone who confirmed is not reminded.
    assert not reminded(people.hoken).exists()
    # The beat runs again the same day and the next days: nothing more before the date.
    for day in (22, 23, 24, 25):
        assert services.send_reminders(today=datetime.date(2026, 12, day)) == 0
    assert reminded(people.staff).count() == 1
    assert any("年末年始の窓口体制" in m.subject + m.body for m in mail.outbox)


def test_once_after_the_date_and_never_again(people, article):
    services.send_reminders(today=datetime.date(2026, 12, 22))
    services.send_reminders(today=datetime.date(2026, 12, 28))
    services.send_reminders(today=datetime.date(2027, 1, 5))
    services.send_reminders(today=datetime.date(2027, 1, 6))
    messages = list(reminded(people.staff).values_list("message", flat=True))
    assert len(messages) == 2
    assert any("過ぎています" in m for m in messages)
    assert Reminder.objects.filter(article=article, user=people.staff).count() == 2


def test_a_missed_beat_still_sends_the_reminder_late_but_once(people, article):
    # The beat did not run before the date: the first run after it sends only the overdue one.
    services.send_reminders(today=datetime.date(2026, 12, 28))
    services.send_reminders(today=datetime.date(2026, 12, 28))
    assert reminded(people.staff).count() == 1


def test_people_outside_the_audience_are_not_reminded(people, sections, make_article):
    make_article(
        title="保険年金課向けの手順",
        required=True,
        confirm_by=DUE,
        audience={"sections": [sections.hoken]},
    )
    services.send_reminders(today=datetime.date(2026, 12, 28))
    assert Notification.objects.filter(message__contains="保険年金課向けの手順").count() == 1
    assert (
        Notification.objects.get(message__contains="保険年金課向けの手順").recipient == people.hoken
    )


def test_the_task_runs_the_service(people, article, monkeypatch):
    from bulletins import tasks

    monkeypatch.setattr("takatsu_portal.core.fiscal.clock", lambda: datetime.date(2026, 12, 28))
    assert tasks.send_reminders.delay().get() > 0
    assert tasks.send_reminders.delay().get() == 0
