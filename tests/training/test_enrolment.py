"""Applying, the waiting list, approval, cancellation and deadlines, through HTTP."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.models import Notification
from tests.factories import UserFactory
from training.models import Course, Enrolment

from .factories import SessionFactory

State = Enrolment.State


def apply(client, user, session):
    client.force_login(user)
    return client.post(reverse("training:apply", args=[session.pk]), follow=True)


def states(session):
    return list(
        Enrolment.objects.filter(session=session)
        .order_by("applied_at", "id")
        .values_list("user__username", "state")
    )


def test_applicants_take_seats_then_wait_in_order(client, session, people):
    for user in (people.staff, people.colleague, people.other_staff):
        response = apply(client, user, session)
        assert response.status_code == 200
    assert states(session) == [
        ("staff", State.CONFIRMED),
        ("colleague", State.CONFIRMED),
        ("other", State.WAITING),
    ]
    assert "キャンセル待ちで受け付けました" in response.content.decode()
    assert Notification.objects.filter(
        recipient=people.other_staff, message__contains="キャンセル待ち（1番目）"
    ).exists()


def test_cancelling_moves_the_first_waiting_person_up_and_tells_them(client, session, people):
    third = UserFactory(section=people.staff.section, roles=[Role.STAFF])
    for user in (people.staff, people.colleague, people.other_staff, third):
        apply(client, user, session)
    mine = Enrolment.objects.get(session=session, user=people.staff)
    client.force_login(people.staff)
    response = client.post(reverse("training:cancel", args=[mine.pk]), {"reason": "窓口の応援"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.state == State.CANCELLED
    assert {u: s for u, s in states(session) if u != "staff"} == {
        "colleague": State.CONFIRMED,
        "other": State.CONFIRMED,
        third.username: State.WAITING,
    }
    assert Notification.objects.filter(
        recipient=people.other_staff, message__contains="繰り上がりました"
    ).exists()
    assert not Notification.objects.filter(
        recipient=third, message__contains="繰り上がりました"
    ).exists()


def test_nobody_applies_twice_to_a_course(client, course, session, people):
    other = SessionFactory(course=course, starts_at=session.starts_at + timedelta(days=7))
    apply(client, people.staff, session)
    response = apply(client, people.staff, session)
    assert "既に申し込んでいます" in response.content.decode()
    response = apply(client, people.staff, other)
    assert "別の回に申し込んでいます" in response.content.decode()
    assert Enrolment.objects.filter(user=people.staff).count() == 1


def test_application_after_the_deadline_is_refused_with_a_reason(client, course, people):
    late = SessionFactory(
        course=course,
        starts_at=timezone.now() + timedelta(days=2),
        apply_by=timezone.now() - timedelta(hours=1),
    )
    response = apply(client, people.staff, late)
    assert "申込締切" in response.content.decode()
    assert "過ぎているため、申し込めません" in response.content.decode()
    assert not Enrolment.objects.filter(session=late).exists()


def test_cancellation_after_its_deadline_becomes_a_request_to_the_organiser(client, course, people):
    session = SessionFactory(
        course=course,
        starts_at=timezone.now() + timedelta(days=2),
        apply_by=timezone.now() + timedelta(days=1),
        cancel_by=timezone.now() - timedelta(hours=1),
    )
    apply(client, people.staff, session)
    apply(client, people.colleague, session)
    session.capacity = 1
    session.save()
    enrolment = Enrolment.objects.get(user=people.staff)
    client.force_login(people.staff)
    response = client.post(reverse("training:cancel", args=[enrolment.pk]), follow=True)
    assert "取消の依頼を研修担当に送りました" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.state == State.CONFIRMED and enrolment.cancel_requested_at
    assert Notification.objects.filter(
        recipient=people.trainer, message__contains="取消締切後の取消依頼"
    ).exists()
    # The organiser grants it: the seat goes to the first waiting person.
    client.force_login(people.trainer)
    client.post(reverse("training:cancel", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.state == State.CANCELLED
    assert Enrolment.objects.get(user=people.colleague).state == State.CONFIRMED


def test_a_colleague_cannot_cancel_someone_elses_place(client, session, people):
    apply(client, people.staff, session)
    enrolment = Enrolment.objects.get(user=people.staff)
    client.force_login(people.colleague)
    response = client.post(reverse("training:cancel", args=[enrolment.pk]))
    assert response.status_code == 403
    assert "本人と研修担当" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.state == State.CONFIRMED


def test_manager_approval_places_the_applicant_and_only_their_own_manager_may(
    client, course, session, people
):
    course.needs_approval = True
    course.save()
    apply(client, people.staff, session)
    enrolment = Enrolment.objects.get(user=people.staff)
    assert enrolment.state == State.PENDING
    client.force_login(people.other_manager)
    response = client.post(reverse("training:decide", args=[enrolment.pk]), {"decision": "approve"})
    assert response.status_code == 403
    client.force_login(people.manager)
    assert people.staff.full_name in client.get(reverse("training:approvals")).content.decode()
    response = client.post(reverse("training:decide", args=[enrolment.pk]), {"decision": "approve"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.state == State.CONFIRMED and enrolment.decided_by == people.manager
    assert Notification.objects.filter(recipient=people.staff, message__contains="確定").exists()


def test_manager_refusal_tells_the_applicant(client, course, session, people):
    course.needs_approval = True
    course.save()
    apply(client, people.staff, session)
    enrolment = Enrolment.objects.get(user=people.staff)
    client.force_login(people.manager)
    client.post(reverse("training:decide", args=[enrolment.pk]), {"decision": "refuse"})
    enrolment.refresh_from_db()
    assert enrolment.state == State.REFUSED
    assert Notification.objects.filter(
        recipient=people.staff, message__contains="承認されませんでした"
    ).exists()


def test_staff_cannot_apply_to_a_nominated_course(client, course, session, people):
    course.kind = Course.Kind.NOMINATED
    course.save()
    response = apply(client, people.staff, session)
    assert "指名研修には申し込めません" in response.content.decode()


def test_organiser_nominates_a_whole_section_and_skips_those_already_named(
    client, course, session, people, sections
):
    course.kind = Course.Kind.NOMINATED
    course.save()
    session.capacity = 3
    session.save()
    client.force_login(people.trainer)
    response = client.post(
        reverse("training:nominate", args=[session.pk]), {"people": [people.staff.pk]}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("training:nominate", args=[session.pk]), {"section": sections.kumin.pk}, follow=True
    )
    kumin = set(sections.kumin.members.filter(is_active=True).values_list("username", flat=True))
    named = dict(states(session))
    assert set(named) == kumin
    assert sum(1 for s in named.values() if s == State.CONFIRMED) == 3
    assert "既に申込み・指名済みの1名" in response.content.decode()
    told = Notification.objects.filter(recipient=people.colleague, message__contains="指名")
    assert told.exists()


def test_a_manager_nominates_only_their_own_section(client, course, session, people):
    course.kind = Course.Kind.NOMINATED
    course.save()
    client.force_login(people.manager)
    page = client.get(reverse("training:nominate", args=[session.pk])).content.decode()
    assert people.staff.full_name in page
    assert people.other_staff.full_name not in page
    response = client.post(
        reverse("training:nominate", args=[session.pk]), {"people": [people.other_staff.pk]}
    )
    assert response.status_code == 400
    assert not Enrolment.objects.filter(user=people.other_staff).exists()


def test_named_person_asks_to_move_and_the_organiser_moves_them(client, course, session, people):
    course.kind = Course.Kind.NOMINATED
    course.save()
    later = SessionFactory(course=course, starts_at=session.starts_at + timedelta(days=7))
    client.force_login(people.trainer)
    client.post(reverse("training:nominate", args=[session.pk]), {"people": [people.staff.pk]})
    enrolment = Enrolment.objects.get(user=people.staff)
    client.force_login(people.staff)
    response = client.post(
        reverse("training:request_move", args=[enrolment.pk]),
        {"to_session": later.pk, "reason": "窓口当番"},
    )
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=people.trainer, message__contains="回の変更依頼")
    client.force_login(people.trainer)
    client.post(reverse("training:move", args=[enrolment.pk]))
    enrolment.refresh_from_db()
    assert enrolment.state == State.CANCELLED
    moved = Enrolment.objects.get(user=people.staff, session=later)
    assert moved.state == State.CONFIRMED and moved.nominated_by == people.trainer


def test_raising_the_capacity_moves_people_up(client, session, people):
    for user in (people.staff, people.colleague, people.other_staff):
        apply(client, user, session)
    client.force_login(people.trainer)
    data = {
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": session.place,
        "capacity": 3,
        "instructor": session.instructor,
        "apply_by": timezone.localtime(session.apply_by).strftime("%Y-%m-%dT%H:%M"),
        "cancel_by": timezone.localtime(session.cancel_by).strftime("%Y-%m-%dT%H:%M"),
        "version": session.version,
    }
    response = client.post(reverse("training:session_edit", args=[session.pk]), data)
    assert response.status_code == 302
    assert Enrolment.objects.get(user=people.other_staff).state == State.CONFIRMED


def test_capacity_cannot_drop_below_the_confirmed_participants(client, session, people):
    for user in (people.staff, people.colleague):
        apply(client, user, session)
    client.force_login(people.trainer)
    data = {
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": session.place,
        "capacity": 1,
        "instructor": session.instructor,
        "apply_by": timezone.localtime(session.apply_by).strftime("%Y-%m-%dT%H:%M"),
        "cancel_by": timezone.localtime(session.cancel_by).strftime("%Y-%m-%dT%H:%M"),
        "version": session.version,
    }
    response = client.post(reverse("training:session_edit", args=[session.pk]), data)
    assert response.status_code == 400
    assert "受講確定者が2名いるため" in response.content.decode()


def test_two_organisers_editing_a_session_do_not_overwrite_each_other(client, session, people):
    client.force_login(people.trainer)
    data = {
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": "第2会議室",
        "capacity": 5,
        "instructor": session.instructor,
        "apply_by": timezone.localtime(session.apply_by).strftime("%Y-%m-%dT%H:%M"),
        "cancel_by": timezone.localtime(session.cancel_by).strftime("%Y-%m-%dT%H:%M"),
        "version": session.version,
    }
    assert client.post(reverse("training:session_edit", args=[session.pk]), data).status_code == 302
    data["place"] = "第3会議室"
    response = client.post(reverse("training:session_edit", args=[session.pk]), data)
    assert response.status_code == 400
    assert "他の人が更新しました" in response.content.decode()
    session.refresh_from_db()
    assert session.place == "第2会議室"


def test_session_history_shows_who_changed_the_capacity(client, session, people):
    from takatsu_portal.core.versioning import save_versioned

    session.capacity = 30
    save_versioned(session, by=people.trainer, reason="会場変更のため")
    client.force_login(people.trainer)
    html = client.get(reverse("training:session_history", args=[session.pk])).content.decode()
    assert people.trainer.full_name in html and "30" in html
