"""The progress board (進捗管理) of a plan, and a project's timeline with its indicator charts.

The board's logic (its order, summary, matrix cells and indicator charts) lives in
plans/board.py, shared with the progress report; this module reads the request and renders.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone

from takatsu_portal.accounts.permissions import is_wg_lead, require_perm
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.shared_cache import render_shared, scope_part

from ..access import get_plan_for_user, get_project_for_user, plans_for, projects_for
from ..models import (
    IndicatorValue,
    ProgressReport,
    Project,
    Proposal,
    YearEndEvaluation,
)
from .board import (
    CELL_BADGES,
    State,
    board_projects,
    board_rows,
    board_summary,
    indicator_figures,
    short_label,
)
from .forms import BoardFilter
from .services import achievement, periods_due_soon

PROGRESS_REFUSAL = (
    "進捗管理はワーキンググループリーダー・推進部会委員・区企画調整会議委員・課長・管理者が"
    "利用できます。"
)
PER_PAGE = 50


def board_crumb(plan=None):
    url = reverse("plans:progress")
    if plan is not None:
        url += f"?plan={plan.pk}"
    return ("進捗", url)


# ---------------------------------------------------------------------------------------------
# The board


def _chosen_plan(request):
    """The plan asked for with `?plan=` (404 outside the user's office), else None."""
    raw = request.GET.get("plan", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("計画が見つかりません。")
    return get_plan_for_user(
        request.user, int(raw), perm="plans.view_progress", message=PROGRESS_REFUSAL
    )


def _default_plan(user, year):
    """The plan the board shows without `?plan=`: fiscal year `year`'s, else the newest."""
    plans = plans_for(user)
    return plans.filter(fiscal_year=year).first() or plans.order_by("-fiscal_year").first()


@require_perm("plans.view_progress", PROGRESS_REFUSAL)
def progress(request):
    chosen = _chosen_plan(request)  # checked at every request: a hand-typed id is refused
    year = FiscalYear.current().year

    def content():
        plan = chosen or _default_plan(request.user, year)
        context = {"plan": plan, "legend": list(CELL_BADGES.values())}
        if plan is None:
            return context
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
        due_soon = {period.pk for period in periods_due_soon(periods, today=on)}
        return {
            **context,
            "filter": filterset,
            "page_obj": page,
            "periods": periods,
            "rows": board_rows(page.object_list, periods, on=on, due_soon=due_soon),
            "summary": board_summary(projects),
            "today": on,
        }

    # The same for everyone of the office: kept until the plans' data changes (or the day),
    # with the choice of the plan when none is asked for (this fiscal year's, else the newest:
    # a new plan moves the office's data generation). A working-group lead's filter form offers
    # 「自分がリーダーのワーキンググループだけ」 and that filter reads the user, so a lead's copy
    # is the lead's own.
    person = f"lead-{request.user.pk}" if is_wg_lead(request.user) else "anyone"
    which = chosen.pk if chosen else f"default-{year}"
    board_content = render_shared(
        "progress-board-page",
        (scope_part(request.user), person, which, sorted(request.GET.lists())),
        "plans/progress/_board_content.html",
        content,
        query=request.GET,
        scope=office_scope_of(request.user),
    )
    return render(
        request,
        "plans/progress/board.html",
        {"board_content": board_content, "breadcrumbs": [("進捗", None)]},
    )


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
        Proposal._base_manager.filter(project=project)
        .select_related("proposer", "decided_by")
        .first()
    )
    evaluation = (
        YearEndEvaluation.objects.for_office(project.plan.office_id)
        .filter(project=project)
        .select_related("evaluated_by")
        .first()
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
