"""Telling the audience: when an issue or a 臨時号 is published (now or by the beat task), and
when a change needs everyone's confirmation again, each person in the audience gets one
notification (home page and notifications page), mailed too for required or urgent articles;
once per person and article version; written in bulk."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bulletins import services
from bulletins.models import AudienceNotice, Importance, Issue
from takatsu_portal.core.models import Notification

pytestmark = pytest.mark.django_db


def told(user):
    return Notification.objects.filter(recipient=user)


def mailed_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


@pytest.fixture
def draft(office, people, make_article):
    """A draft issue 「5月号」: a required article for everyone, a normal one for 保険年金課."""

    def make(**extra):
        issue = services.issue_create(office=office, title="5月号", by=people.editor)
        make_article(
            issue=issue,
            published=False,
            title="転入届の受付手順の変更",
            required=True,
            confirm_by=datetime.date(2027, 5, 20),
            **extra,
        )
        make_article(
            issue=issue,
            published=False,
            title="保険証の再発行の案内",
            audience={"sections": [people.hoken.section]},
        )
        issue.refresh_from_db()
        return issue

    return make


def publish(client, people, issue):
    client.force_login(people.editor)
    response = client.post(
        reverse("bulletins:issue_publish", args=[issue.pk]),
        {"when": "now", "version": issue.version},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == Issue.State.PUBLISHED
    return issue


def test_publishing_tells_each_person_once_about_their_articles(
    client, people, draft, stranger, django_capture_on_commit_callbacks
):
    issue = draft()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(client, people, issue)
    label = issue.label
    # One article for staff (the required one): named, with its date, linking to it.
    staff = told(people.staff).get()
    assert staff.message == (
        f"【必読】情報紙{label}「転入届の受付手順の変更」が公開されました。"
        "5月20日までに読んで「確認しました」を押してください。"
    )
    assert staff.url == reverse("bulletins:article_detail", args=[issue.articles.first().pk])
    # Two articles for 保険年金課: one notification for the issue, counting them.
    hoken = told(people.hoken).get()
    assert hoken.message == (
        f"【必読】情報紙{label}「5月号」が公開されました。あなたに向けた記事が2件あります"
        "（うち必読1件）。"
    )
    assert hoken.url == issue.get_absolute_url()
    # Another ward office's staff hear nothing.
    assert not told(stranger).exists()
    # A required article is mailed too, once per person.
    assert len(mailed_to(people.staff)) == 1
    assert "転入届の受付手順の変更" in mailed_to(people.staff)[0].subject
    assert AudienceNotice.objects.filter(user=people.hoken).count() == 2


def test_a_normal_article_is_told_on_the_home_page_without_mail(
    client, people, office, make_article, django_capture_on_commit_callbacks
):
    issue = services.issue_create(office=office, title="6月号", by=people.editor)
    make_article(issue=issue, published=False, title="区民祭りのお知らせ")
    issue.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(client, people, issue)
    notice = told(people.staff).get()
    assert notice.message == f"情報紙{issue.label}「区民祭りのお知らせ」が公開されました。"
    assert mail.outbox == []
    # It is on the staff member's home page and notifications page.
    client.force_login(people.staff)
    assert notice.message in client.get(reverse("home")).content.decode()
    assert notice.message in client.get(reverse("notification_list")).content.decode()


def test_an_urgent_extra_article_is_mailed(
    client, people, office, make_article, django_capture_on_commit_callbacks
):
    extra = services.issue_create(office=office, title="臨時", kind="extra", by=people.editor)
    article = make_article(
        issue=extra, published=False, title="庁舎の停電について", importance=Importance.URGENT
    )
    extra.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish(client, people, extra)
    notice = told(people.other).get()
    assert notice.message == "【緊急】情報紙臨時第1号「庁舎の停電について」が公開されました。"
    assert notice.url == article.get_absolute_url()
    assert len(mailed_to(people.other)) == 1


def test_the_beat_task_tells_the_audience_of_a_scheduled_issue(people, draft):
    issue = draft()
    at = timezone.now() + datetime.timedelta(hours=1)
    services.issue_publish(issue=issue, by=people.editor, at=at)
    assert not told(people.staff).exists()  # scheduled: nobody told yet
    services.publish_due(now=at + datetime.timedelta(seconds=30))
    assert told(people.staff).count() == 1
    services.publish_due(now=at + datetime.timedelta(minutes=5))
    assert told(people.staff).count() == 1


def test_nobody_is_told_twice_about_the_same_version(people, draft):
    issue = draft()
    services.issue_publish(issue=issue, by=people.editor)
    issue.refresh_from_db()
    assert services.audience_notify(issue=issue) == 0
    assert told(people.staff).count() == 1


def test_a_change_that_needs_confirmation_tells_the_audience_again(
    people, draft, django_capture_on_commit_callbacks
):
    issue = draft()
    services.issue_publish(issue=issue, by=people.editor)
    article = issue.articles.get(required=True)
    article.body += "\n\n必要書類が変わりました。"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(
            article=article,
            by=people.editor,
            expected_version=article.version,
            reconfirm=True,
            change_note="必要書類の変更",
        )
    latest = told(people.staff).first()
    assert latest.message == (
        "【必読】情報紙の記事「転入届の受付手順の変更」が更新されました（必要書類の変更）。"
        "もう一度読んで、5月20日までに「確認しました」を押してください。"
    )
    assert told(people.staff).count() == 2
    assert len(mailed_to(people.staff)) == 1
    assert AudienceNotice.objects.filter(article=article, user=people.staff).count() == 2


def test_a_typo_fix_tells_nobody(people, draft):
    issue = draft()
    services.issue_publish(issue=issue, by=people.editor)
    article = issue.articles.get(required=True)
    article.body += "（誤字を修正）"
    services.article_save(
        article=article, by=people.editor, expected_version=article.version, change_note="誤字"
    )
    assert told(people.staff).count() == 1


def test_publication_notices_are_written_in_bulk(
    people, sections, draft, django_assert_max_num_queries
):
    """Publishing for 3 or for 300 more people runs the same number of queries."""
    from takatsu_portal.accounts.models import User

    def run(size, tag):
        User.objects.bulk_create(
            User(username=f"{tag}{n}", full_name=f"職員{n}", section=sections.hoken, password="!")
            for n in range(size)
        )
        issue = draft()
        with django_assert_max_num_queries(40) as captured:
            services.issue_publish(issue=issue, by=people.editor)
        return len(captured.captured_queries)

    small = run(3, "small")
    large = run(300, "large")
    assert large == small
    assert Notification.objects.filter(recipient__username__startswith="large").count() == 300
