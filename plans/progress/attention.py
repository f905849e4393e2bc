"""Home-page attention items of the PDCA progress management (進行管理):

- a working-group lead: their groups' reports that are overdue (danger) or due within
  PROGRESS_REMINDER_DAYS working days (warning) — the same reports the daily reminders are
  about — and reports the subcommittee sent back for changes;
- a subcommittee member: submitted reports waiting for review.

Each item links to the report when there is one, else to the progress board. Three queries for
a lead and one for the subcommittee, whatever the number of projects and periods.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils.http import urlencode

from takatsu_portal.accounts.permissions import is_subcommittee, is_wg_lead
from takatsu_portal.core.attention import AttentionItem, register
from takatsu_portal.core.fiscal import today, wareki

from ..access import projects_for
from ..models import ProgressReport, Reminder, ReportingPeriod
from .services import FINISHED, REPORTING_STAGES, reminder_days_for, reminder_kind, reports_owed

State = ProgressReport.State
AREA = "進捗管理"


def _board_url(plan_ids=(), report_state="", *, mine=False):
    """The board, narrowed to the plan when there is only one, to the reports' state an
    attention item counts and, for a lead, to the groups they lead (#10.9): the list it opens
    is the list it counts."""
    query = {"report_state": report_state} if report_state else {}
    if len(set(plan_ids)) == 1:
        query["plan"] = next(iter(plan_ids))
    if mine:
        query["mine"] = "1"
    url = reverse("plans:progress")
    return f"{url}?{urlencode(query)}" if query else url


def _lead_projects(user):
    return (
        projects_for(user)
        .filter(
            working_group__lead=user,
            plan__stage__in=[stage.value for stage in REPORTING_STAGES],
        )
        .exclude(status__in=FINISHED)
    )


@register
def progress_reports_to_file(user):
    """A lead's reports still to be filed whose due date is near or past, and the reports sent
    back to them for changes."""
    if not is_wg_lead(user):
        return []
    day = today()
    days_before = reminder_days_for(user.office)
    lead_projects = _lead_projects(user)
    # N working days are never more than 2N + 14 calendar days (New Year, Golden Week).
    horizon = day + timedelta(days=2 * days_before + 14)
    due = {
        period.pk: (period, kind)
        for period in ReportingPeriod.objects.filter(
            plan__in=lead_projects.order_by().values("plan"), due_on__lte=horizon
        )
        if (kind := reminder_kind(period, today=day, days_before=days_before)) is not None
    }
    # Reports to file: owed and not submitted nor accepted (no report, a draft, one sent
    # back), as the reminders and the board count them (services.reports_owed); one sent
    # back is also in the sent-back item.
    plan_of = {}
    to_file = {Reminder.Kind.OVERDUE: [], Reminder.Kind.BEFORE_DUE: []}
    if due:
        owed = (
            reports_owed(lead_projects, list(due))
            .filter(filed=False)
            .values_list("pk", "plan_id", "owed_period_id")
        )
        for project_id, plan_id, period_id in owed:
            plan_of[project_id] = plan_id
            period, kind = due[period_id]
            to_file[kind].append((project_id, period))
    sent_back = []
    for project_id, plan_id, period_id, pk in ProgressReport.objects.filter(
        project__in=lead_projects.order_by().values("pk"), state=State.CHANGES_REQUESTED
    ).values_list("project_id", "project__plan_id", "period_id", "pk"):
        plan_of[project_id] = plan_id
        sent_back.append((project_id, period_id, pk))

    def url_of(pairs, report_state=""):
        if len(pairs) == 1:
            project_id, period = pairs[0]
            return reverse("plans:report_start", args=[project_id, period.pk])
        return _board_url([plan_of[p] for p, _ in pairs], report_state, mine=True)

    items = []
    overdue = to_file[Reminder.Kind.OVERDUE]
    if overdue:
        oldest = min(period.due_on for _, period in overdue)
        items.append(
            AttentionItem(
                title=f"期限を過ぎた進捗報告が{len(overdue)}件あります",
                url=url_of(overdue, "overdue"),
                detail=f"最も古い期限は{wareki(oldest)}です。作成（修正依頼を受けたものは修正）して"
                "提出してください。",
                level="danger",
                area=AREA,
            )
        )
    soon = to_file[Reminder.Kind.BEFORE_DUE]
    if soon:
        nearest = min(period.due_on for _, period in soon)
        items.append(
            AttentionItem(
                title=f"期限が近い進捗報告が{len(soon)}件あります",
                url=url_of(soon, "due_soon"),
                detail=f"期限は{wareki(nearest, weekday=True)}です。"
                "提出すると推進部会の確認に回ります。",
                level="warning",
                area=AREA,
            )
        )
    if sent_back:
        late = any(
            due.get(period_id, (None, None))[1] == Reminder.Kind.OVERDUE
            for _, period_id, _ in sent_back
        )
        if len(sent_back) == 1:
            url = reverse("plans:report_detail", args=[sent_back[0][2]])
        else:
            url = _board_url(
                [plan_of[p] for p, _, _ in sent_back], State.CHANGES_REQUESTED, mine=True
            )
        items.append(
            AttentionItem(
                title=f"推進部会から修正依頼を受けた進捗報告が{len(sent_back)}件あります",
                url=url,
                detail="推進部会のコメントを確認し、修正して再提出してください。"
                + ("期限を過ぎているものがあります。" if late else ""),
                level="danger" if late else "warning",
                area=AREA,
            )
        )
    return items


@register
def progress_reports_to_review(user):
    """Subcommittee members: submitted reports of their office that nobody has reviewed."""
    if not is_subcommittee(user):
        return []
    waiting = list(
        ProgressReport.objects.filter(
            project__in=projects_for(user), state=State.SUBMITTED
        ).values_list("pk", "project__plan_id")
    )
    if not waiting:
        return []
    if len(waiting) == 1:
        url = reverse("plans:report_detail", args=[waiting[0][0]])
    else:
        url = _board_url([plan_id for _, plan_id in waiting], report_state=State.SUBMITTED)
    return [
        AttentionItem(
            title=f"推進部会の確認を待っている進捗報告が{len(waiting)}件あります",
            url=url,
            detail="内容を確認し、受理するか修正を依頼してください。報告者にお知らせが届きます。",
            level="warning",
            area=AREA,
        )
    ]
