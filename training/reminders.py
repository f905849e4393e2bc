"""The reminder of the working day before: on the last working day before a session (Friday
for a Monday session, the day before a holiday weekend...), every confirmed participant is told
once. "Once" is the session's `reminder_sent_at`, claimed by a conditional UPDATE before the
notifications are written, so that two runs of the task (beat twice, a retry) never send twice."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from takatsu_portal.core.calendar import is_closed, previous_working_day
from takatsu_portal.core.notifications.bulk import Notice, notify_bulk

from .models import Enrolment, Session


def sessions_to_remind(day):
    """Sessions whose last working day before is `day`: those starting after `day` and before
    the next working day's end."""
    following = day + timedelta(days=1)
    while is_closed(following):
        following += timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    end = datetime.combine(following + timedelta(days=1), time.min, tzinfo=tz)
    return Session.objects.filter(
        starts_at__gte=start, starts_at__lt=end, is_cancelled=False, reminder_sent_at__isnull=True
    )


def send_due_reminders(now=None):
    """Remind the participants of tomorrow's sessions (counting working days). Runs on working
    days only; returns the number of notifications."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    if previous_working_day(day) != day:
        return 0
    sent = 0
    for session in sessions_to_remind(day).select_related("course"):
        with transaction.atomic():
            claimed = Session.objects.filter(pk=session.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if not claimed:
                continue
            local = timezone.localtime(session.starts_at)
            message = (
                f"【明日（{local:%m月%d日 %H:%M}〜）の研修】「{session.course.title}」"
                f"会場：{session.where or '—'}"
            )[:300]
            url = session.get_absolute_url()
            # One INSERT for every participant of the session, their mails queued after the
            # commit (notify_bulk).
            sent += len(
                notify_bulk(
                    Notice(recipient_id=user_id, message=message, url=url, email=True)
                    for user_id in Enrolment.objects.filter(
                        session=session, state=Enrolment.State.CONFIRMED
                    ).values_list("user_id", flat=True)
                )
            )
    return sent
