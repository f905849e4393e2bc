"""iCalendar (.ics) of sessions, with the `icalendar` library, so that a session (or all of a
person's sessions) appears in Outlook. Each event's UID is stable per session, so importing the
file again updates the event instead of adding a copy."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from takatsu_portal.core.downloads import attachment

PRODID = "-//Takatsu Service Portal//Training//JA"


def _event(session):
    event = Event()
    event.add(
        "uid", f"training-session-{session.pk}@{getattr(settings, 'ICAL_DOMAIN', 'takatsu-portal')}"
    )
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    title = session.course.title
    if session.is_cancelled:
        title = f"【中止】{title}"
        event.add("status", "CANCELLED")
    event.add("summary", title)
    if session.place or session.online_url:
        event.add("location", session.place or session.online_url)
    description = [f"講師：{session.instructor}"]
    if session.online_url:
        description.append(f"オンライン：{session.online_url}")
    event.add("description", "\n".join(description))
    event.add("sequence", session.version)
    return event


def calendar_bytes(sessions, *, name):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("method", "PUBLISH")
    for session in sessions:
        cal.add_component(_event(session))
    return cal.to_ical()


def ics_response(content, filename, filename_ja):
    return attachment(
        content,
        content_type="text/calendar; charset=utf-8",
        filename=filename,
        filename_ja=filename_ja,
    )
