"""The plans app's figures for the city's comparison of offices (区役所比較, registered with the
floor's `takatsu_portal.compare.registry` in PlansConfig.ready): the plan's stage and its
end-of-April deadline, projects by status and by basic policy, progress reports on time.
Each metric reads every office at once (grouped by office), whatever their number."""

from collections import defaultdict

from django.db.models import Count, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate

from takatsu_portal.compare.registry import Column, Metric, register
from takatsu_portal.compare.stats import percent
from takatsu_portal.core.fiscal import today

from .models import (
    STAGES,
    AnnualPlan,
    PlanDecision,
    ProgressReport,
    Project,
    ReportingPeriod,
    Stage,
)
from .progress.services import FILED, reports_owed

APPROVED_INDEX = STAGES.index(Stage.PLAN_APPROVED)
# The guard's opt-out (core/scoping.py): the offices compared are those of the reader's scope.
COMPARISON = "comparison of the offices in the reader's scope"


def plan_values(offices, fiscal_year):
    plans = list(
        AnnualPlan.objects.city_wide(COMPARISON)
        .filter(office__in=offices, fiscal_year=fiscal_year.year)
        .select_related("office")  # each office's own deadline (Office.plan_due_date)
        .annotate(projects_count=Count("projects"))
        .order_by()
    )
    approved = dict(
        PlanDecision.objects.city_wide(COMPARISON)
        .filter(
            plan__in=[p.pk for p in plans],
            to_stage=Stage.PLAN_APPROVED,
            kind=PlanDecision.Kind.ADVANCE,
        )
        .values_list("plan_id")
        .annotate(first=Min("decided_at"))
        .order_by()
    )
    day = today()
    values = {}
    for plan in plans:
        when = approved.get(plan.pk)
        approved_on = when.date() if when else None
        if plan.stage_index >= APPROVED_INDEX and approved_on is not None:
            met = "期限内" if approved_on <= plan.due_date else "期限後"
        elif plan.stage_index >= APPROVED_INDEX:
            met = "承認済み（日付の記録なし）"
        elif day > plan.due_date:
            met = "期限超過（未承認）"
        else:
            met = f"未承認（期限まで{(plan.due_date - day).days}日）"
        values[plan.office_id] = {
            "stage": plan.get_stage_display(),
            "due": plan.due_date,
            "approved": approved_on,
            "deadline": met,
            "projects": plan.projects_count,
        }
    return values


register(
    Metric(
        key="plan",
        title="年度計画の段階と承認期限",
        columns=(
            Column("stage", "段階"),
            Column("due", "承認の目途"),
            Column("approved", "計画承認日"),
            Column("deadline", "期限"),
            Column("projects", "事業数", "件"),
        ),
        values=plan_values,
        note="指針は計画を4月末を目途に作成するとしています。計画承認日は区企画調整会議の承認が記録された日です。",
        order=10,
    )
)


def _projects(offices, fiscal_year):
    return (
        Project.objects.city_wide(COMPARISON)
        .filter(plan__office__in=offices, plan__fiscal_year=fiscal_year.year)
        .order_by()
    )


def status_values(offices, fiscal_year):
    values = defaultdict(dict)
    for row in (
        _projects(offices, fiscal_year).values("plan__office_id", "status").annotate(n=Count("id"))
    ):
        values[row["plan__office_id"]][row["status"]] = row["n"]
    for office_values in values.values():
        total = sum(office_values.values())
        office_values["total"] = total
        done = office_values.get(Project.Status.COMPLETED, 0)
        running = office_values.get(Project.Status.IN_PROGRESS, 0)
        office_values["moving"] = percent(done + running, total)
    return values


register(
    Metric(
        key="projects_status",
        title="事業の状況",
        columns=(
            *(Column(value, label, "件") for value, label in Project.Status.choices),
            Column("total", "合計", "件"),
            Column("moving", "実施中・完了の割合", "%"),
        ),
        values=status_values,
        chart="moving",
        order=20,
    )
)


def policy_values(offices, fiscal_year):
    values = defaultdict(dict)
    for row in (
        _projects(offices, fiscal_year)
        .values("plan__office_id", "policies__number")
        .annotate(n=Count("id"))
    ):
        if row["policies__number"] is not None:
            values[row["plan__office_id"]][f"p{row['policies__number']}"] = row["n"]
    return values


def _policy_columns():
    """One column per basic policy (方針1 … 方針5), read once at registration: master data."""
    return tuple(Column(f"p{number}", f"方針{number}", "件") for number in range(1, 6))


register(
    Metric(
        key="projects_policy",
        title="基本方針別の事業数",
        columns=_policy_columns(),
        values=policy_values,
        note="一つの事業が複数の基本方針に当たるときは、それぞれに数えます。"
        "方針1〜5は「区役所サービス5つの基本方針」の番号です。",
        order=30,
    )
)


def progress_values(offices, fiscal_year):
    """Reports due by today, as the board and the reminders count them
    (progress.services.reports_owed): for each period whose due date has passed, each project
    of the plan that owed it; of those, the ones filed (submitted or accepted: one sent back
    is missing, as on the board) by the due date and after it."""
    periods = ReportingPeriod.objects.filter(
        plan__office__in=offices, plan__fiscal_year=fiscal_year.year, due_on__lt=today()
    )
    submitted = ProgressReport.objects.filter(
        project=OuterRef("pk"),
        period=OuterRef("owed_period_id"),
        state__in=FILED,
        submitted_at__isnull=False,
    ).annotate(day=TruncDate("submitted_at"))
    rows = (
        reports_owed(Project.objects.city_wide(COMPARISON), periods)
        .annotate(submitted_on=Subquery(submitted.values("day")[:1]))
        .values("plan__office_id")
        .annotate(
            expected=Count("pk"),
            on_time=Count("pk", filter=Q(submitted_on__lte=F("owed_due_on"))),
            late=Count("pk", filter=Q(submitted_on__gt=F("owed_due_on"))),
        )
        .order_by()
    )
    values = {}
    for row in rows:
        due, on_time, late = row["expected"], row["on_time"], row["late"]
        values[row["plan__office_id"]] = {
            "expected": due,
            "on_time": on_time,
            "late": late,
            "missing": due - on_time - late,
            "rate": percent(on_time, due),
        }
    return values


register(
    Metric(
        key="progress",
        title="進捗報告の提出状況",
        columns=(
            Column("expected", "期限を過ぎた報告", "件"),
            Column("on_time", "期限内に提出", "件"),
            Column("late", "期限後に提出", "件"),
            Column("missing", "未提出", "件"),
            Column("rate", "期限内の割合", "%"),
        ),
        values=progress_values,
        chart="rate",
        note="報告期限を過ぎた報告期間ごとに、報告を求める事業（完了・中止でなく、期間の終了前に"
        "始まったもの。進捗管理の一覧と同じ数え方）を1件と数えます。",
        order=40,
    )
)
