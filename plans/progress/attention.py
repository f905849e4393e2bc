"""Home-page attention items of the PDCA progress management (進行管理):

- a working-group lead: their groups' reports that are overdue (danger) or due within
  PROGRESS_REMINDER_DAYS working days (warning) — the same reports the daily reminders are
  about — and reports the subcommittee sent back for changes;
- a subcommittee member: submitted reports waiting for review.

Each item links to the report when there is one, else to the progress board. Three queries for
a lead and one for the subcommittee, whatever the number of projects and periods.
"""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode

from takatsu_portal.accounts.permissions import is_subcommittee, is_wg_lead
from takatsu_portal.core.attention import AttentionItem, register
from takatsu_portal.core.fiscal import today, wareki

from ..access import projects_for
from ..models import ProgressReport, Project, Reminder, ReportingPeriod
from .services import REPORTING_STAGES, reminder_days_for, reminder_kind

State = ProgressReport.State
FILED = [State.SUBMITTED, State.ACCEPTED]
AREA = "進捗管理"
FINISHED = [Project.Status.COMPLETED, Project.Status.SUSPENDED]


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
    # A project started mid-year owes nothing for the periods that ended before it (#10.7).
    starts = {}
    projects = {}
    for pk, plan_id, group_id, starts_on in _lead_projects(user).values_list(
        "pk", "plan_id", "working_group_id", "starts_on"
    ):
        projects[pk] = (plan_id, group_id)
        if starts_on is not None:
            starts[pk] = starts_on
    if not projects:
        return []
    plan_ids = {plan_id for plan_id, _ in projects.values()}
    # N working days are never more than 2N + 14 calendar days (New Year, Golden Week).
    horizon = day + timedelta(days=2 * days_before + 14)
    due = {
        period.pk: (period, kind)
        for period in ReportingPeriod.objects.filter(plan_id__in=plan_ids, due_on__lte=horizon)
        if (kind := reminder_kind(period, today=day, days_before=days_before)) is not None
    }
    reports = {
        (project_id, period_id): (state, pk)
        for project_id, period_id, state, pk in ProgressReport.objects.filter(
            Q(period_id__in=list(due)) | Q(state=State.CHANGES_REQUESTED),
            project_id__in=list(projects),
        ).values_list("project_id", "period_id", "state", "pk")
    }
    # Reports to file: not submitted nor accepted (no report, a draft, one sent back), as the
    # reminders and the board count them; one sent back is also in the sent-back item.
    to_file = {Reminder.Kind.OVERDUE: [], Reminder.Kind.BEFORE_DUE: []}
    for project_id in projects:
        for period_id, (period, kind) in due.items():
            if projects[project_id][0] != period.plan_id:
                continue
            if project_id in starts and starts[project_id] > period.ends_on:
                continue
            state = reports.get((project_id, period_id), (None, None))[0]
            if state not in FILED:
                to_file[kind].append((project_id, period))
    sent_back = [
        (project_id, period_id, pk)
        for (project_id, period_id), (state, pk) in reports.items()
        if state == State.CHANGES_REQUESTED
    ]

    def url_of(pairs, report_state=""):
        if len(pairs) == 1:
            project_id, period = pairs[0]
            return reverse("plans:report_start", args=[project_id, period.pk])
        return _board_url([projects[p][0] for p, _ in pairs], report_state, mine=True)

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
                [projects[p][0] for p, _, _ in sent_back], State.CHANGES_REQUESTED, mine=True
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
