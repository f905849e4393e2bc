"""The month calendar with holidays, the iCalendar feeds, the reminder of the working day
before (never twice), and the indicator sources registered with the floor."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.urls import reverse
from icalendar import Calendar

from takatsu_portal.core import indicators
from takatsu_portal.core.models import Notification
from tests.factories import OfficeFactory
from training import reminders
from training.indicators import CATEGORY_PARTICIPANTS, COMPLETION_RATE
from training.models import Category, Enrolment

from .factories import CourseFactory, SessionFactory

JST = ZoneInfo("Asia/Tokyo")


def at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=JST)


def dated_session(course, day, **kwargs):
    return SessionFactory(
        course=course,
        starts_at=at(day),
        apply_by=at(day - timedelta(days=7)),
        cancel_by=at(day - timedelta(days=3)),
        **kwargs,
    )


def test_month_calendar_marks_holidays_and_weekends_and_lists_sessions(client, course, people):
    dated_session(course, date(2026, 11, 24))
    client.force_login(people.staff)
    html = client.get(reverse("training:calendar_month", args=[2026, 11])).content.decode()
    assert "2026年11月" in html
    assert "文化の日" in html and "勤労感謝の日" in html
    assert course.title in html
    assert html.count(">休<") >= 8  # weekends and holidays
    assert client.get(reverse("training:calendar_month", args=[2026, 13])).status_code == 404


def test_session_ics_is_an_icalendar_event_outlook_can_read(client, session, people):
    client.force_login(people.staff)
    response = client.get(reverse("training:session_ics", args=[session.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == session.course.title
    assert event.decoded("dtstart") == session.starts_at.replace(microsecond=0)
    assert str(event["location"]) == session.place
    assert f"training-session-{session.pk}@" in str(event["uid"])


def test_my_ics_holds_only_my_sessions(client, course, session, people):
    other = SessionFactory(course=CourseFactory(office=course.office, organiser=people.trainer))
    Enrolment.objects.create(session=session, user=people.staff, state="confirmed")
    Enrolment.objects.create(session=other, user=people.colleague, state="confirmed")
    client.force_login(people.staff)
    cal = Calendar.from_ical(client.get(reverse("training:my_ics")).content)
    uids = [str(e["uid"]) for e in cal.walk("VEVENT")]
    assert len(uids) == 1 and f"session-{session.pk}@" in uids[0]


def test_reminder_on_friday_for_a_monday_session_and_never_twice(course, people):
    monday = date(2026, 11, 30)
    session = dated_session(course, monday)
    Enrolment.objects.create(session=session, user=people.staff, state="confirmed")
    Enrolment.objects.create(session=session, user=people.colleague, state="waiting")
    thursday = at(date(2026, 11, 26), 8)
    assert reminders.send_due_reminders(now=thursday) == 0
    friday = at(date(2026, 11, 27), 8)
    assert reminders.send_due_reminders(now=friday) == 1
    assert reminders.send_due_reminders(now=friday) == 0
    assert reminders.send_due_reminders(now=friday + timedelta(hours=3)) == 0
    told = Notification.objects.filter(message__contains="明日")
    assert [n.recipient for n in told] == [people.staff]


def test_no_reminder_runs_on_a_holiday(course, people):
    # 2026-11-23 is 勤労感謝の日 (a Monday): the session on Tuesday is reminded on the Friday.
    session = dated_session(course, date(2026, 11, 24))
    Enrolment.objects.create(session=session, user=people.staff, state="confirmed")
    assert reminders.send_due_reminders(now=at(date(2026, 11, 23), 8)) == 0
    assert reminders.send_due_reminders(now=at(date(2026, 11, 20), 8)) == 1


def test_reminder_task_runs_through_celery(course, people):
    from training.tasks import send_reminders

    assert send_reminders.delay().get() >= 0


def test_completion_rate_source_is_registered_and_counts_the_period(
    office, course, people, sections
):
    source = indicators.get(COMPLETION_RATE)
    assert source is not None and source.unit == "%"
    s1 = dated_session(course, date(2026, 6, 10), capacity=10)
    for user, done in ((people.staff, True), (people.colleague, False), (people.other_staff, True)):
        Enrolment.objects.create(
            session=s1, user=user, state="confirmed", completed_on=s1.day if done else None
        )
    dated_session(course, date(2025, 6, 10))  # another fiscal year, no participants
    value = source.value(
        str(course.pk), section=None, starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31)
    )
    assert value == Decimal("66.7")
    kumin = source.value(
        course.pk, section=sections.kumin, starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31)
    )
    assert kumin == Decimal("50.0")
    assert (
        source.value(course.pk, section=None, starts_on=date(2025, 4, 1), ends_on=date(2026, 3, 31))
        is None
    )
    with_office = source.value(
        course.pk,
        section=None,
        starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31),
        office=office,
    )
    assert with_office == Decimal("66.7")
    assert list(source.options(office)) == [course]
    assert source.option_label(course) == course.title


def test_category_participants_source_counts_each_person_once(office, course, people):
    source = indicators.get(CATEGORY_PARTICIPANTS)
    assert source.unit == "人"
    for day in (date(2026, 5, 1), date(2026, 9, 1)):
        s = dated_session(course, day)
        Enrolment.objects.create(session=s, user=people.staff, state="confirmed", completed_on=day)
    s = dated_session(
        CourseFactory(office=office, category=Category.SECURITY, organiser=people.trainer),
        date(2026, 5, 1),
    )
    Enrolment.objects.create(
        session=s, user=people.colleague, state="confirmed", completed_on=s.day
    )
    value = source.value(
        Category.SERVICE.value, section=None, starts_on=date(2026, 4, 1), ends_on=date(2027, 3, 31)
    )
    assert value == Decimal(1)
    other_office = source.value(
        Category.SERVICE.value,
        section=None,
        starts_on=date(2026, 4, 1),
        ends_on=date(2027, 3, 31),
        office=OfficeFactory(code="miyamae", name="宮前区役所"),
    )
    assert other_office == Decimal(0)
    options = list(source.options(office))
    assert [o.pk for o in options] == list(Category.values)
    assert source.option_label(options[0]) == "接遇・窓口対応"


def test_council_report_builds_with_sessions_satisfaction_and_compliance(office, course, people):
    from training.models import Evaluation, Requirement
    from training.report_kinds import build_council

    s = dated_session(course, date(2026, 6, 10))
    e = Enrolment.objects.create(
        session=s, user=people.staff, state="confirmed", attendance="present", completed_on=s.day
    )
    Evaluation.objects.create(enrolment=e, satisfaction=4, usefulness=5)
    Requirement.objects.create(office=office, title="接遇（全職員）", audience="all", course=course)
    built = build_council({"fiscal_year": 2026, "office": office.pk})
    assert "研修実施状況報告書" in built.html
    assert "課ごとの必修研修の受講状況" in built.html
    assert course.title in built.html and "4.00" in built.html
    assert built.facts == {"fiscal_year": 2026, "sessions": 1, "participants": 1}
