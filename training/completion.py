"""Attendance, evaluation and completion.

Completion follows from the record, never typed by hand: a person completes a session when they
attended it (出席, or 遅刻: they sat through the content; 早退 and 欠席 do not complete), and, where
the course requires it, submitted the evaluation. `completed_on` is the day of the session, so
that the hours count in the fiscal year the training happened, whenever the evaluation came in.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from takatsu_portal.accounts.permissions import user_may
from takatsu_portal.core import attention

from .models import Enrolment, Evaluation

Attendance = Enrolment.Attendance


def completion_refresh(enrolment, *, by=None):
    """Set or clear `completed_on` from attendance and evaluation; saves only on a change."""
    session = enrolment.session
    done = enrolment.state == Enrolment.State.CONFIRMED and enrolment.attended
    if done and session.course.evaluation_required:
        done = Evaluation.objects.filter(enrolment=enrolment).exists()
    completed_on = session.day if done else None
    if enrolment.completed_on != completed_on:
        enrolment.completed_on = completed_on
        enrolment._history_user = by
        enrolment.save(update_fields=["completed_on"])
    return enrolment


def attendance_record(*, session, marks, by):
    """Record the attendance of the session's confirmed participants: `marks` maps an
    enrolment id to one of Attendance (or "" for not yet entered). Returns the number of rows
    changed."""
    attention.changed()
    if not user_may(by, "training.manage_session", session):
        raise PermissionDenied("出欠を入力できるのは研修担当です。")
    if timezone.now() < session.starts_at:
        raise ValidationError("出欠は研修の開始後に入力できます。")
    valid = set(Attendance.values) | {""}
    bad = [value for value in marks.values() if value not in valid]
    if bad:
        raise ValidationError("出欠の値が正しくありません。")
    changed = 0
    with transaction.atomic():
        rows = (
            Enrolment.objects.select_for_update()
            .filter(session=session, state=Enrolment.State.CONFIRMED, pk__in=list(marks))
            .select_related("session", "session__course")
        )
        for enrolment in rows:
            value = marks[enrolment.pk]
            if enrolment.attendance == value:
                continue
            enrolment.attendance = value
            enrolment._history_user = by
            enrolment.save(update_fields=["attendance"])
            completion_refresh(enrolment, by=by)
            changed += 1
    return changed


def may_evaluate(enrolment):
    return (
        enrolment.state == Enrolment.State.CONFIRMED
        and enrolment.attendance != Attendance.ABSENT
        and timezone.now() >= enrolment.session.starts_at
    )


def evaluation_submit(*, enrolment, by, satisfaction, usefulness, comments=""):
    """The participant's evaluation of the session; completes the session when attendance is
    already recorded."""
    if enrolment.user_id != by.id:
        raise PermissionDenied("研修評価は受講した本人が回答します。")
    if not may_evaluate(enrolment):
        raise ValidationError(
            "研修評価は、受講が確定した研修の開始後に回答できます（欠席の場合を除く）。"
        )
    with transaction.atomic():
        if Evaluation.objects.filter(enrolment=enrolment).exists():
            raise ValidationError("この研修の評価は既に提出しています。")
        evaluation = Evaluation(
            enrolment=enrolment,
            satisfaction=satisfaction,
            usefulness=usefulness,
            comments=comments,
        )
        evaluation._history_user = by
        evaluation.save()
        completion_refresh(enrolment, by=by)
    attention.changed()  # a completion changes the compliance page and the home page's gaps
    return evaluation
