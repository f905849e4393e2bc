"""An organiser's edit of a session (training.services.session_save, through HTTP): a cancelled
session moves nobody up, and the participants are told of a cancellation or of a new time or
place, by notification and e-mail."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from takatsu_portal.core.models import Notification
from training.models import Enrolment

State = Enrolment.State


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def _data(session, **changes):
    data = {
        "starts_at": _local(session.starts_at),
        "ends_at": _local(session.ends_at),
        "place": session.place,
        "online_url": session.online_url,
        "capacity": session.capacity,
        "instructor": session.instructor,
        "apply_by": _local(session.apply_by),
        "cancel_by": _local(session.cancel_by),
        "version": session.version,
    }
    if session.is_cancelled:
        data["is_cancelled"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


def _apply(client, session, *users):
    for user in users:
        client.force_login(user)
        client.post(reverse("training:apply", args=[session.pk]))


def _edit(client, people, session, django_capture_on_commit_callbacks, **changes):
    client.force_login(people.trainer)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training:session_edit", args=[session.pk]), _data(session, **changes)
        )
    assert response.status_code == 302, response.content.decode()
    return response


def _told(user):
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


def test_cancelling_moves_nobody_up_and_tells_everyone(
    client, session, people, django_capture_on_commit_callbacks
):
    _apply(client, session, people.staff, people.colleague, people.other_staff)
    # More seats and the cancellation in the same save: the waiting person stays waiting.
    _edit(
        client, people, session, django_capture_on_commit_callbacks, capacity=5, is_cancelled="on"
    )
    session.refresh_from_db()
    assert session.is_cancelled and session.capacity == 5
    assert Enrolment.objects.get(user=people.other_staff).state == State.WAITING
    for user in (people.staff, people.colleague, people.other_staff):
        messages = _told(user)
        assert len(messages) == 1 and "中止になりました" in messages[0]
        assert "繰り上がりました" not in messages[0]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (people.staff, people.colleague, people.other_staff)
    )


def test_a_cancelled_session_moves_nobody_up_when_a_seat_is_freed(
    client, session, people, django_capture_on_commit_callbacks
):
    _apply(client, session, people.staff, people.colleague, people.other_staff)
    _edit(client, people, session, django_capture_on_commit_callbacks, is_cancelled="on")
    session.refresh_from_db()
    confirmed = Enrolment.objects.get(user=people.staff)
    client.force_login(people.trainer)
    client.post(reverse("training:cancel", args=[confirmed.pk]))
    assert Enrolment.objects.get(user=people.staff).state == State.CANCELLED
    assert Enrolment.objects.get(user=people.other_staff).state == State.WAITING


def test_a_new_place_and_time_are_told_to_every_active_enrolment(
    client, session, people, django_capture_on_commit_callbacks
):
    _apply(client, session, people.staff, people.colleague, people.other_staff, people.subcommittee)
    # A waiting person who cancelled is not told (and frees no seat).
    Enrolment.objects.filter(user=people.subcommittee).update(state=State.CANCELLED)
    later = session.starts_at + timedelta(hours=1)
    _edit(
        client,
        people,
        session,
        django_capture_on_commit_callbacks,
        place="高津区役所 6階 大会議室",
        starts_at=_local(later),
        ends_at=_local(later + timedelta(hours=2)),
    )
    for user in (people.staff, people.colleague, people.other_staff):
        (message,) = _told(user)
        assert "変更されました" in message and "6階 大会議室" in message
        assert f"{timezone.localtime(later):%H:%M}" in message
    assert _told(people.subcommittee) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (people.staff, people.colleague, people.other_staff)
    )


def test_a_new_online_link_is_told(client, session, people, django_capture_on_commit_callbacks):
    _apply(client, session, people.staff)
    _edit(
        client,
        people,
        session,
        django_capture_on_commit_callbacks,
        online_url="https://meet.example.jp/kensyu-1",
    )
    (message,) = _told(people.staff)
    assert "https://meet.example.jp/kensyu-1" in message


def test_a_capacity_change_alone_tells_only_those_moved_up(
    client, session, people, django_capture_on_commit_callbacks
):
    _apply(client, session, people.staff, people.colleague, people.other_staff)
    _edit(client, people, session, django_capture_on_commit_callbacks, capacity=3)
    assert Enrolment.objects.get(user=people.other_staff).state == State.CONFIRMED
    messages = _told(people.other_staff)
    assert len(messages) == 1, messages
    assert "繰り上がりました" in messages[0]
    assert _told(people.staff) == [] and _told(people.colleague) == []
