"""The progress board's logic (進捗管理), shared by the board page and the progress report.

The board answers the subcommittee's first questions at a glance: which projects are late with
their reports, which are in trouble, and who has filed what for which period. Its rows come
in a fixed number of queries, whatever the number of projects and periods. Nothing here reads
the request: the page (plans/progress/board_views.py) and the PDF (plans/progress/report.py)
pass the projects, the periods and the day they count from.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, When
from django.db.models import Value as V
from django.db.models.functions import Coalesce

from takatsu_portal.core.charts import Reference, Series, line_figure

from ..models import ProgressReport, Project, ReportingPeriod
from .services import periods_due_soon, report_owed, reports_owed

State = ProgressReport.State
Status = ProgressReport.Status
# A report is filed once submitted or accepted (services.FILED); "changes requested" is back
# with the lead. Finished or stopped projects owe no more reports (services.reports_owed).
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
        Badge(
            "due_soon",
            "期限間近",
            "bg-warning-subtle text-dark border border-warning",
            "期限が近く、まだ提出・受理されていない（ホームでお知らせする報告）",
        ),
        Badge("overdue", "期限超過", "text-bg-danger", "期限を過ぎても提出・受理されていない"),
        Badge(
            "not_due",
            "開始前",
            "text-bg-light border",
            "事業の開始日より前に終わった期間で、報告は不要",
        ),
    ]
}
OVERDUE_NOTES = {State.DRAFT: "下書きあり", State.CHANGES_REQUESTED: "修正依頼中"}


def board_projects(projects, *, on, through=None):
    """`projects` annotated for the board and in its order: those with overdue reports first,
    then by the status of their latest filed report (遅延, 注意, 順調, 完了, none), then code.

    - latest_report_id / latest_status: the newest report that is not a draft;
    - overdue: periods due before `on` without a submitted or accepted report (0 for a
      finished or stopped project).

    `through` (a period) counts only the reports and periods up to it, for a report "as of"
    that period; the board page counts them all.
    """
    latest = (
        ProgressReport.objects.filter(project=OuterRef("pk"))
        .exclude(state=State.DRAFT)
        .order_by("-period__number")
    )
    periods = ReportingPeriod.objects.filter(due_on__lt=on)
    if through is not None:
        latest = latest.filter(period__number__lte=through.number)
        periods = periods.filter(number__lte=through.number)
    # The reports owed and not filed (services.reports_owed: none for a finished project).
    unfiled = (
        reports_owed(Project.objects.filter(pk=OuterRef("pk")), periods)
        .filter(filed=False)
        .order_by()
        .values("pk")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return projects.annotate(
        latest_report_id=Subquery(latest.values("pk")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
        overdue=Coalesce(Subquery(unfiled, output_field=IntegerField()), V(0)),
        not_overdue=Case(When(overdue__gt=0, then=V(0)), default=V(1)),
        severity=Case(
            *[When(latest_status=s, then=V(i)) for i, s in enumerate(SEVERITY)],
            default=V(len(SEVERITY)),
            output_field=IntegerField(),
        ),
    ).order_by("not_overdue", "severity", "code", "pk")


def with_report_state(projects, value, *, on):
    """`projects` narrowed to those with a report in the state `value` (提出済み, 修正依頼中),
    with a report due soon and not filed ("due_soon": the reminders' rule, periods_due_soon),
    or with an overdue one ("overdue"): what the board's 「報告の状態」 filter shows and the
    home page's attention items count, so that each item links to exactly its list (#10.9)."""
    if value == "overdue":
        late = board_projects(projects, on=on).filter(overdue__gt=0)
        return projects.filter(pk__in=late.order_by().values("pk"))
    if value == "due_soon":
        soon = periods_due_soon(
            ReportingPeriod.objects.filter(plan__in=projects.order_by().values("plan")),
            today=on,
        )
        owed = reports_owed(
            Project.objects.filter(pk=OuterRef("pk")),
            ReportingPeriod.objects.filter(pk__in=[period.pk for period in soon]),
        ).filter(filed=False)
        return projects.filter(Exists(owed))
    return projects.filter(
        Exists(ProgressReport.objects.filter(project=OuterRef("pk"), state=value))
    )


def cell_for(period, report, *, project, on, due_soon=frozenset()):
    """The state of `project`'s report for `period` as the matrix shows it; `due_soon` holds
    the ids of the periods due soon (periods_due_soon), marked 期限間近 while not filed."""
    state = report[0] if report else None
    if state is None and not project.owes_report_for(period):
        return {"period": period, "badge": CELL_BADGES["not_due"], "note": ""}
    owed = report_owed(project, period, state)
    if owed and period.due_on < on:
        return {
            "period": period,
            "badge": CELL_BADGES["overdue"],
            "note": OVERDUE_NOTES.get(state, ""),
        }
    if owed and period.pk in due_soon:
        return {
            "period": period,
            "badge": CELL_BADGES["due_soon"],
            "note": OVERDUE_NOTES.get(state, ""),
            "report_id": report[1] if report else None,
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


def board_rows(projects, periods, *, on, latest=None, due_soon=frozenset()):
    """The rows of one page: the latest reports and every report's state, two queries (one
    when the caller already holds the latest reports by id in `latest`). `due_soon`: the ids
    of the periods to mark 期限間近 (the board page's; a PDF "as of" a period marks none)."""
    projects = list(projects)
    if latest is None:
        # The reports the projects in hand point to (as `project.latest_report` would read).
        latest = ProgressReport._base_manager.select_related("period").in_bulk(
            [p.latest_report_id for p in projects if p.latest_report_id]
        )
    states = {
        (project_id, period_id): (state, pk)
        for project_id, period_id, state, pk in ProgressReport._base_manager.filter(
            project__in=[p.pk for p in projects]
        ).values_list("project_id", "period_id", "state", "pk")
    }
    return [
        BoardRow(
            project=project,
            latest=latest.get(project.latest_report_id),
            cells=[
                cell_for(
                    period,
                    states.get((project.pk, period.pk)),
                    project=project,
                    on=on,
                    due_soon=due_soon,
                )
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
