"""The plans demo seeded at other dates of the fiscal year (demo/plans.py): each test builds the
whole demo under a frozen clock, so it cannot share test_plans.py's seed."""

import pytest

from plans.models import ProgressReport, Project

from . import seeding
from .test_plans import _reports, current_plan

pytestmark = pytest.mark.django_db


# The brief's November, early October (the second quarter over but not yet due) and February
# (three quarters over).
SEED_DAYS = ["2026-11-25", "2026-10-05", "2027-02-15"]


@pytest.mark.parametrize("day", SEED_DAYS)
def test_the_quarters_that_have_ended_have_reports_in_every_state_and_status(day):
    import time_machine

    from plans.progress.services import period_specs
    from takatsu_portal.core.fiscal import today

    with time_machine.travel(f"{day} 10:00 +0900", tick=False):
        seeding.seed_demo()
        plan = current_plan()
        reports = _reports(plan)
        ended = [p for p in plan.periods.all() if p.ends_on < today()]
        overdue = [p for p in ended if p.due_on < today()]

    assert (plan.reporting_frequency, plan.report_due_days) == ("quarterly", 10)
    periods = list(plan.periods.values_list("number", "label", "starts_on", "ends_on", "due_on"))
    specs = period_specs(plan.fiscal_year, "quarterly", 10)
    assert periods == [(s.number, s.label, s.starts_on, s.ends_on, s.due_on) for s in specs]
    assert not plan.previous_plan.periods.exists()

    assert {r.period for r in reports} == set(ended)
    assert {r.state for r in reports} == set(ProgressReport.State)
    assert {r.status for r in reports} == set(ProgressReport.Status)
    latest = [r for r in reports if r.period == ended[-1]]
    by_state = {state: [r for r in latest if r.state == state] for state in ProgressReport.State}
    assert len(by_state[ProgressReport.State.SUBMITTED]) >= 3
    assert len(by_state[ProgressReport.State.CHANGES_REQUESTED]) >= 2
    assert len(by_state[ProgressReport.State.DRAFT]) >= 2
    assert len(by_state[ProgressReport.State.ACCEPTED]) > len(latest) / 3
    for report in reports:
        if report.period != ended[-1]:
            assert report.state == ProgressReport.State.ACCEPTED, report
    # A few projects have filed nothing for a period that is due: overdue on the board.
    with_group = plan.projects.filter(working_group__isnull=False).exclude(
        status__in=[Project.Status.COMPLETED, Project.Status.SUSPENDED]
    )
    filed = {(r.project_id, r.period_id) for r in reports}
    missing = [(p, q) for p in with_group for q in overdue if (p.pk, q.pk) not in filed]
    assert 2 <= len(missing) <= 4
    assert not ProgressReport.objects.filter(
        project__plan=plan, project__working_group__isnull=True
    ).exists()
