"""The bulletin's part of `manage.py seed_demo`: 「たかつ窓口通信」 of 2026 (twelve monthly issues
of five articles, published on the first working day of each month, and one 臨時号), the
January 2027 issue scheduled for the first working day after the year-end closure, and who
read and confirmed what.

Two articles are required reading: the October change to the My Number card hand-over (all
staff, its confirm-by date past: most confirmed, a few overdue and reminded) and the December
article on the new health-insurance cards (four sections, confirm-by date ahead: about half
confirmed, `staff` has read it but not yet confirmed, so the home page shows it). Other
articles were read by a share of staff that falls with the article's age.

Issues are found by office and title: an existing one is left as it is, so a second run writes
nothing. Read and confirmation times come from a fixed random seed."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from bulletins import services
from bulletins.models import Article, Confirmation, Issue, ReadMark, Reminder
from bulletins.status import audience_of, marks_changed
from takatsu_portal.accounts.models import Office, Section, User
from takatsu_portal.core.calendar import is_closed, working_days_before

from .data import bulletins as data
from .data.accounts import OFFICE_CODE
from .writer import Tally

EDITOR = "editor"
READ_SEED = 20261001
# Share of the audience that confirmed a required article, by section (the rest read it or not).
CONFIRM_SHARE = {"区民課": 0.8, "保険年金課": 0.7, "総務課": 0.95, "企画課": 1.0}
DEFAULT_CONFIRM_SHARE = 0.75
# Demo accounts whose state is fixed, so that each role sees something on its pages.
FIXED = {
    # (article title, username) → "confirmed" / "read" / "unread"
    ("マイナ保険証への移行に伴う窓口案内", "staff"): "read",
    ("マイナ保険証への移行に伴う窓口案内", "wglead"): "unread",
    ("マイナンバーカードの交付手順の変更", "staff"): "confirmed",
}


def _first_working_day(year, month, day=1):
    current = datetime(year, month, day).date()
    while is_closed(current):
        current += timedelta(days=1)
    return current


def _at(day, hour=8, minute=30):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _article(issue, seed, order, *, by):
    article = Article(
        issue=issue,
        order=order,
        title=seed.title,
        body=seed.body,
        category=seed.category,
        importance=seed.importance,
        required=seed.required,
    )
    audience = None
    if seed.sections:
        article.audience_all = False
        audience = {"sections": list(Section.objects.filter(name__in=seed.sections))}
    if seed.required:
        # The confirm-by date counts from the issue's publication (the first working day).
        article.confirm_by = issue.publish_at.date() + timedelta(days=seed.confirm_days)
    return services.article_save(article=article, by=by, audience=audience)


def _make_issue(office, title, kind, seeds, publish_on, *, by, tallies, hour=8, minute=30):
    issues, articles = tallies
    if Issue.objects.filter(office=office, title=title).exists():
        issues.unchanged += 1
        articles.unchanged += len(seeds)
        return None
    issue = services.issue_create(office=office, title=title, kind=kind, by=by)
    issue.publish_at = _at(publish_on, hour, minute)
    for order, seed in enumerate(seeds, start=1):
        _article(issue, seed, order, by=by)
        articles.created += 1
    when = issue.publish_at
    if when > timezone.now():
        services.issue_publish(issue=issue, by=by, at=when)
    else:
        # Back-dated: its audience was told when it came out, not now (no notifications).
        services._publish_now(issue, by=by, now=when, tell=False)
    issues.created += 1
    return issue


def seed_bulletins(sections):
    office = Office.objects.get(code=OFFICE_CODE)
    editor = User.objects.get(username=EDITOR)
    issues, articles, marks = Tally("情報紙の号"), Tally("情報紙の記事"), Tally("既読・確認")
    made = []
    extra_year, extra_month, extra_day, extra_title, extra_article = data.EXTRA
    for year, month, title, seeds in data.ISSUES:
        issue = _make_issue(
            office,
            title,
            Issue.Kind.REGULAR,
            seeds,
            _first_working_day(year, month),
            by=editor,
            tallies=(issues, articles),
        )
        if issue is not None:
            made.append(issue)
        if (year, month) == (extra_year, extra_month):
            issue = _make_issue(
                office,
                extra_title,
                Issue.Kind.EXTRA,
                [extra_article],
                _first_working_day(extra_year, extra_month, extra_day),
                by=editor,
                tallies=(issues, articles),
                hour=12,
                minute=0,
            )
            if issue is not None:
                made.append(issue)
    year, month, day, title, seeds = data.SCHEDULED
    _make_issue(
        office,
        title,
        Issue.Kind.REGULAR,
        seeds,
        _first_working_day(year, month, day),
        by=editor,
        tallies=(issues, articles),
    )
    if made:
        _revise(editor)
        _reads(made, marks)
    else:
        marks.unchanged += 1
    return [issues, articles, marks]


def _revise(editor):
    """One published article corrected after publication without a new confirmation (a typo),
    so readers see 「更新あり」 and its history."""
    article = Article.objects.filter(title="マイナンバーカードの交付手順の変更").first()
    if article is None or article.revision > 1:
        return
    article.body = article.body.replace(
        "予約サイト", "区役所の予約サイト（ポータルの「手続き予約」）"
    )
    services.article_save(
        article=article,
        by=editor,
        expected_version=article.version,
        reconfirm=False,
        change_note="予約サイトの名称を正しく直しました（手続きの内容は変わりません）",
    )


def _reads(issues, tally):
    """Read marks and confirmations of the issues just published, with reminders as the beat
    would have sent them for the required articles."""
    rng = random.Random(READ_SEED)  # noqa: S311  (demo data, not a secret)
    now = timezone.now()
    reads, confirmations, reminders = [], [], []
    articles = (
        Article.objects.filter(issue__in=issues, issue__state=Issue.State.PUBLISHED)
        .select_related("issue")
        .order_by("issue__published_at", "order")
    )
    for article in articles:
        published = article.issue.published_at
        age_days = (now - published).days
        audience = list(audience_of(article).select_related("section"))
        for person in audience:
            state = FIXED.get((article.title, person.username))
            if state is None:
                if article.required:
                    share = CONFIRM_SHARE.get(person.section.name, DEFAULT_CONFIRM_SHARE)
                    draw = rng.random()
                    state = (
                        "confirmed" if draw < share else "read" if draw < share + 0.1 else "unread"
                    )
                else:
                    read_share = max(0.35, 0.9 - age_days / 400)
                    state = "read" if rng.random() < read_share else "unread"
            if state == "unread":
                continue
            read_at = _office_hours(published, rng, now)
            reads.append(
                ReadMark(
                    article=article,
                    user=person,
                    revision=article.revision if rng.random() < 0.7 else 1,
                    first_read_at=read_at,
                    read_at=read_at,
                )
            )
            if state == "confirmed" and article.required:
                confirmations.append(
                    Confirmation(
                        article=article,
                        user=person,
                        revision=article.confirm_revision,
                        confirmed_at=min(read_at + timedelta(minutes=rng.uniform(1, 20)), now),
                    )
                )
        if article.required:
            reminders.extend(_reminders_sent(article, audience, confirmations, now))
    ReadMark.objects.bulk_create(reads, ignore_conflicts=True)
    Confirmation.objects.bulk_create(confirmations, ignore_conflicts=True)
    for article in articles:  # written without the services: their 閲覧状況 made again
        marks_changed(article)
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
    tally.created += len(reads) + len(confirmations)


def _office_hours(published, rng, now):
    """A moment on one of the first working days after publication, between 8:30 and 17:15
    (staff read the bulletin at work), never later than now."""
    day = timezone.localdate(published)
    for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3, 5])):
        day += timedelta(days=1)
        while is_closed(day):
            day += timedelta(days=1)
    moment = _at(day, 8, 30) + timedelta(minutes=rng.uniform(0, 525))
    return min(max(moment, published + timedelta(minutes=5)), now)


def _reminders_sent(article, audience, confirmations, now):
    """The reminders the beat would have sent by now to those who had not confirmed."""
    confirmed = {c.user_id for c in confirmations if c.article_id == article.pk}
    today = timezone.localdate(now)
    kinds = []
    days = services.reminder_days(article.issue.office)
    if today >= working_days_before(article.confirm_by, days):
        kinds.append(Reminder.Kind.BEFORE)
    if today > article.confirm_by:
        kinds.append(Reminder.Kind.OVERDUE)
    return [
        Reminder(article=article, user=person, kind=kind, revision=article.confirm_revision)
        for person in audience
        if person.pk not in confirmed
        for kind in kinds
    ]
