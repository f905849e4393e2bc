"""Attendance, evaluation and completion.

Completion follows from the record, never typed by hand: a person completes a session when they
attended it (出席, or 遅刻: they sat through the content; 早退 and 欠席 do not complete), and, where
the course requires it, submitted the evaluation. `completed_on` is the day of the session, so
that the hours count in the fiscal year the training happened, whenever the evaluation came in.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from takatsu_portal.accounts.permissions import user_may

from .attention import changed_for
from .models import Enrolment, Evaluation
from .stamp import training_changed

Attendance = Enrolment.Attendance


def _evaluations_of(session):
    """The evaluations of the office of `session`'s course (the office in hand)."""
    return Evaluation.objects.for_office(session.course.office_id)


def _completed_on(enrolment, *, has_evaluation=None):
    """The day the enrolment completes on (None: not complete). `has_evaluation` when known
    (annotated on a list of enrolments), else one query."""
    session = enrolment.session
    done = enrolment.state == Enrolment.State.CONFIRMED and enrolment.attended
    if done and session.course.evaluation_required:
        if has_evaluation is None:
            has_evaluation = _evaluations_of(session).filter(enrolment=enrolment).exists()
        done = has_evaluation
    return session.day if done else None


def _refresh(enrolment, *, by=None):
    """Set or clear `completed_on`; saves only on a change, and says whether it changed."""
    completed_on = _completed_on(enrolment)
    if enrolment.completed_on == completed_on:
        return False
    enrolment.completed_on = completed_on
    enrolment._history_user = by
    enrolment.save(update_fields=["completed_on"])
    return True


def completion_refresh(enrolment, *, by=None):
    """Set or clear `completed_on` from attendance and evaluation; saves only on a change, and
    then the home-page lists that count the completion (the person's, their managers') are
    computed again."""
    if _refresh(enrolment, by=by):
        changed_for([enrolment.user_id])
    return enrolment


def attendance_record(*, session, marks, by):
    """Record the attendance of the session's confirmed participants: `marks` maps an
    enrolment id to one of Attendance (or "" for not yet entered). Returns the number of rows
    changed."""
    if not user_may(by, "training.manage_session", session):
        raise PermissionDenied("出欠を入力できるのは研修担当です。")
    if timezone.now() < session.starts_at:
        raise ValidationError("出欠は研修の開始後に入力できます。")
    valid = set(Attendance.values) | {""}
    bad = [value for value in marks.values() if value not in valid]
    if bad:
        raise ValidationError("出欠の値が正しくありません。")
    changed, completed = [], []
    with transaction.atomic():
        rows = (
            session.enrolments.select_for_update(of=("self",))
            .filter(state=Enrolment.State.CONFIRMED, pk__in=list(marks))
            .select_related("session", "session__course")
            .annotate(has_evaluation=Exists(Evaluation.objects.filter(enrolment=OuterRef("pk"))))
        )
        for enrolment in rows:
            value = marks[enrolment.pk]
            if enrolment.attendance == value:
                continue
            enrolment.attendance = value
            completed_on = _completed_on(enrolment, has_evaluation=enrolment.has_evaluation)
            if completed_on != enrolment.completed_on:
                enrolment.completed_on = completed_on
                completed.append(enrolment.user_id)
            enrolment._history_user = by
            changed.append(enrolment)
        # One UPDATE for every row changed and one INSERT for their history, whatever the
        # number of participants.
        if changed:
            bulk_update_with_history(
                changed,
                Enrolment,
                ["attendance", "completed_on"],
                default_user=by,
                manager=session.enrolments,  # the session's rows: office-scoped
            )
        changed_for(completed)
    return len(changed)


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
        if _evaluations_of(enrolment.session).filter(enrolment=enrolment).exists():
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
        training_changed()
    return evaluation
