"""The beat's tasks running twice at the same moment (two workers, a retried task): real
transactions on PostgreSQL, each run in a thread with its own connection. Nobody is told or
reminded twice about the same article version."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from bulletins import services
from bulletins.models import AudienceNotice, Issue, Reminder
from bulletins.status import audience_of
from takatsu_portal.core.models import Notification

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

RUNS = 4


def at_once(function):
    """Run `function` in RUNS threads released together; their results and errors."""
    start = threading.Barrier(RUNS)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(function())
        except Exception as error:  # noqa: BLE001 — reported by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_reminders_sent_by_parallel_runs_reach_each_person_once(people, make_article, settings):
    settings.BULLETIN_REMINDER_DAYS = 3
    article = make_article(
        title="同時に動いた催促", required=True, confirm_by=datetime.date(2026, 12, 25)
    )
    services.article_confirm(article=article, user=people.hoken)
    results, errors = at_once(lambda: services.send_reminders(today=datetime.date(2026, 12, 28)))
    assert errors == []
    expected = audience_of(article).count() - 1  # everyone but hoken, who confirmed
    assert sum(results) == expected
    assert Reminder.objects.filter(article=article).count() == expected
    reminders = Notification.objects.filter(message__contains="「同時に動いた催促」の確認期限")
    assert reminders.count() == expected
    assert reminders.filter(recipient=people.staff).count() == 1


def test_parallel_beats_publish_a_scheduled_issue_once_and_tell_each_person_once(
    people, office, make_article
):
    issue = services.issue_create(office=office, title="同時公開の号", by=people.editor)
    article = make_article(issue=issue, published=False, title="同時に公開された記事")
    at = timezone.now() + datetime.timedelta(minutes=1)
    services.issue_publish(issue=issue, by=people.editor, at=at)
    results, errors = at_once(lambda: services.publish_due(now=at + datetime.timedelta(seconds=5)))
    assert errors == []
    assert sorted(len(published) for published in results) == [0] * (RUNS - 1) + [1]
    issue.refresh_from_db()
    assert issue.state == Issue.State.PUBLISHED and issue.number is not None
    audience = audience_of(article).count()
    notices = Notification.objects.filter(message__contains="「同時に公開された記事」")
    assert notices.count() == audience
    assert notices.filter(recipient=people.staff).count() == 1
    assert AudienceNotice.objects.filter(article=article).count() == audience
