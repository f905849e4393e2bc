"""The bulletin's workflows: write, publish (now or at a set time), edit a published article
(keeping every version), read, confirm, attach files, and remind."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator

from takatsu_portal.core import attention
from takatsu_portal.core.calendar import working_days_before
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.notifications.bulk import Notice, notify_bulk
from takatsu_portal.core.uploads import validate_upload
from takatsu_portal.core.versioning import ConflictError, save_versioned  # noqa: F401

from . import text
from .models import (
    SEARCH_FIELDS,
    Article,
    Attachment,
    AudienceNotice,
    Importance,
    Issue,
    Reminder,
)
from .status import marks_changed

# ---------------------------------------------------------------------------------------------
# Issues


def issue_create(*, office, title, kind=Issue.Kind.REGULAR, by):
    issue = Issue(office=office, title=title, kind=kind, created_by=by)
    return save_versioned(issue, by=by)


def _next_number(issue, fiscal_year):
    last = (
        Issue.objects.for_office(issue.office_id)
        .filter(fiscal_year=fiscal_year, kind=issue.kind)
        .aggregate(last=Max("number"))["last"]
    )
    return (last or 0) + 1


def issue_publish(*, issue, by, at=None, expected_version=None):
    """Publish now (the issue gets its number: 第N号 of the office's fiscal year), or schedule
    it for `at` (the beat task publishes it then). An issue needs at least one article."""
    now = timezone.now()
    if issue.state == Issue.State.PUBLISHED:
        raise ValidationError("この号はすでに公開されています。")
    if not issue.articles.exists():
        raise ValidationError("記事が1件もない号は公開できません。")
    if at is not None and at > now:
        issue.state = Issue.State.SCHEDULED
        issue.publish_at = at
        return save_versioned(issue, by=by, expected_version=expected_version, reason="公開を予約")
    return _publish_now(issue, by=by, now=now, expected_version=expected_version)


def _publish_now(issue, *, by, now, expected_version=None, reason="公開", tell=True):
    """Number and publish the issue; with `tell` (always, but for the demo's back-dated
    issues) its audience is told in the same transaction (audience_notify)."""
    with transaction.atomic():
        # One publication at a time per office: numbers are given in order, never twice.
        Issue._base_manager.select_for_update().filter(pk=issue.pk).first()
        fiscal_year = FiscalYear.of(timezone.localdate(now)).year
        issue.fiscal_year = fiscal_year
        issue.number = _next_number(issue, fiscal_year)
        issue.state = Issue.State.PUBLISHED
        issue.published_at = now
        issue.publish_at = issue.publish_at or now
        save_versioned(issue, by=by, expected_version=expected_version, reason=reason)
        if tell:
            audience_notify(issue=issue)
    return issue


def issue_unschedule(*, issue, by, expected_version=None):
    if issue.state != Issue.State.SCHEDULED:
        raise ValidationError("公開予約されていない号です。")
    issue.state = Issue.State.DRAFT
    issue.publish_at = None
    return save_versioned(issue, by=by, expected_version=expected_version, reason="公開予約を取消")


def publish_due(*, now=None):
    """Publish every scheduled issue whose time has come (Celery beat, every minute). Each in
    its own transaction; an issue already published by a parallel run is left alone."""
    now = now or timezone.now()
    published = []
    for pk in Issue.objects.due(now).values_list("pk", flat=True):
        with transaction.atomic():
            issue = Issue.objects.select_for_update().filter(pk=pk).first()
            if issue is None or issue.state != Issue.State.SCHEDULED:
                continue
            _publish_now(issue, by=issue.created_by, now=now, reason="予約により公開")
            published.append(issue)
    return published


# ---------------------------------------------------------------------------------------------
# Articles


def index_article(article):
    """Keep the article's search columns: the normalised title and text (title, body and the
    attachments' names); on PostgreSQL the bigram index follows the text by itself."""
    names = " ".join(article.attachments.values_list("original_name", flat=True))
    title = text.normalise(article.title)
    whole = text.normalise("\n".join([article.title, text.plain_text(article.body_html), names]))
    Article._base_manager.filter(pk=article.pk).update(search_title=title, search_text=whole)
    article.search_title, article.search_text = title, whole


def article_save(
    *,
    article,
    by,
    audience=None,
    expected_version=None,
    reconfirm=False,
    change_note="",
    upload=None,
):
    """Create or change an article. The body is rendered and sanitised once here. A change to
    a published article is a new revision that readers see as 「更新あり」 with `change_note`;
    with `reconfirm` a required article needs everyone's confirmation again."""
    if article.required and article.confirm_by is None:
        raise ValidationError({"confirm_by": "必読の記事には確認期限を入れてください。"})
    if article.pk is not None and article.issue.is_published:
        if not change_note.strip():
            raise ValidationError(
                {"change_note": "公開済みの記事を更新するときは、変更内容を書いてください。"}
            )
        article.revision += 1
        article.revised_at = timezone.now()
        article.change_note = change_note.strip()
        if reconfirm and article.required:
            article.confirm_revision = article.revision
    stored = validate_upload(upload) if upload is not None else None
    article.body_html = text.render_markdown(article.body)
    if article.pk is None:
        article.created_by = by
        if not article.order:
            last = article.issue.articles.aggregate(last=Max("order"))["last"]
            article.order = (last or 0) + 1
    reason = article.change_note if article.issue.is_published else ""
    needs_notice = article.pk is not None and article.issue.is_published and reconfirm
    needs_notice = needs_notice and article.required
    with transaction.atomic():
        save_versioned(article, by=by, expected_version=expected_version, reason=reason)
        if audience is not None:
            article.audience_departments.set(audience.get("departments", []))
            article.audience_sections.set(audience.get("sections", []))
            article.audience_roles.set(audience.get("roles", []))
        if stored is not None:
            _attach(article, stored, by=by)
        index_article(article)
        if needs_notice:
            audience_notify(issue=article.issue, articles=[article], revised=True)
    return article


def _attach(article, stored, *, by):
    name, content_type, content = stored
    attachment = Attachment(
        article=article,
        original_name=name,
        content_type=content_type,
        size=content.size,
        uploaded_by=by,
    )
    attachment.file.save("upload", content, save=False)
    attachment.save()
    return attachment


def attachment_add(*, article, upload, by):
    with transaction.atomic():
        attachment = _attach(article, validate_upload(upload), by=by)
        index_article(article)
    return attachment


def attachment_delete(*, attachment, by):
    article = attachment.article
    with transaction.atomic():
        attachment.file.delete(save=False)
        attachment.delete()
        index_article(article)


def article_delete(*, article, by):
    if article.issue.is_published:
        raise ValidationError("公開済みの号の記事は削除できません。")
    for attachment in article.attachments.all():
        attachment.file.delete(save=False)
    article._history_user = by
    article.delete()
    attention.changed(office=article.issue.office_id)


# ---------------------------------------------------------------------------------------------
# Telling the audience

TITLE_CHARS = 60


def _due(day):
    return f"{day.month}月{day.day}日"


def _tags(articles):
    tags = []
    if any(a.importance == Importance.URGENT for a in articles):
        tags.append("緊急")
    if any(a.required for a in articles):
        tags.append("必読")
    return f"【{'・'.join(tags)}】" if tags else ""


def _notice(issue, articles, *, revised):
    """What one person is told, where it links, and whether it is mailed too (a required or an
    urgent article among theirs)."""
    mail = any(a.required or a.importance == Importance.URGENT for a in articles)
    if len(articles) == 1:
        article = articles[0]
        title = Truncator(article.title).chars(TITLE_CHARS)
        if revised:
            note = Truncator(article.change_note).chars(TITLE_CHARS)
            message = (
                f"{_tags(articles)}情報紙の記事「{title}」が更新されました（{note}）。"
                f"もう一度読んで、{_due(article.confirm_by)}までに「確認しました」を押してください。"
            )
        else:
            message = f"{_tags(articles)}情報紙{issue.label}「{title}」が公開されました。"
            if article.required:
                message += (
                    f"{_due(article.confirm_by)}までに読んで「確認しました」を押してください。"
                )
        return message, article.get_absolute_url(), mail
    required = sum(1 for a in articles if a.required)
    message = (
        f"{_tags(articles)}情報紙{issue.label}「{Truncator(issue.title).chars(TITLE_CHARS)}」が"
        f"公開されました。あなたに向けた記事が{len(articles)}件あります"
        + (f"（うち必読{required}件）。" if required else "。")
    )
    return message, issue.get_absolute_url(), mail


def audience_notify(*, issue, articles=None, revised=False):
    """Tell everyone in the audience of `articles` (by default every article of the issue)
    that the current version of the articles is out: one notification per person (naming the
    article when only one is theirs, else counting them, linking to it or to the issue) on the
    home page, mailed too when one of theirs is required or urgent. Once per person and article
    version: an AudienceNotice is kept for each (article, person, revision) told, and those
    already told are left out; the caller's transaction holds the issue's or the article's
    version lock, so two runs cannot tell the same people.

    A fixed number of queries whatever the audience's size: one per article for its audience,
    then two bulk inserts (notices and notifications). Returns the number of people told."""
    from .status import audience_of

    if articles is None:
        articles = list(issue.articles.defer(*SEARCH_FIELDS).order_by("order", "id"))
    per_person = {}
    for article in articles:
        told = article.notices.filter(revision=article.revision)
        people = audience_of(article).exclude(pk__in=told.values("user_id"))
        for user_id in people.values_list("pk", flat=True):
            per_person.setdefault(user_id, []).append(article)
    records, notices, worded = [], [], {}
    for user_id, theirs in per_person.items():
        key = tuple(a.pk for a in theirs)  # most people share a few sets of articles
        if key not in worded:
            worded[key] = _notice(issue, theirs, revised=revised)
        message, url, mail = worded[key]
        notices.append(Notice(recipient_id=user_id, message=message, url=url, email=mail))
        records += [
            AudienceNotice(article=a, user_id=user_id, revision=a.revision, emailed=mail)
            for a in theirs
        ]
    AudienceNotice.objects.bulk_create(records, batch_size=1000)
    notify_bulk(notices)
    return len(notices)


# ---------------------------------------------------------------------------------------------
# Reading and confirming


def article_mark_read(*, article, user):
    """Record that `user` opened the article (its current revision). Only for the article's
    audience and only once it is published; returns the read mark or None. The person's
    home-page list is computed again only when what it counts changed: a first read, or a read
    of a new revision (not every later view of the article)."""
    if not article.issue.is_published or not article.is_for(user):
        return None
    now = timezone.now()
    mark, created = article.reads.get_or_create(
        user=user,
        defaults={"revision": article.revision, "first_read_at": now, "read_at": now},
    )
    news = created or mark.revision != article.revision
    if not created:
        article.reads.filter(pk=mark.pk).update(revision=article.revision, read_at=now)
        mark.revision, mark.read_at = article.revision, now
    marks_changed(article)  # its 閲覧状況 shows the read time
    if news:
        attention.changed(users=[user])
    return mark


def article_confirm(*, article, user):
    """「確認しました」: once per confirmation revision, only by someone in the audience, only
    for a published required article. A second click (or a forged repeat) records nothing new.
    Returns (confirmation, created)."""
    if not article.issue.is_published or not article.required:
        raise ValidationError("この記事は確認の対象ではありません。")
    if not article.is_for(user):
        raise PermissionDenied("この記事の対象者ではないため、確認を記録できません。")
    revision = article.confirm_revision
    existing = article.confirmations.filter(user=user, revision=revision).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            confirmation = article.confirmations.create(
                user=user, revision=revision, confirmed_at=timezone.now()
            )
    except IntegrityError:  # the other click of a double click got there first
        return article.confirmations.get(user=user, revision=revision), False
    marks_changed(article)
    attention.changed(users=[user])
    article_mark_read(article=article, user=user)
    return confirmation, True


# ---------------------------------------------------------------------------------------------
# Reminders


def reminder_days(office=None):
    """Working days before a confirm-by date that readers are reminded: the office's own
    setting (Office.bulletin_reminder_days), else BULLETIN_REMINDER_DAYS."""
    if office is not None:
        return office.bulletin_reminder_working_days
    return getattr(settings, "BULLETIN_REMINDER_DAYS", 3)


def send_reminders(*, today=None):
    """Remind everyone in the audience of a required article who has not confirmed its current
    version: `BULLETIN_REMINDER_DAYS` working days before its confirm-by date (until that date)
    and once after it. Each (article, person, kind, confirmation revision) is sent once
    whatever the schedule does: the article's row is locked while its reminders are written,
    so a parallel run waits and then finds them, and the Reminder rows (under a unique key)
    are written in the same transaction as the notifications. A new version that needs
    confirmation again starts a fresh cycle. Per article a fixed number of queries, whatever
    the audience's size (bulk inserts)."""
    from .status import audience_of

    today = today or timezone.localdate()
    sent = 0
    candidates = (
        Article.objects.published()
        .required()
        .filter(confirm_by__isnull=False, confirm_by__gte=today - timedelta(days=60))
        .values_list("pk", flat=True)
    )
    for pk in candidates:
        with transaction.atomic():
            article = (
                Article.objects.select_for_update(of=("self",))
                .select_related("issue__office")
                .defer(*SEARCH_FIELDS)
                .get(pk=pk)
            )
            days = reminder_days(article.issue.office)
            if today > article.confirm_by:
                kind = Reminder.Kind.OVERDUE
            elif today >= working_days_before(article.confirm_by, days):
                kind = Reminder.Kind.BEFORE
            else:
                continue
            revision = article.confirm_revision
            confirmed = article.confirmations.filter(revision=revision)
            reminded = article.reminders.filter(kind=kind, revision=revision)
            people = list(
                audience_of(article)
                .exclude(pk__in=confirmed.values("user_id"))
                .exclude(pk__in=reminded.values("user_id"))
                .values_list("pk", flat=True)
            )
            if not people:
                continue
            message, url = _reminder_message(article, kind), article.get_absolute_url()
            Reminder.objects.bulk_create(
                [
                    Reminder(article=article, user_id=u, kind=kind, revision=revision)
                    for u in people
                ],
                batch_size=1000,
            )
            notify_bulk(
                Notice(recipient_id=u, message=message, url=url, email=True) for u in people
            )
            sent += len(people)
    return sent


def _reminder_message(article, kind):
    due = _due(article.confirm_by)
    title = Truncator(article.title).chars(TITLE_CHARS)
    if kind == Reminder.Kind.OVERDUE:
        return (
            f"情報紙の必読記事「{title}」の確認期限（{due}）が過ぎています。"
            "記事を読んで「確認しました」を押してください。"
        )
    return (
        f"情報紙の必読記事「{title}」の確認期限は{due}です。"
        "記事を読んで「確認しました」を押してください。"
    )
