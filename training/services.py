"""Enrolment workflows: apply, approve or refuse, cancel (or ask to), nominate, move, and the
move-up from the waiting list.

Seats: every function that gives or frees a seat locks the session row first
(`select_for_update`), then counts the confirmed enrolments and decides. Two applications in
the same second queue on that lock, so the count each one sees is exact and a session never
has more confirmed participants than its capacity; the waiting list is ordered by the time of
application (`applied_at`, then id), which is set before the lock is taken.

Deadlines are checked here, on the server, with a message for the person: after the
application deadline nobody applies; after the cancellation deadline a cancellation becomes a
request to the organiser, who may accept it (`enrolment_cancel` by the organiser).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from takatsu_portal.accounts.permissions import user_may
from takatsu_portal.core.notifications import notify
from takatsu_portal.core.notifications.bulk import Notice, notify_bulk
from takatsu_portal.core.versioning import save_versioned

from .attention import changed_for
from .models import CalendarFeed, Course, Enrolment, Session

State = Enrolment.State


def _lock(session):
    return Session._base_manager.select_for_update().get(pk=session.pk)


def _seat_free(session):
    return session.enrolments.filter(state=State.CONFIRMED).count() < session.capacity


def _fmt(dt):
    return f"{timezone.localtime(dt):%Y年%m月%d日 %H:%M}"


def _tell(enrolment, message):
    notify(
        recipient=enrolment.user, message=message[:300], url=enrolment.session.get_absolute_url()
    )


def _place(enrolment, session):
    """Give the enrolment a seat when one is free, else a place on the waiting list. The
    session is locked by the caller."""
    if _seat_free(session):
        enrolment.state = State.CONFIRMED
    else:
        enrolment.state = State.WAITING


def _announce(enrolment):
    session = enrolment.session
    title = session.course.title
    if enrolment.state == State.CONFIRMED:
        _tell(enrolment, f"研修「{title}」（{_fmt(session.starts_at)}）の受講が確定しました。")
    elif enrolment.state == State.WAITING:
        _tell(
            enrolment,
            f"研修「{title}」（{_fmt(session.starts_at)}）は定員に達しているため、"
            f"キャンセル待ち（{waiting_position(enrolment)}番目）で受け付けました。"
            "席が空くと自動で繰り上がり、お知らせします。",
        )
    elif enrolment.state == State.PENDING:
        _tell(
            enrolment,
            f"研修「{title}」（{_fmt(session.starts_at)}）の申込みを受け付けました。"
            "所属課長の承認をお待ちください。",
        )


def waiting_position(enrolment):
    if enrolment.state != State.WAITING:
        return None
    ahead = enrolment.session.enrolments.filter(state=State.WAITING).filter(
        models_q_before(enrolment)
    )
    return ahead.count() + 1


def models_q_before(enrolment):
    return Q(applied_at__lt=enrolment.applied_at) | Q(
        applied_at=enrolment.applied_at, id__lt=enrolment.id
    )


def _check_open(session, now):
    if session.is_cancelled:
        raise ValidationError("この回は中止になりました。")
    if now > session.apply_by:
        raise ValidationError(
            f"申込締切（{_fmt(session.apply_by)}）を過ぎているため、申し込めません。"
            "受講を希望する場合は研修担当に相談してください。"
        )


def _existing(session, user):
    return session.enrolments.filter(user=user, state__in=Enrolment.ACTIVE_STATES)


def enrolment_apply(*, session, user, now=None):
    """A member of staff applies for a session of a 希望研修. With the course's approval step
    the application waits for the section manager; otherwise it takes a free seat or a place
    on the waiting list."""
    now = now or timezone.now()
    course = session.course
    if course.kind != Course.Kind.VOLUNTARY:
        raise ValidationError(
            "指名研修には申し込めません。研修担当又は所属課長が受講者を指名します。"
        )
    _check_open(session, now)
    with transaction.atomic():
        session = _lock(session)
        # The time of application is taken under the lock: the order of the waiting list is
        # the order in which the applications took the session, seat or no seat.
        applied_at = timezone.now()
        if _existing(session, user).exists():
            raise ValidationError("この回には既に申し込んでいます。")
        if user.training_enrolments.filter(
            session__course=course, state__in=Enrolment.ACTIVE_STATES
        ).exists():
            raise ValidationError(
                "この研修の別の回に申し込んでいます。回を変える場合は、先にその申込みを取り消してください。"
            )
        enrolment = Enrolment(session=session, user=user, applied_at=applied_at)
        if course.needs_approval:
            enrolment.state = State.PENDING
        else:
            _place(enrolment, session)
        enrolment._history_user = user
        enrolment.save()
        _announce(enrolment)
        changed_for([user.pk])
    return enrolment


def enrolment_decide(*, enrolment, approve, by, now=None):
    """The section manager approves (a seat, or the waiting list when the session filled up
    meanwhile, in order of the original application) or refuses an application."""
    if not user_may(by, "training.decide_enrolment", enrolment):
        raise PermissionDenied("申込みを承認できるのは、申込者の所属課長です。")
    with transaction.atomic():
        session = _lock(enrolment.session)
        enrolment = Enrolment._base_manager.select_for_update().get(pk=enrolment.pk)
        enrolment.session = session
        if enrolment.state != State.PENDING:
            raise ValidationError("この申込みは承認待ちではありません。")
        enrolment.decided_by = by
        if approve:
            _place(enrolment, session)
        else:
            enrolment.state = State.REFUSED
        enrolment._history_user = by
        enrolment.save()
        if approve:
            _announce(enrolment)
        else:
            _tell(
                enrolment,
                f"研修「{session.course.title}」（{_fmt(session.starts_at)}）の申込みは、"
                "所属課長により承認されませんでした。",
            )
        changed_for([enrolment.user_id])
    return enrolment


def _move_up(session, *, by):
    """Fill free seats from the waiting list, first come first served, and tell each person
    moved up. The session is locked by the caller. A cancelled session moves nobody up."""
    moved = []
    if session.is_cancelled:
        return moved
    free = session.capacity - session.enrolments.filter(state=State.CONFIRMED).count()
    if free <= 0:
        return moved
    for waiting in session.enrolments.waiting_in_order()[:free]:
        waiting.state = State.CONFIRMED
        waiting._history_user = by
        waiting.save()
        waiting.session = session
        _tell(
            waiting,
            f"研修「{session.course.title}」（{_fmt(session.starts_at)}）に空きが出たため、"
            "キャンセル待ちから受講確定に繰り上がりました。都合が悪くなった場合は取り消してください。",
        )
        moved.append(waiting)
    changed_for([e.user_id for e in moved])
    return moved


def enrolment_cancel(*, enrolment, by, reason="", now=None):
    """Cancel an enrolment. The person themselves may until the cancellation deadline; after it
    their cancellation becomes a request to the organiser (returned with
    `cancel_requested_at` set), which the organiser grants by cancelling. A freed seat goes at
    once to the first person waiting."""
    now = now or timezone.now()
    organiser = user_may(by, "training.manage_session", enrolment.session)
    own = enrolment.user_id == by.id
    if not (own or organiser):
        raise PermissionDenied("この申込みを取り消せるのは、本人と研修担当です。")
    with transaction.atomic():
        session = _lock(enrolment.session)
        enrolment = Enrolment._base_manager.select_for_update().get(pk=enrolment.pk)
        enrolment.session = session
        if not enrolment.is_active:
            raise ValidationError("この申込みは既に取り消されています。")
        if session.has_started and not organiser:
            raise ValidationError("研修が始まった後は取り消せません。研修担当に連絡してください。")
        late = not session.may_cancel_freely(now) and enrolment.state == State.CONFIRMED
        if late and not organiser:
            if enrolment.cancel_requested_at:
                raise ValidationError("取消の依頼は既に研修担当に送っています。")
            enrolment.cancel_requested_at = now
            enrolment.cancel_reason = reason
            enrolment._history_user = by
            enrolment.save()
            notify(
                recipient=session.course.organiser,
                message=(
                    f"{enrolment.user}さんから、取消締切後の取消依頼があります："
                    f"研修「{session.course.title}」（{_fmt(session.starts_at)}）"
                )[:300],
                url=session.get_absolute_url(),
            )
            changed_for([enrolment.user_id], organiser_ids=[session.course.organiser_id])
            return enrolment
        requested = enrolment.cancel_requested_at or enrolment.move_requested_to_id
        freed = enrolment.state == State.CONFIRMED
        enrolment.state = State.CANCELLED
        enrolment.cancel_reason = reason or enrolment.cancel_reason
        enrolment._history_user = by
        enrolment.save()
        if not own:
            _tell(
                enrolment,
                f"研修「{session.course.title}」（{_fmt(session.starts_at)}）の受講が取り消されました。",
            )
        if freed and not session.has_started:
            _move_up(session, by=by)
        changed_for(
            [enrolment.user_id],
            organiser_ids=[session.course.organiser_id] if requested else (),
        )
    return enrolment


# What a participant is told about when the organiser edits a session: its time and place.
_TOLD_FIELDS = ("starts_at", "ends_at", "place", "online_url")


def _told_value(session, field):
    value = getattr(session, field)
    # The form edits times to the minute: seconds dropped from a stored time are no change.
    if field in ("starts_at", "ends_at"):
        return value.replace(second=0, microsecond=0)
    return value


def _session_change_message(before, session):
    title = session.course.title
    if session.is_cancelled:
        return f"研修「{title}」（{_fmt(before.starts_at)}）は中止になりました。"
    parts = []
    if any(_told_value(before, f) != _told_value(session, f) for f in ("starts_at", "ends_at")):
        ends = timezone.localtime(session.ends_at)
        parts.append(f"日時：{_fmt(session.starts_at)}〜{ends:%H:%M}")
    if before.place != session.place:
        parts.append(f"会場：{session.place or '—'}")
    if before.online_url != session.online_url:
        parts.append(f"オンライン参加のURL：{session.online_url or '—'}")
    return (
        f"研修「{title}」（{_fmt(before.starts_at)}）の内容が変更されました。"
        + "、".join(parts)
        + "。都合が悪くなった場合は取り消してください。"
    )


COURSE_NO_OFFICE = (
    "所属する区役所（所属課）が登録されていないため、研修を登録できません。"
    "システム管理者に所属課の登録を依頼してください。"
)


def course_save(*, course, by, policies=None, expected_version=None):
    """Save an organiser's new or edited course (its values set on the instance, as a form's
    save(commit=False) leaves them) in one transaction: a new course belongs to the office of
    the person who registers it; the row's history records who saved it; an edit is refused with
    ConflictError when someone else saved since `expected_version`. `policies` (when given)
    become the course's related basic policies."""
    if not user_may(by, "training.organise"):
        raise PermissionDenied("研修を登録・編集できるのは研修担当です。")
    if course.pk is None:
        if by.office is None:
            raise PermissionDenied(COURSE_NO_OFFICE)
        course.office = by.office
    with transaction.atomic():
        save_versioned(course, by=by, expected_version=expected_version)
        if policies is not None:
            course.policies.set(policies)
    return course


def session_save(*, session, by, expected_version=None):
    """Save the organiser's edit of `session` (its new values set on the instance, as a form's
    save(commit=False) leaves them), in one transaction with the row locked:

    - a session that is not cancelled fills any new seats from the waiting list;
    - when the session is cancelled now, or its time, place or online link changed, every
      active enrolment (confirmed, waiting, pending) is told, by notification and e-mail.

    Raises ConflictError when someone else saved since `expected_version`. Returns the
    enrolments moved up from the waiting list."""
    with transaction.atomic():
        before = Session._base_manager.select_for_update().get(pk=session.pk)
        save_versioned(session, by=by, expected_version=expected_version)
        moved = _move_up(session, by=by)
        cancelled_now = session.is_cancelled and not before.is_cancelled
        if cancelled_now or (
            not session.is_cancelled
            and any(_told_value(before, f) != _told_value(session, f) for f in _TOLD_FIELDS)
        ):
            message = _session_change_message(before, session)[:300]
            url = session.get_absolute_url()
            notify_bulk(
                Notice(recipient_id=user_id, message=message, url=url, email=True)
                for user_id in session.enrolments.filter(
                    state__in=Enrolment.ACTIVE_STATES
                ).values_list("user_id", flat=True)
            )
    return moved


def session_move_up(*, session, by):
    """After the organiser raised the capacity: fill the new seats from the waiting list."""
    with transaction.atomic():
        return _move_up(_lock(session), by=by)


def enrolment_nominate(*, session, users, by, now=None):
    """Name staff for a session (指名研修). Nominated people take a seat while there is one and
    wait in order after that; people already on a session of the course are skipped. Returns
    (created, skipped)."""
    if not user_may(by, "training.nominate", session):
        raise PermissionDenied("受講者を指名できるのは、研修担当と課長です。")
    now = now or timezone.now()
    if session.is_cancelled:
        raise ValidationError("この回は中止になりました。")
    if session.has_started:
        raise ValidationError("開始した回には指名できません。")
    created, skipped = [], []
    with transaction.atomic():
        session = _lock(session)
        taken = set(
            Enrolment.objects.for_office(session.course.office_id)
            .filter(session__course_id=session.course_id, state__in=Enrolment.ACTIVE_STATES)
            .values_list("user_id", flat=True)
        )
        # The free seats are counted once, under the lock; the nominees take them in order.
        free = session.capacity - session.enrolments.filter(state=State.CONFIRMED).count()
        for user in users:
            if user.id in taken:
                skipped.append(user)
                continue
            state = State.CONFIRMED if free > 0 else State.WAITING
            free -= state == State.CONFIRMED
            created.append(
                Enrolment(session=session, user=user, nominated_by=by, applied_at=now, state=state)
            )
            taken.add(user.id)
        # One INSERT for the enrolments and one for their history (who nominated, when).
        created = bulk_create_with_history(created, Enrolment, default_user=by)
        title, starts = session.course.title, _fmt(session.starts_at)
        url = session.get_absolute_url()
        notify_bulk(
            Notice(
                recipient_id=enrolment.user_id,
                message=(
                    f"研修「{title}」（{starts}）の受講者に指名されました"
                    + ("。" if enrolment.state == State.CONFIRMED else "（定員超過のため待機中）。")
                    + "都合が悪い場合は、研修のページから別の回への変更を依頼できます。"
                )[:300],
                url=url,
                email=True,
            )
            for enrolment in created
        )
        changed_for([e.user_id for e in created])
    return created, skipped


def enrolment_request_move(*, enrolment, to_session, by, reason=""):
    """The named person asks to move to another session of the same course; the organiser is
    told and moves them (enrolment_move)."""
    if enrolment.user_id != by.id:
        raise PermissionDenied("回の変更を依頼できるのは本人です。")
    if not enrolment.is_active:
        raise ValidationError("この受講は取り消されています。")
    if to_session.course_id != enrolment.session.course_id or to_session.pk == enrolment.session_id:
        raise ValidationError("同じ研修の別の回を選んでください。")
    if to_session.is_cancelled or to_session.has_started:
        raise ValidationError("選んだ回は変更先にできません（中止又は開始済み）。")
    enrolment.move_requested_to = to_session
    enrolment.cancel_reason = reason
    enrolment._history_user = by
    enrolment.save()
    notify(
        recipient=enrolment.session.course.organiser,
        message=(
            f"{enrolment.user}さんから回の変更依頼があります：研修「{to_session.course.title}」"
            f"{_fmt(enrolment.session.starts_at)} → {_fmt(to_session.starts_at)}"
        )[:300],
        url=enrolment.session.get_absolute_url(),
    )
    changed_for([], organiser_ids=[enrolment.session.course.organiser_id])
    return enrolment


def enrolment_move(*, enrolment, by):
    """The organiser grants a move request: the old place is cancelled (its seat goes to the
    first waiting person) and the person is placed on the new session, seat or waiting list."""
    if not user_may(by, "training.manage_session", enrolment.session):
        raise PermissionDenied("回の変更を行えるのは研修担当です。")
    target = enrolment.move_requested_to
    if target is None:
        raise ValidationError("変更の依頼がありません。")
    # Lock both sessions in id order so two moves in opposite directions cannot deadlock.
    with transaction.atomic():
        locked = {
            s.pk: s
            for s in Session._base_manager.select_for_update()
            .filter(pk__in=[enrolment.session_id, target.pk])
            .order_by("pk")
        }
        old_session, new_session = locked[enrolment.session_id], locked[target.pk]
        enrolment = Enrolment._base_manager.select_for_update().get(pk=enrolment.pk)
        if not enrolment.is_active:
            raise ValidationError("この受講は取り消されています。")
        freed = enrolment.state == State.CONFIRMED
        enrolment.state = State.CANCELLED
        enrolment.move_requested_to = None
        enrolment._history_user = by
        enrolment.save()
        moved = Enrolment(
            session=new_session,
            user=enrolment.user,
            nominated_by=enrolment.nominated_by,
            applied_at=timezone.now(),
        )
        _place(moved, new_session)
        moved._history_user = by
        moved.save()
        _announce(moved)
        if freed:
            _move_up(old_session, by=by)
        changed_for([moved.user_id], organiser_ids=[old_session.course.organiser_id])
    return moved


# ---------------------------------------------------------------------------------------------
# Subscribable calendar of a person's own sessions


def calendar_feed_issue(*, user):
    """The person's subscription URL: a new one, or the existing one with a new key (the old
    URL answers 404 from now on)."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.reissue()
    return feed


def calendar_feed_sessions(user, *, now=None):
    """The sessions of the person's feed: those they hold a seat on or wait for, from a year
    ago on (cancelled sessions stay, marked cancelled, so the calendar drops them)."""
    since = (now or timezone.now()) - timedelta(days=365)
    return [
        e.session
        for e in user.training_enrolments.filter(
            state__in=(Enrolment.State.CONFIRMED, Enrolment.State.WAITING),
            session__ends_at__gte=since,
        )
        .select_related("session", "session__course")
        .order_by("session__starts_at", "session_id")
    ]
