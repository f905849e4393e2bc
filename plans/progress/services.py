"""Workflows of the PDCA progress management (進行管理): reporting periods, progress reports
and their review, indicator values measured by other apps (a survey, the training records)
through the floor's registry, attachments, reminders.

Like the other features' services: keyword-only functions that check the permission of `by`,
run in one transaction, and leave history.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from takatsu_portal.accounts.permissions import check_perm
from takatsu_portal.core import indicators as indicator_sources
from takatsu_portal.core.calendar import previous_working_day, working_days_before
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.notifications import notify, notify_many
from takatsu_portal.core.uploads import validate_upload
from takatsu_portal.core.versioning import save_versioned

from ..access import subcommittee_members
from ..models import (
    REPORTING_STAGES,
    Attachment,
    IndicatorValue,
    ProgressReport,
    Project,
    Reminder,
    ReportingFrequency,
    ReportingPeriod,
    Stage,
)

# ---------------------------------------------------------------------------------------------
# Reporting periods

QUARTER_LABELS = [
    "第1四半期（4〜6月）",
    "第2四半期（7〜9月）",
    "第3四半期（10〜12月）",
    "第4四半期（1〜3月）",
]


@dataclass(frozen=True)
class PeriodSpec:
    number: int
    label: str
    starts_on: date
    ends_on: date
    due_on: date


def _month_end(year, month):
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def period_specs(fiscal_year, frequency, due_days):
    """The periods of a fiscal year: 12 months or 4 quarters from April, each due `due_days`
    after its end, moved back to a working day (weekends, holidays, 29 Dec – 3 Jan)."""
    start = FiscalYear(fiscal_year).start
    months = 1 if frequency == ReportingFrequency.MONTHLY else 3
    specs = []
    for index in range(12 // months):
        first_month = start.month + index * months
        year = start.year + (first_month - 1) // 12
        month = (first_month - 1) % 12 + 1
        last_month_index = first_month + months - 1
        end_year = start.year + (last_month_index - 1) // 12
        end_month = (last_month_index - 1) % 12 + 1
        ends_on = _month_end(end_year, end_month)
        label = QUARTER_LABELS[index] if months == 3 else f"{month}月"
        specs.append(
            PeriodSpec(
                number=index + 1,
                label=label,
                starts_on=date(year, month, 1),
                ends_on=ends_on,
                due_on=previous_working_day(ends_on + timedelta(days=due_days)),
            )
        )
    return specs


@transaction.atomic
def plan_set_reporting(*, plan, by, frequency, due_days):
    """Set how often the plan's projects report and when; (re)build the periods. Once reports
    exist the frequency is fixed (their periods would disappear), but due dates can move."""
    check_perm(by, "plans.set_reporting", plan, "報告期間を設定できるのは推進部会の委員です。")
    has_reports = (
        ProgressReport.objects.for_office(plan.office_id).filter(period__plan=plan).exists()
    )
    if has_reports and frequency != plan.reporting_frequency:
        raise ValidationError(
            {"reporting_frequency": "進捗報告が提出された後は、報告の頻度を変えられません。"}
        )
    plan.reporting_frequency = frequency
    plan.report_due_days = due_days
    save_versioned(plan, by=by, reason="報告期間の設定")
    specs = period_specs(plan.fiscal_year, frequency, due_days)
    if not has_reports:
        plan.periods.exclude(number__in=[s.number for s in specs]).delete()
    for spec in specs:
        plan.periods.update_or_create(
            number=spec.number,
            defaults={
                "label": spec.label,
                "starts_on": spec.starts_on,
                "ends_on": spec.ends_on,
                "due_on": spec.due_on,
            },
        )
    return list(plan.periods.all())


# ---------------------------------------------------------------------------------------------
# Progress reports


def report_start(*, project, period, by):
    """The project's report for the period: the existing one, or a new draft."""
    check_perm(
        by,
        "plans.file_report",
        project,
        "進捗報告を作成できるのは、その事業のワーキンググループのリーダーと推進部会の委員です。",
    )
    if period.plan_id != project.plan_id:
        raise ValidationError("この報告期間は事業の計画のものではありません。")
    if Stage(project.plan.stage) not in REPORTING_STAGES:
        raise ValidationError("進捗報告は、事業が承認されてから年度末評価までの間に作成します。")
    report = project.progress_reports.filter(period=period).first()
    if report is not None:
        return report
    previous = (
        project.progress_reports.filter(period__number__lt=period.number)
        .order_by("-period__number")
        .first()
    )
    report = ProgressReport(
        project=project,
        period=period,
        author=by,
        # The plan of this period is what the last report said would change.
        plan_text=previous.act_text if previous else "",
        progress_percent=previous.progress_percent if previous else 0,
        status=previous.status if previous else ProgressReport.Status.ON_TRACK,
    )
    try:
        with transaction.atomic():
            save_versioned(report, by=by, reason="作成")
            fill_source_values(report, by=by)
    except IntegrityError:
        # Someone started it at the same moment: use theirs.
        return project.progress_reports.get(period=period)
    return report


def _check_editable(report, by):
    check_perm(
        by,
        "plans.file_report",
        report.project,
        "進捗報告を編集できるのは、その事業のワーキンググループのリーダーと推進部会の委員です。",
    )
    if not report.is_editable:
        raise ValidationError(
            f"「{report.get_state_display()}」の報告は編集できません（推進部会の修正依頼を待ってください）。"
        )


@transaction.atomic
def report_save(*, report, by, values, expected_version):
    """Save the report's text fields (already set on `report`) and the indicator values
    ({indicator: Decimal or None}) as a draft, or keep it in its current editable state."""
    _check_editable(report, by)
    save_versioned(report, by=by, expected_version=expected_version)
    for indicator, actual in values.items():
        if indicator.project_id != report.project_id:
            raise ValidationError("別の事業の指標は入力できません。")
        if indicator.source is not None:
            continue  # taken from its source below, never typed
        if actual is None:
            report.values.filter(indicator=indicator).delete()
            continue
        value = report.values.filter(indicator=indicator).first()
        if value is None:
            value = IndicatorValue(report=report, indicator=indicator)
        elif value.actual == Decimal(actual):
            continue
        value.actual = Decimal(actual)
        value._history_user = by
        value.save()
    fill_source_values(report, by=by)
    return report


# ---------------------------------------------------------------------------------------------
# Indicators measured by another app (a resident survey, the training records)


def source_value(indicator, *, project, period):
    """The actual value of a source-linked indicator for the period, as the app that owns the
    data measures it (the source registered under `indicator.source_key`): counted at the
    windows of the project's responsible section for a per-section source (surveys), in the
    plan's office for the others (training); None without data or without that app."""
    return indicator_sources.measure(
        indicator.source_key,
        indicator.source_ref,
        section=project.section,
        office=project.plan.office,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
    )


def fill_source_values(report, *, by):
    """Set the actual value of each of the report's source-linked indicators from the owning
    app's records in the report's period, so that nobody retypes a number the portal already
    knows (source: automatic). Run when the report is started, saved and submitted: the value
    filed is the value the council reads later, even when records change afterwards."""
    period = report.period
    project = report.project
    for indicator in project.indicators.exclude(source_key=""):
        if indicator.source is None:
            continue  # the app that measured it is not installed: the typed value stays
        actual = source_value(indicator, project=project, period=period)
        value = report.values.filter(indicator=indicator).first()
        if actual is None:
            if value is not None:
                value.delete()
            continue
        if value is not None and value.actual == actual and value.source == value.Source.AUTOMATIC:
            continue
        value = value or IndicatorValue(report=report, indicator=indicator)
        value.actual = actual
        value.source = IndicatorValue.Source.AUTOMATIC
        value._history_user = by
        value.save()


@transaction.atomic
def report_submit(*, report, by, expected_version):
    _check_editable(report, by)
    missing = [
        label
        for label, text in [
            ("計画（Plan）", report.plan_text),
            ("実施内容（Do）", report.do_text),
            ("評価（Check）", report.check_text),
            ("改善（Act）", report.act_text),
        ]
        if not text.strip()
    ]
    if missing:
        raise ValidationError("提出する前に、" + "・".join(missing) + "を入力してください。")
    fill_source_values(report, by=by)
    resubmitted = report.state == ProgressReport.State.CHANGES_REQUESTED
    report.state = ProgressReport.State.SUBMITTED
    report.submitted_at = timezone.now()
    save_versioned(
        report, by=by, expected_version=expected_version, reason="再提出" if resubmitted else "提出"
    )
    notify_many(
        recipients=subcommittee_members(report.project.plan.office).exclude(pk=by.pk),
        message=f"{report.project.code}「{report.project.title}」の{report.period}の進捗報告が"
        + ("再提出" if resubmitted else "提出")
        + "されました",
        url=report.get_absolute_url(),
    )
    return report


def _review(report, *, by, state, comment, expected_version):
    check_perm(by, "plans.review_report", report, "進捗報告を確認できるのは推進部会の委員です。")
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationError("提出された報告だけを確認できます。")
    report.state = state
    report.review_comment = comment
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    save_versioned(
        report, by=by, expected_version=expected_version, reason=ProgressReport.State(state).label
    )
    recipients = {report.author}
    lead = report.project.working_group.lead if report.project.working_group_id else None
    if lead is not None:
        recipients.add(lead)
    for recipient in recipients:
        notify(
            recipient=recipient,
            message=f"{report.project.code}の{report.period}の進捗報告は「{report.get_state_display()}」"
            "となりました",
            url=report.get_absolute_url(),
        )
    return report


@transaction.atomic
def report_accept(*, report, by, comment="", expected_version=None):
    return _review(
        report,
        by=by,
        state=ProgressReport.State.ACCEPTED,
        comment=(comment or "").strip(),
        expected_version=expected_version,
    )


@transaction.atomic
def report_request_changes(*, report, by, comment, expected_version=None):
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "修正してほしい点を入力してください。"})
    return _review(
        report,
        by=by,
        state=ProgressReport.State.CHANGES_REQUESTED,
        comment=comment,
        expected_version=expected_version,
    )


# ---------------------------------------------------------------------------------------------
# Attachments


@transaction.atomic
def attachment_add(*, report, by, uploaded):
    _check_editable(report, by)
    name, content_type, stored = validate_upload(uploaded)
    attachment = Attachment(
        report=report,
        original_name=name,
        content_type=content_type,
        size=stored.size,
        uploaded_by=by,
    )
    attachment.file.save("upload", stored, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment, by):
    _check_editable(attachment.report, by)
    attachment.file.delete(save=False)
    attachment.delete()


def achievement(indicator, actual):
    """How far the indicator moved from its baseline towards its target, in percent (None
    without an actual value). For 'maintain', 100 when the actual is at or beyond the target
    in the indicator's favourable sense, else the ratio."""
    if actual is None:
        return None
    baseline, target = Decimal(indicator.baseline), Decimal(indicator.target)
    if indicator.direction == indicator.Direction.MAINTAIN or target == baseline:
        if target == 0:
            return Decimal(100) if actual >= 0 else Decimal(0)
        return min(Decimal(100), (Decimal(actual) / target * 100)).quantize(Decimal("0.1"))
    return ((Decimal(actual) - baseline) / (target - baseline) * 100).quantize(Decimal("0.1"))


# ---------------------------------------------------------------------------------------------
# Reports owed (#10.7, #10.9): the board, the reminders, the lead's home page and the city's
# comparison of offices count by this one rule.

FILED = [ProgressReport.State.SUBMITTED, ProgressReport.State.ACCEPTED]
FINISHED = [Project.Status.COMPLETED, Project.Status.SUSPENDED]


def reports_owed(projects, periods):
    """One row per progress report owed: each project of `projects` that is not finished
    (完了, 中止) with each period of `periods` of its plan that ended on or after the
    project's start (no start: the whole year). The rows are Projects annotated with
    `owed_period_id`, `owed_due_on` and `filed` (a report submitted or accepted for that
    period; a draft or one sent back is not filed)."""
    filed = ProgressReport.objects.filter(
        project=OuterRef("pk"), period=OuterRef("owed_period_id"), state__in=FILED
    )
    # One filter() call: the period and its end date must be the same joined row.
    return (
        projects.exclude(status__in=FINISHED)
        .filter(
            Q(plan__periods__in=periods)
            & (Q(starts_on__isnull=True) | Q(starts_on__lte=F("plan__periods__ends_on")))
        )
        .annotate(
            owed_period_id=F("plan__periods__id"),
            owed_due_on=F("plan__periods__due_on"),
            filed=Exists(filed),
        )
    )


def report_owed(project, period, state=None):
    """The same rule as reports_owed for one project already loaded: whether its report for
    `period`, in `state` (None: no report), is owed and not filed."""
    return project.status not in FINISHED and project.owes_report_for(period) and state not in FILED


# ---------------------------------------------------------------------------------------------
# Reminders


def reports_due(*, today, days_before=None):
    """(project, period, lead, reminder kind) of every report that needs a reminder today: its
    plan is in a reporting stage, it is due soon or overdue (reminder_kind), no report has been
    submitted or accepted (a draft is not filed), the project is under way or planned, and its
    working group has an active lead to remind."""
    periods = ReportingPeriod.objects.filter(
        plan__stage__in=[s.value for s in REPORTING_STAGES]
    ).select_related("plan__office")
    for period in periods:
        kind = reminder_kind(period, today=today, days_before=days_before)
        if kind is None:
            continue
        projects = (
            reports_owed(
                Project.objects.filter(
                    plan_id=period.plan_id,
                    working_group__isnull=False,
                    working_group__lead__is_active=True,
                ),
                ReportingPeriod.objects.filter(pk=period.pk),
            )
            .filter(filed=False)
            .select_related("working_group__lead")
        )
        for project in projects:
            yield project, period, project.working_group.lead, kind


def reminder_days_for(office):
    """How many working days before a due date the office's leads are reminded: the office's
    own setting, else PROGRESS_REMINDER_DAYS."""
    if office is None:
        return settings.PROGRESS_REMINDER_DAYS
    return office.progress_reminder_working_days


# The most an office may set (Office.progress_reminder_days), for a horizon that fits them all.
MAX_REMINDER_DAYS = 60


def reminder_kind(period, *, today, days_before=None):
    """Which reminder a report still to be filed needs today: overdue after its due date,
    "due soon" from `days_before` working days before it (a reminder sent on the Friday before
    Golden Week still leaves working days to file), else None. Without `days_before`, the
    period's office's own number of days (reminder_days_for)."""
    if days_before is None:
        days_before = reminder_days_for(period.plan.office)
    if today > period.due_on:
        return Reminder.Kind.OVERDUE
    if today >= working_days_before(period.due_on, days_before):
        return Reminder.Kind.BEFORE_DUE
    return None


def periods_due_soon(periods, *, today, days_before=None):
    """The periods among `periods` (a QuerySet, or periods already loaded) whose report is due
    soon today (reminder_kind BEFORE_DUE). The reminders, the lead's home page, the board's
    期限間近 cells and its 「期限が近い」 filter count by this one rule."""
    # N working days are never more than 2N + 14 calendar days (New Year, Golden Week).
    widest = MAX_REMINDER_DAYS if days_before is None else days_before
    horizon = today + timedelta(days=2 * widest + 14)
    if hasattr(periods, "filter"):
        periods = periods.filter(due_on__gte=today, due_on__lte=horizon).select_related(
            "plan__office"
        )
    return [
        period
        for period in periods
        if today <= period.due_on <= horizon
        and reminder_kind(period, today=today, days_before=days_before) == Reminder.Kind.BEFORE_DUE
    ]


def reminder_message(project, period, kind):
    """What a reminder says (the notification and the e-mail's subject)."""
    report = f"{project.code}「{project.title}」の{period.label}の進捗報告"
    due = f"{period.due_on.year}年{period.due_on.month}月{period.due_on.day}日"
    if kind == Reminder.Kind.OVERDUE:
        return f"{report}が期限（{due}）を過ぎています"
    return f"{report}の期限は{due}です"


def send_reminders(*, today, days_before=None):
    """Remind leads `days_before` working days before a report is due and again once it is
    overdue. Each (project, period, kind, lead) is reminded once: the Reminder row is the proof,
    and a second run (or two workers at once) finds it and sends nothing. Returns the count
    sent."""
    sent = 0
    for project, period, lead, kind in reports_due(today=today, days_before=days_before):
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                project=project, period=period, kind=kind, recipient=lead
            )
            if not created:
                continue
            notify(
                recipient=lead,
                message=reminder_message(project, period, kind),
                url=reverse("plans:report_start", args=[project.pk, period.pk]),
            )
            sent += 1
    return sent
