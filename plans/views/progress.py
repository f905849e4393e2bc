"""The progress board (進捗管理) of a plan, and a project's timeline with its indicator charts.

The board answers the subcommittee's first questions at a glance: which projects are late with
their reports, which are in trouble, and who has filed what for which period. Its rows come
in a fixed number of queries, whatever the number of projects and periods.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone

from takatsu_portal.accounts.permissions import require_perm
from takatsu_portal.core.charts import Reference, Series, line_figure
from takatsu_portal.core.fiscal import FiscalYear, today

from ..access import get_plan_for_user, get_project_for_user, plans_for, projects_for
from ..forms_progress import BoardFilter
from ..models import (
    IndicatorValue,
    ProgressReport,
    Project,
    Proposal,
    ReportingPeriod,
    YearEndEvaluation,
)
from ..progress import achievement

PROGRESS_REFUSAL = (
    "進捗管理はワーキンググループリーダー・推進部会委員・区企画調整会議委員・課長・管理者が"
    "利用できます。"
)
PER_PAGE = 50
State = ProgressReport.State
Status = ProgressReport.Status
# A report is filed once submitted or accepted; "changes requested" is back with the lead.
FILED = [State.SUBMITTED, State.ACCEPTED]
# Finished or stopped projects owe no more reports (as for the reminders).
FINISHED = [Project.Status.COMPLETED, Project.Status.SUSPENDED]
# The board's order after the overdue ones: the worst status first, no report last.
SEVERITY = [Status.DELAYED, Status.AT_RISK, Status.ON_TRACK, Status.DONE]
NO_REPORT = "none"


@dataclass(frozen=True)
class Badge:
    key: str
    label: str
    css: str
    description: str = ""


STATUS_BADGES = {
    badge.key: badge
    for badge in [
        Badge(Status.DELAYED, Status.DELAYED.label, "text-bg-danger"),
        Badge(Status.AT_RISK, Status.AT_RISK.label, "text-bg-warning"),
        Badge(Status.ON_TRACK, Status.ON_TRACK.label, "text-bg-success"),
        Badge(Status.DONE, Status.DONE.label, "text-bg-secondary"),
        Badge(NO_REPORT, "報告なし", "text-bg-light border"),
    ]
}
CELL_BADGES = {
    badge.key: badge
    for badge in [
        Badge(
            "missing",
            "未提出",
            "text-bg-light border",
            "報告がない（期限前、または完了・中止した事業）",
        ),
        Badge(
            State.DRAFT, State.DRAFT.label, "text-bg-secondary", "作成中で、まだ提出されていない"
        ),
        Badge(State.SUBMITTED, State.SUBMITTED.label, "text-bg-info", "推進部会の確認待ち"),
        Badge(
            State.CHANGES_REQUESTED,
            State.CHANGES_REQUESTED.label,
            "text-bg-warning",
            "推進部会が修正を依頼した",
        ),
        Badge(State.ACCEPTED, State.ACCEPTED.label, "text-bg-success", "推進部会が受理した"),
        Badge("overdue", "期限超過", "text-bg-danger", "期限を過ぎても提出・受理されていない"),
    ]
}
OVERDUE_NOTES = {State.DRAFT: "下書きあり", State.CHANGES_REQUESTED: "修正依頼中"}


def board_crumb(plan=None):
    url = reverse("plans:progress")
    if plan is not None:
        url += f"?plan={plan.pk}"
    return ("進捗", url)


# ---------------------------------------------------------------------------------------------
# The board


def board_projects(projects, *, on):
    """`projects` annotated for the board and in its order: those with overdue reports first,
    then by the status of their latest filed report (遅延, 注意, 順調, 完了, none), then code.

    - latest_report_id / latest_status: the newest report that is not a draft;
    - overdue: periods due before `on` without a submitted or accepted report (0 for a
      finished or stopped project).
    """
    latest = (
        ProgressReport.objects.filter(project=OuterRef("pk"))
        .exclude(state=State.DRAFT)
        .order_by("-period__number")
    )
    unfiled = (
        ReportingPeriod.objects.filter(plan=OuterRef("plan"), due_on__lt=on)
        .filter(
            ~Exists(
                ProgressReport.objects.filter(
                    project=OuterRef(OuterRef("pk")), period=OuterRef("pk"), state__in=FILED
                )
            )
        )
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return projects.annotate(
        latest_report_id=Subquery(latest.values("pk")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
        overdue=Case(
            When(status__in=FINISHED, then=V(0)),
            default=Coalesce(Subquery(unfiled, output_field=IntegerField()), V(0)),
            output_field=IntegerField(),
        ),
        not_overdue=Case(When(overdue__gt=0, then=V(0)), default=V(1)),
        severity=Case(
            *[When(latest_status=s, then=V(i)) for i, s in enumerate(SEVERITY)],
            default=V(len(SEVERITY)),
            output_field=IntegerField(),
        ),
    ).order_by("not_overdue", "severity", "code", "pk")


def cell_for(period, report, *, project, on):
    """The state of `project`'s report for `period` as the matrix shows it."""
    state = report[0] if report else None
    overdue = period.due_on < on and state not in FILED and project.status not in FINISHED
    if overdue:
        return {
            "period": period,
            "badge": CELL_BADGES["overdue"],
            "note": OVERDUE_NOTES.get(state, ""),
        }
    return {
        "period": period,
        "badge": CELL_BADGES[state or "missing"],
        "note": "",
        "report_id": report[1] if report else None,
    }


@dataclass
class BoardRow:
    project: Project
    latest: ProgressReport | None
    cells: list = field(default_factory=list)

    @property
    def status(self):
        return STATUS_BADGES[self.latest.status if self.latest else NO_REPORT]


def board_rows(projects, periods, *, on):
    """The rows of one page: the latest reports and every report's state, two queries."""
    projects = list(projects)
    latest = ProgressReport.objects.select_related("period").in_bulk(
        [p.latest_report_id for p in projects if p.latest_report_id]
    )
    states = {
        (project_id, period_id): (state, pk)
        for project_id, period_id, state, pk in ProgressReport.objects.filter(
            project__in=[p.pk for p in projects]
        ).values_list("project_id", "period_id", "state", "pk")
    }
    return [
        BoardRow(
            project=project,
            latest=latest.get(project.latest_report_id),
            cells=[
                cell_for(period, states.get((project.pk, period.pk)), project=project, on=on)
                for period in periods
            ],
        )
        for project in projects
    ]


def board_summary(projects):
    """Projects by the status of their latest report, and how many have overdue reports: one
    query, counted by the database."""
    counts = dict.fromkeys(STATUS_BADGES, 0)
    overdue = 0
    for row in (
        projects.order_by()
        .values("latest_status")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(overdue__gt=0)))
    ):
        counts[row["latest_status"] or NO_REPORT] += row["n"]
        overdue += row["late"]
    return {
        "statuses": [(badge, counts[key]) for key, badge in STATUS_BADGES.items()],
        "total": sum(counts.values()),
        "overdue": overdue,
    }


def _board_plan(request):
    """The plan the board shows: `?plan=` (404 outside the user's office), else this fiscal
    year's, else the newest."""
    raw = request.GET.get("plan", "")
    plans = plans_for(request.user)
    if raw:
        if not raw.isdigit():
            raise Http404("計画が見つかりません。")
        return get_plan_for_user(
            request.user, int(raw), perm="plans.view_progress", message=PROGRESS_REFUSAL
        )
    return (
        plans.filter(fiscal_year=FiscalYear.current().year).first()
        or plans.order_by("-fiscal_year").first()
    )


@require_perm("plans.view_progress", PROGRESS_REFUSAL)
def progress(request):
    plan = _board_plan(request)
    context = {
        "plan": plan,
        "legend": list(CELL_BADGES.values()),
        "breadcrumbs": [("進捗", None)],
    }
    if plan is None:
        return render(request, "plans/progress/board.html", context)
    data = request.GET.copy()
    data["plan"] = str(plan.pk)
    queryset = projects_for(request.user).select_related(
        "plan", "section", "working_group", "working_group__lead"
    )
    filterset = BoardFilter(data, queryset=queryset, request=request)
    on = today()
    projects = board_projects(filterset.qs if filterset.is_valid() else queryset.none(), on=on)
    page = Paginator(projects, PER_PAGE).get_page(request.GET.get("page"))
    periods = list(plan.periods.all())
    for period in periods:
        period.short_label = short_label(period)
    context.update(
        {
            "filter": filterset,
            "page_obj": page,
            "periods": periods,
            "rows": board_rows(page.object_list, periods, on=on),
            "summary": board_summary(projects),
            "today": on,
        }
    )
    return render(request, "plans/progress/board.html", context)


# ---------------------------------------------------------------------------------------------
# The timeline of one project


@dataclass
class Event:
    """One thing that happened to a project, for the timeline."""

    at: datetime | date
    kind: str
    title: str
    by: object = None
    url: str = ""
    comment: str = ""
    changes: list = field(default_factory=list)
    report: ProgressReport | None = None
    values: list = field(default_factory=list)

    @property
    def is_date(self):
        return not isinstance(self.at, datetime)

    @property
    def sort_key(self):
        if self.is_date:
            return timezone.make_aware(datetime.combine(self.at, time.min))
        return self.at

    @property
    def iso(self):
        return self.at.isoformat() if self.is_date else timezone.localtime(self.at).isoformat()


def _yen(value):
    return "（なし）" if value is None else f"{value:,}円"


PROJECT_FIELDS = [
    ("budget_requested", "予算要求額", _yen),
    ("budget_approved", "予算査定額", _yen),
    ("status", "状況", lambda v: Project.Status(v).label if v else "（なし）"),
]


def _project_events(project):
    """Registration, and every change of the budget or the status, from the history."""
    events = []
    previous = None
    for record in project.history.select_related("history_user").order_by(
        "history_date", "history_id"
    ):
        if record.history_type == "+":
            events.append(
                Event(
                    at=record.history_date,
                    kind="登録",
                    title="事業を登録しました",
                    by=record.history_user,
                    comment=record.history_change_reason or "",
                )
            )
        elif record.history_type == "~" and previous is not None:
            changes = [
                (label, show(getattr(previous, name)), show(getattr(record, name)))
                for name, label, show in PROJECT_FIELDS
                if getattr(previous, name) != getattr(record, name)
            ]
            if changes:
                events.append(
                    Event(
                        at=record.history_date,
                        kind="変更",
                        title="・".join(label for label, _, _ in changes) + "を変更しました",
                        by=record.history_user,
                        comment=record.history_change_reason or "",
                        changes=changes,
                    )
                )
        previous = record
    return events


def _report_events(reports):
    events = []
    for report in reports:
        values = [
            {
                "indicator": value.indicator,
                "actual": value.actual,
                "achievement": achievement(value.indicator, value.actual),
            }
            for value in report.values.all()
        ]
        events.append(
            Event(
                at=report.submitted_at or report.reviewed_at,
                kind="進捗報告",
                title=f"{report.period.label}の進捗報告（{report.get_state_display()}）",
                by=report.author,
                url=report.get_absolute_url(),
                report=report,
                values=values,
            )
        )
    return events


def _review_events(project):
    """Each acceptance or request for changes, read from the reports' history as a move from
    "submitted" to "accepted" or "changes requested": a report may go back and forth more
    than once, and every round is shown with its comment."""
    records = (
        ProgressReport.history.filter(project_id=project.pk)
        .select_related("history_user", "period")
        .order_by("id", "history_date", "history_id")
    )
    events = []
    previous = None
    for record in records:
        reviewed = (
            previous is not None
            and previous.id == record.id
            and previous.state == State.SUBMITTED
            and record.state in (State.ACCEPTED, State.CHANGES_REQUESTED)
        )
        if reviewed:
            events.append(
                Event(
                    at=record.history_date,
                    kind="確認",
                    title=f"{record.period.label}の進捗報告を「{State(record.state).label}」"
                    "としました",
                    by=record.history_user,
                    url=reverse("plans:report_detail", args=[record.id]),
                    comment=record.review_comment,
                )
            )
        previous = record
    return events


def _proposal_events(proposal):
    if proposal is None:
        return []
    events = [
        Event(
            at=proposal.submitted_at,
            kind="事業企画案",
            title=f"事業企画案「{proposal.title}」が提出されました",
            by=proposal.proposer,
            url=proposal.get_absolute_url(),
        )
    ]
    if proposal.decided_at:
        events.append(
            Event(
                at=proposal.decided_at,
                kind="事業企画案",
                title=f"事業企画案を「{proposal.get_status_display()}」としました",
                by=proposal.decided_by,
                url=proposal.get_absolute_url(),
                comment=proposal.decision_comment,
            )
        )
    return events


def timeline_events(project, reports):
    """Everything that happened to the project, newest first."""
    proposal = (
        Proposal.objects.filter(project=project).select_related("proposer", "decided_by").first()
    )
    evaluation = (
        YearEndEvaluation.objects.filter(project=project).select_related("evaluated_by").first()
    )
    events = [
        *_project_events(project),
        *_report_events(reports),
        *_review_events(project),
        *_proposal_events(proposal),
        *[
            Event(at=m.done_on, kind="スケジュール", title=f"「{m.title}」が完了しました")
            for m in project.milestones.filter(done_on__isnull=False)
        ],
    ]
    if evaluation is not None:
        events.append(
            Event(
                at=evaluation.evaluated_at,
                kind="年度末評価",
                title=f"年度末評価：{evaluation.get_grade_display()}・"
                f"次年度は{evaluation.get_decision_display()}",
                by=evaluation.evaluated_by,
                url=reverse("plans:project_evaluation", args=[project.pk]),
                comment=evaluation.reason,
            )
        )
    return sorted(events, key=lambda e: e.sort_key, reverse=True)


def short_label(period):
    """第1四半期（4〜6月） → 第1四半期: the chart's axis has little room."""
    return period.label.split("（")[0]


def indicator_figures(indicators, periods, reports):
    """One chart per indicator: its actual values over the periods (filed reports only),
    against its target and baseline."""
    actual = {
        (value.indicator_id, report.period_id): value.actual
        for report in reports
        for value in report.values.all()
    }
    figures = []
    for indicator in indicators:
        figures.append(
            line_figure(
                title=f"{indicator.name}（{indicator.unit}）",
                labels=[short_label(p) for p in periods],
                series=[Series("実績値", [actual.get((indicator.pk, p.pk)) for p in periods])],
                references=[
                    Reference("目標値", indicator.target),
                    Reference("基準値", indicator.baseline),
                ],
                unit=indicator.unit,
                row_header="報告期間",
                chart_id=f"indicator-{indicator.pk}",
                note=f"目指す方向：{indicator.get_direction_display()}",
            )
        )
    return figures


def project_timeline(request, pk):
    project = get_project_for_user(
        request.user, pk, perm="plans.view_progress", message=PROGRESS_REFUSAL
    )
    reports = list(
        project.progress_reports.exclude(state=State.DRAFT)
        .select_related("period", "author")
        .prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.select_related("indicator"))
        )
        .order_by("period__number")
    )
    periods = list(project.plan.periods.all())
    indicators = list(project.indicators.all())
    return render(
        request,
        "plans/progress/timeline.html",
        {
            "project": project,
            "events": timeline_events(project, reports),
            "indicators": indicators,
            "figures": indicator_figures(indicators, periods, reports) if periods else [],
            "periods": periods,
            "breadcrumbs": [
                board_crumb(project.plan),
                (project.code, project.get_absolute_url()),
                ("タイムライン", None),
            ],
        },
    )


urlpatterns = [
    path("progress/", progress, name="progress"),
    path("projects/<int:pk>/timeline/", project_timeline, name="project_timeline"),
]
