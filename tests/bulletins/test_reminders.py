"""Reminders: a set number of working days before the confirm-by date and once after it, never
twice for the same person and article version, whatever the beat schedule does; a new version
that needs confirmation again starts a fresh cycle."""

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


def reminders(title, **filters):
    """Reminders about the article titled `title` (not the notice of its publication, which
    names it too)."""
    return Notification.objects.filter(message__contains=f"「{title}」の確認期限", **filters)


def reminded(user):
    return reminders("年末年始の窓口体制", recipient=user)


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
    assert reminders("保険年金課向けの手順").count() == 1
    assert reminders("保険年金課向けの手順").get().recipient == people.hoken


def test_the_task_runs_the_service(people, article, monkeypatch):
    from bulletins import tasks

    monkeypatch.setattr("takatsu_portal.core.fiscal.clock", lambda: datetime.date(2026, 12, 28))
    assert tasks.send_reminders.delay().get() > 0
    assert tasks.send_reminders.delay().get() == 0


def reconfirm(article, people, *, confirm_by=None):
    """The editor changes the rule: a new version that everyone must confirm again."""
    article.refresh_from_db()
    article.body += "\n\n受付時間を変更しました。"
    if confirm_by is not None:
        article.confirm_by = confirm_by
    services.article_save(
        article=article,
        by=people.editor,
        expected_version=article.version,
        reconfirm=True,
        change_note="受付時間の変更",
    )
    article.refresh_from_db()
    return article


def test_a_new_version_that_needs_confirmation_starts_a_fresh_cycle(people, article):
    services.send_reminders(today=datetime.date(2026, 12, 22))
    services.send_reminders(today=datetime.date(2026, 12, 28))
    assert reminded(people.staff).count() == 2
    article = reconfirm(article, people, confirm_by=datetime.date(2027, 1, 15))
    assert article.confirm_revision == 2
    # Too early for the new date: nothing yet; then the new version's cycle, once each.
    assert services.send_reminders(today=datetime.date(2027, 1, 6)) == 0
    for day in (12, 12, 13, 18, 19, 20):
        services.send_reminders(today=datetime.date(2027, 1, day))
    assert reminded(people.staff).count() == 4
    sent = Reminder.objects.filter(article=article, user=people.staff)
    assert sorted(sent.values_list("revision", "kind")) == [
        (1, "before"),
        (1, "overdue"),
        (2, "before"),
        (2, "overdue"),
    ]


def test_someone_who_confirmed_the_new_version_is_not_reminded_of_it(people, article):
    services.article_confirm(article=article, user=people.staff)
    article = reconfirm(article, people)
    services.article_confirm(article=article, user=people.staff)
    services.send_reminders(today=datetime.date(2026, 12, 28))
    assert not reminded(people.staff).exists()
    assert reminded(people.hoken).count() == 1


def test_a_typo_fix_does_not_start_a_new_cycle(people, article):
    services.send_reminders(today=datetime.date(2026, 12, 28))
    article.body += "（誤字を修正）"
    services.article_save(
        article=article, by=people.editor, expected_version=article.version, change_note="誤字"
    )
    services.send_reminders(today=datetime.date(2026, 12, 29))
    assert reminded(people.staff).count() == 1


def test_reminders_are_written_in_bulk(people, sections, article, django_assert_max_num_queries):
    """The same number of queries for 3 more people as for 300 more."""
    from takatsu_portal.accounts.models import User

    def run(size, day):
        User.objects.bulk_create(
            User(username=f"r{day}-{n}", full_name=f"職員{n}", section=sections.hoken, password="!")
            for n in range(size)
        )
        Reminder.objects.all().delete()
        with django_assert_max_num_queries(12) as captured:
            sent = services.send_reminders(today=datetime.date(2026, 12, day))
        return sent, len(captured.captured_queries)

    small_sent, small = run(3, 28)
    large_sent, large = run(300, 29)
    assert large_sent == small_sent + 300
    assert large == small


def test_each_office_reminds_its_own_number_of_working_days_before(people, article):
    office = article.issue.office
    office.bulletin_reminder_days = 1  # the install says 3 (22 December)
    office.save()
    assert services.send_reminders(today=datetime.date(2026, 12, 22)) == 0
    assert not reminded(people.staff).exists()
    assert services.send_reminders(today=datetime.date(2026, 12, 24)) > 0
    assert reminded(people.staff).count() == 1
