"""Editors write drafts, preview them, and publish now or at a set time; numbers are given at
publication per office, fiscal year and kind."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from bulletins import services, tasks
from bulletins.models import Article, Issue

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")


def article_data(**changes):
    data = {
        "title": "転入届の受付時間",
        "body": "# 変更点\n\n- 平日 8:30〜17:00\n- **第2・第4土曜日** 8:30〜12:30",
        "category": "rule_change",
        "importance": "important",
        "audience_all": "on",
    }
    data.update(changes)
    return data


def test_editor_writes_a_draft_that_readers_cannot_see(client, people):
    client.force_login(people.editor)
    response = client.post(reverse("bulletins:issue_create"), {"kind": "regular", "title": "5月号"})
    issue = Issue.objects.get(title="5月号")
    assert response.url == issue.get_absolute_url()
    response = client.post(reverse("bulletins:article_create", args=[issue.pk]), article_data())
    article = Article.objects.get(title="転入届の受付時間")
    assert response.url == article.get_absolute_url()
    assert article.body_html.startswith("<h2>変更点</h2>")
    # The preview shows it exactly as readers will see it.
    preview = client.get(issue.get_absolute_url()).content.decode()
    assert "プレビュー" in preview
    assert "<strong>第2・第4土曜日</strong>" in preview
    client.force_login(people.staff)
    assert client.get(issue.get_absolute_url()).status_code == 404
    assert client.get(article.get_absolute_url()).status_code == 404


def test_the_live_preview_renders_the_body(client, people):
    client.force_login(people.editor)
    response = client.post(
        reverse("bulletins:article_preview"), {"title": "見出し", "body": "**太字**<script>"}
    )
    assert "<strong>太字</strong>&lt;script&gt;" in response.content.decode()


def test_a_form_with_errors_keeps_what_was_typed(client, people, office):
    issue = services.issue_create(office=office, title="6月号", by=people.editor)
    client.force_login(people.editor)
    response = client.post(
        reverse("bulletins:article_create", args=[issue.pk]),
        article_data(required="on", audience_all=""),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "必読の記事には確認期限を入れてください。" in page
    assert "対象者を選んでください" in page
    assert "転入届の受付時間" in page


def test_publishing_now_numbers_the_issue(client, people, office, make_article):
    first = make_article()  # 第1号
    issue = services.issue_create(office=office, title="5月号", by=people.editor)
    make_article(issue=issue, published=False)
    client.force_login(people.editor)
    response = client.post(
        reverse("bulletins:issue_publish", args=[issue.pk]),
        {"when": "now", "version": issue.version},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == Issue.State.PUBLISHED
    assert issue.number == first.issue.number + 1
    assert issue.label == f"第{issue.number}号"
    client.force_login(people.staff)
    assert client.get(issue.get_absolute_url()).status_code == 200


def test_an_extra_issue_has_its_own_numbers(people, office, make_article):
    extra = services.issue_create(office=office, title="臨時", kind="extra", by=people.editor)
    article = make_article(issue=extra)
    assert article.issue.label == "臨時第1号"


def test_an_empty_issue_is_not_published(client, people, office):
    issue = services.issue_create(office=office, title="空", by=people.editor)
    client.force_login(people.editor)
    client.post(
        reverse("bulletins:issue_publish", args=[issue.pk]),
        {"when": "now", "version": issue.version},
    )
    issue.refresh_from_db()
    assert issue.state == Issue.State.DRAFT


def test_a_scheduled_issue_appears_on_time(client, people, office, make_article):
    issue = services.issue_create(office=office, title="7月号", by=people.editor)
    article = make_article(issue=issue, published=False)
    at = timezone.now() + datetime.timedelta(hours=2)
    client.force_login(people.editor)
    response = client.post(
        reverse("bulletins:issue_publish", args=[issue.pk]),
        {
            "when": "at",
            "publish_at": at.astimezone(JST).strftime("%Y-%m-%dT%H:%M"),
            "version": issue.version,
        },
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == Issue.State.SCHEDULED
    # Before its time: the beat task leaves it; readers do not see it.
    assert services.publish_due(now=timezone.now()) == []
    client.force_login(people.staff)
    assert client.get(article.get_absolute_url()).status_code == 404
    # At its time the beat task publishes it, with nobody opening the portal.
    published = services.publish_due(now=at + datetime.timedelta(seconds=30))
    assert [i.pk for i in published] == [issue.pk]
    issue.refresh_from_db()
    assert issue.state == Issue.State.PUBLISHED and issue.number == 1
    assert client.get(article.get_absolute_url()).status_code == 200
    # Running it again publishes nothing twice.
    assert services.publish_due(now=at + datetime.timedelta(minutes=5)) == []


def test_the_beat_task_publishes_due_issues(people, office, make_article):
    issue = services.issue_create(office=office, title="予約", by=people.editor)
    make_article(issue=issue, published=False)
    Issue.objects.filter(pk=issue.pk).update(
        state=Issue.State.SCHEDULED, publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert tasks.publish_due.delay().get() == [issue.pk]


def test_a_past_time_is_refused(client, people, office, make_article):
    issue = services.issue_create(office=office, title="8月号", by=people.editor)
    make_article(issue=issue, published=False)
    client.force_login(people.editor)
    response = client.post(
        reverse("bulletins:issue_publish", args=[issue.pk]),
        {"when": "at", "publish_at": "2020-01-01T09:00", "version": issue.version},
    )
    assert response.status_code == 400
    assert "今より後の日時" in response.content.decode()


def test_a_scheduled_issue_can_be_taken_back(client, people, office, make_article):
    issue = services.issue_create(office=office, title="9月号", by=people.editor)
    make_article(issue=issue, published=False)
    services.issue_publish(
        issue=issue, by=people.editor, at=timezone.now() + datetime.timedelta(days=1)
    )
    client.force_login(people.editor)
    client.post(reverse("bulletins:issue_unschedule", args=[issue.pk]))
    issue.refresh_from_db()
    assert issue.state == Issue.State.DRAFT and issue.publish_at is None


def test_attachments_follow_the_floor_upload_rules(
    client, people, make_article, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    article = make_article()
    client.force_login(people.editor)
    bad = SimpleUploadedFile("手順.pdf", b"not a pdf", content_type="application/pdf")
    client.post(reverse("bulletins:attachment_add", args=[article.pk]), {"file": bad})
    assert not article.attachments.exists()
    good = SimpleUploadedFile(
        "転入手続きの流れ.pdf", b"%PDF-1.4 ...", content_type="application/pdf"
    )
    client.post(reverse("bulletins:attachment_add", args=[article.pk]), {"file": good})
    attachment = article.attachments.get()
    assert attachment.original_name == "転入手続きの流れ.pdf"
    assert "転入手続きの流れ" not in attachment.file.name
    client.force_login(people.staff)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_article_form_has_the_plain_language_live_check(client, people, office):
    issue = services.issue_create(office=office, title="点検", by=people.editor)
    client.force_login(people.editor)
    page = client.get(reverse("bulletins:article_create", args=[issue.pk])).content.decode()
    assert page.count('data-plain-language="standard"') == 2  # title and body
    assert reverse("plain_language:live") in page
