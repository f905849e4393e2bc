"""Workflows of the resident voices register (区民の声). Views, forms and commands call these.

A voice moves received (受付) → assigned (担当決定) → answered (回答済み) → closed (完了); the
subcommittee may reopen a closed voice. Every step is one service call that checks the
permission of `by` itself, saves a new version (so that a stale form cannot overwrite it) and
leaves a history row with the step as its reason.

Personal data (contact_name, contact_info) is optional. It never reaches the history (the
model excludes those fields), a notification or a reason text, and it is blanked after the
retention period by `purge_personal_data` (`manage.py purge_voice_personal_data`).
"""

import datetime
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from takatsu_portal.accounts.permissions import (
    check_perm,
    user_may,
)
from takatsu_portal.core.fiscal import today
from takatsu_portal.core.notifications import notify
from takatsu_portal.core.versioning import save_versioned

from ..models import ResidentVoice

State = ResidentVoice.State

# The answer is due this many days after a voice is received, unless the recorder sets a date.
DEFAULT_DUE_DAYS = 14
# Personal data is kept this many years after the voice was received (the retention command's
# default; `--years` overrides it).
RETENTION_YEARS = 5

RECORD_REFUSAL = "区民の声を記録できるのは職員です。"
ASSIGN_REFUSAL = "担当者を決められるのは、担当課の課長と推進部会の委員です。"
HANDLE_REFUSAL = "この区民の声に対応できるのは、担当課の職員と推進部会の委員です（完了前まで）。"
REOPEN_REFUSAL = "完了した区民の声を再開できるのは推進部会の委員です。"
LINK_REFUSAL = "対応する事業を結び付けられるのは、担当課の職員と推進部会の委員です。"
PERSONAL_REFUSAL = "個人情報を扱えるのは、担当課の職員と推進部会の委員です。"
FREE_TEXT_REFUSAL = "アンケートの自由記述を読めるのは、推進部会の委員と課長です。"


def default_due_on(received_on):
    return received_on + timedelta(days=DEFAULT_DUE_DAYS)


def _short(text, length=60):
    return text if len(text) <= length else text[: length - 1] + "…"


def _check_places(*, office, section, window, projects):
    """The section, window and projects all belong to `office`, and the window to the section."""
    errors = {}
    if section.department.office_id != office.pk:
        errors["section"] = "担当課は自分の区役所の課から選んでください。"
    if window is not None and window.section_id != section.pk:
        errors["window"] = f"窓口「{window}」は{section}の窓口ではありません。"
    if any(project.plan.office_id != office.pk for project in projects):
        errors["projects"] = "事業は自分の区役所の計画から選んでください。"
    if errors:
        raise ValidationError(errors)


def _check_dates(received_on, due_on):
    if received_on > today():
        raise ValidationError({"received_on": "受付日に未来の日付は入力できません。"})
    if due_on is not None and due_on < received_on:
        raise ValidationError({"due_on": "回答期限は受付日以降の日付にしてください。"})


# ---------------------------------------------------------------------------------------------
# Recording and editing


def voice_record(
    *,
    office,
    by,
    channel,
    category,
    section,
    summary,
    body,
    received_on=None,
    due_on=None,
    window=None,
    contact_name="",
    contact_info="",
    projects=(),
    source_answer=None,
) -> ResidentVoice:
    """Record a voice as received. The due date defaults to DEFAULT_DUE_DAYS after receipt."""
    check_perm(by, "feedback.record_voice", message=RECORD_REFUSAL)
    received_on = received_on or today()
    due_on = due_on or default_due_on(received_on)
    projects = list(projects)
    _check_places(office=office, section=section, window=window, projects=projects)
    _check_dates(received_on, due_on)
    voice = ResidentVoice(
        office=office,
        channel=channel,
        category=category,
        section=section,
        window=window,
        received_on=received_on,
        due_on=due_on,
        summary=summary,
        body=body,
        contact_name=contact_name.strip(),
        contact_info=contact_info.strip(),
        source_answer=source_answer,
        recorded_by=by,
    )
    with transaction.atomic():
        save_versioned(voice, by=by, reason="受付")
        if projects:
            voice.projects.set(projects)
    return voice


def voice_update(
    *,
    voice,
    by,
    expected_version,
    channel,
    category,
    section,
    window,
    received_on,
    due_on,
    summary,
    body,
    projects,
    contact_name=None,
    contact_info=None,
) -> ResidentVoice:
    """Edit an open voice. Personal data is changed only when given (None keeps it), and only
    by those who may see it. Moving the voice to another section clears its assignee, since the
    new section decides who handles it."""
    check_perm(by, "feedback.handle_voice", voice, message=HANDLE_REFUSAL)
    if (contact_name is not None or contact_info is not None) and not _may_see_personal_data(
        by, voice
    ):
        raise PermissionDenied(PERSONAL_REFUSAL)
    projects = list(projects)
    _check_places(office=voice.office, section=section, window=window, projects=projects)
    due_on = due_on or default_due_on(received_on)
    _check_dates(received_on, due_on)
    reason = "編集"
    if section.pk != voice.section_id:
        reason = f"担当課を{voice.section}から{section}に変更"
        voice.assignee = None
        if voice.state == State.ASSIGNED:
            voice.state = State.RECEIVED
    voice.channel = channel
    voice.category = category
    voice.section = section
    voice.window = window
    voice.received_on = received_on
    voice.due_on = due_on
    voice.summary = summary
    voice.body = body
    if contact_name is not None:
        voice.contact_name = contact_name.strip()
    if contact_info is not None:
        voice.contact_info = contact_info.strip()
    with transaction.atomic():
        save_versioned(voice, by=by, expected_version=expected_version, reason=reason)
        _set_projects(voice, projects)
    return voice


def _set_projects(voice, projects):
    wanted = {project.pk for project in projects}
    if set(voice.projects.values_list("pk", flat=True)) != wanted:
        voice.projects.set(projects)


def _may_see_personal_data(user, voice):
    return user_may(user, "feedback.view_personal_data", voice)


# ---------------------------------------------------------------------------------------------
# The state machine


def voice_assign(*, voice, by, assignee, expected_version=None) -> ResidentVoice:
    """Give a received (or already assigned) voice to a member of its section, and tell them."""
    check_perm(by, "feedback.assign_voice", voice, message=ASSIGN_REFUSAL)
    if voice.state not in (State.RECEIVED, State.ASSIGNED):
        raise ValidationError(
            f"「{voice.get_state_display()}」の区民の声の担当者は変更できません。"
        )
    if not assignee.is_active or assignee.section_id != voice.section_id:
        raise ValidationError({"assignee": f"担当者は{voice.section}の職員から選んでください。"})
    voice.assignee = assignee
    voice.state = State.ASSIGNED
    with transaction.atomic():
        save_versioned(
            voice, by=by, expected_version=expected_version, reason=f"担当者を{assignee}に決定"
        )
        if assignee.pk != by.pk:
            due = f"（回答期限：{voice.due_on:%Y年%-m月%-d日}）" if voice.due_on else ""
            notify(
                recipient=assignee,
                message=f"区民の声「{_short(voice.summary)}」の担当になりました{due}。",
                url=voice.get_absolute_url(),
            )
    return voice


def voice_answer(
    *, voice, by, answer_text, expected_version=None, answered_on=None
) -> ResidentVoice:
    """Record the answer (or the action taken) of a received or assigned voice. `answered_on`
    is the day the resident was answered when it was earlier than today (by phone yesterday);
    it can be neither in the future nor before the voice was received."""
    check_perm(by, "feedback.handle_voice", voice, message=HANDLE_REFUSAL)
    answer_text = (answer_text or "").strip()
    if not answer_text:
        raise ValidationError({"answer_text": "回答内容（対応した内容）を入力してください。"})
    if voice.state not in (State.RECEIVED, State.ASSIGNED):
        raise ValidationError("この区民の声は回答済みです。")
    now = timezone.now()
    if answered_on is not None and answered_on != timezone.localdate(now):
        if answered_on > timezone.localdate(now):
            raise ValidationError({"answered_on": "回答日に未来の日付は入力できません。"})
        if voice.received_on and answered_on < voice.received_on:
            raise ValidationError(
                {"answered_on": "回答日は区民の声を受け付けた日以降の日付にしてください。"}
            )
        # The day is what is known; noon keeps it on that day in any time zone of Japan.
        now = timezone.make_aware(datetime.datetime.combine(answered_on, datetime.time(12)))
    voice.answer_text = answer_text
    voice.answered_at = now
    voice.answered_by = by
    voice.state = State.ANSWERED
    if voice.assignee_id is None and by.section_id == voice.section_id:
        voice.assignee = by
    return save_versioned(voice, by=by, expected_version=expected_version, reason="回答")


def voice_close(*, voice, by, expected_version=None) -> ResidentVoice:
    """Close an answered voice: nothing more is to be done."""
    check_perm(by, "feedback.handle_voice", voice, message=HANDLE_REFUSAL)
    if voice.state != State.ANSWERED:
        raise ValidationError(
            "完了にできるのは回答済みの区民の声です。先に回答を記録してください。"
        )
    voice.state = State.CLOSED
    voice.closed_at = timezone.now()
    return save_versioned(voice, by=by, expected_version=expected_version, reason="完了")


def voice_reopen(*, voice, by, reason, expected_version=None) -> ResidentVoice:
    """The subcommittee reopens a closed voice (a further contact, an answer found wanting):
    it goes back to its assignee, or to its section when it had none. The answer stays, so
    that the next one can build on it."""
    check_perm(by, "feedback.reopen_voice", voice, message=REOPEN_REFUSAL)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "再開する理由を入力してください。"})
    voice.state = State.ASSIGNED if voice.assignee_id else State.RECEIVED
    voice.closed_at = None
    voice.answered_at = None
    voice.answered_by = None
    with transaction.atomic():
        save_versioned(voice, by=by, expected_version=expected_version, reason=f"再開：{reason}")
        if voice.assignee_id and voice.assignee_id != by.pk:
            notify(
                recipient=voice.assignee,
                message=f"区民の声「{_short(voice.summary)}」が再開されました。",
                url=voice.get_absolute_url(),
            )
    return voice


def voice_link_projects(*, voice, by, projects, expected_version=None) -> ResidentVoice:
    """Say which projects of the plan answer this voice (also after it is closed). A new
    version, so that an edit form opened before cannot put the old links back silently."""
    check_perm(by, "feedback.link_voice_projects", voice, message=LINK_REFUSAL)
    projects = list(projects)
    if any(project.plan.office_id != voice.office_id for project in projects):
        raise ValidationError({"projects": "事業は自分の区役所の計画から選んでください。"})
    with transaction.atomic():
        save_versioned(voice, by=by, expected_version=expected_version, reason="対応する事業を変更")
        _set_projects(voice, projects)
    return voice


# ---------------------------------------------------------------------------------------------
# A survey's free-text answer becomes a voice


class AlreadyPromoted(Exception):
    """The free-text answer is already a voice: one voice per answer."""

    def __init__(self, voice):
        self.voice = voice
        super().__init__(f"answer already recorded as voice {voice.pk}")


def voice_promote_from_answer(*, answer, by, **fields) -> ResidentVoice:
    """Record a survey's free-text answer as a voice (channel "survey"), once: a second attempt
    raises AlreadyPromoted with the voice made the first time. `fields` are voice_record's
    (body, window and received_on default to the answer's)."""
    check_perm(by, "feedback.read_free_text", message=FREE_TEXT_REFUSAL)
    # The voice made from the answer in hand, if any (a reverse one-to-one, core/scoping.py).
    existing = ResidentVoice._base_manager.filter(source_answer=answer).first()
    if existing is not None:
        raise AlreadyPromoted(existing)
    response = answer.response
    fields.setdefault("body", answer.text)
    fields.setdefault("window", response.window)
    fields.setdefault("received_on", response.submitted_on)
    fields["channel"] = ResidentVoice.Channel.SURVEY
    try:
        with transaction.atomic():
            return voice_record(by=by, source_answer=answer, **fields)
    except IntegrityError:
        # Someone promoted the same answer at the same moment: theirs is the voice.
        raise AlreadyPromoted(ResidentVoice._base_manager.get(source_answer=answer)) from None


# ---------------------------------------------------------------------------------------------
# Personal data


def _blank_personal_data(voice, *, by, reason, expected_version=None):
    voice.contact_name = ""
    voice.contact_info = ""
    voice.personal_data_removed_at = timezone.now()
    return save_versioned(voice, by=by, reason=reason, expected_version=expected_version)


def voice_remove_personal_data(*, voice, by, expected_version=None) -> ResidentVoice:
    """Remove a voice's personal data before the retention period ends (the resident asked,
    or it is no longer needed). The voice itself stays. Refused (ConflictError) when the voice
    changed since `expected_version`, the version the person looked at."""
    check_perm(by, "feedback.view_personal_data", voice, message=PERSONAL_REFUSAL)
    if not voice.has_personal_data:
        raise ValidationError("この区民の声には個人情報がありません。")
    return _blank_personal_data(
        voice, by=by, reason="個人情報を削除", expected_version=expected_version
    )


def retention_cutoff(years, *, on=None):
    """The first day whose voices keep their personal data: `years` years before `on`.
    (29 February falls back to 28 February in a year without it.)"""
    on = on or today()
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return date(on.year - years, 2, 28)


def voices_past_retention(years=RETENTION_YEARS, *, on=None):
    """Voices received before the cutoff that still hold personal data, whatever their state."""
    cutoff = retention_cutoff(years, on=on)
    return (
        ResidentVoice.objects.filter(received_on__lt=cutoff)
        .exclude(contact_name="", contact_info="")
        .order_by("received_on", "pk")
    )


def purge_personal_data(*, years=RETENTION_YEARS, dry_run=False, on=None) -> int:
    """Blank the personal data of every voice received more than `years` years ago; the number
    of voices it touched (or would touch, on a dry run). Running it again touches none."""
    voices = voices_past_retention(years, on=on)
    if dry_run:
        return voices.count()
    count = 0
    reason = f"保存期間（{years}年）の経過により個人情報を削除"
    with transaction.atomic():
        for voice in voices.select_for_update():
            _blank_personal_data(voice, by=None, reason=reason)
            count += 1
    return count
