"""The progress board's content is rendered once per office, plan, filter and page and kept in
the cache (core/shared_cache.py) until a service reports a change: the people of the office
share it, another office never sees it, and nobody sees a board from before their own change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import ProgressReport, ReportingPeriod
from plans.plan.services import plan_create
from takatsu_portal.core.fiscal import FiscalYear, today
from tests.plans.factories import PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db

URL = reverse("plans:progress")


@pytest.fixture
def plan(office):
    return PlanFactory(office=office, fiscal_year=FiscalYear.current().year, stage="in_progress")


@pytest.fixture
def draft(plan, group, people, sections):
    on = today()
    period = ReportingPeriod.objects.create(
        plan=plan,
        number=1,
        label="第1期（テスト）",
        starts_on=on.replace(day=1),
        ends_on=on,
        due_on=on,
    )
    project = ProjectFactory(
        plan=plan, code="C-001", title="案内表示の改善", working_group=group, section=sections.kumin
    )
    return ProgressReport.objects.create(
        project=project,
        period=period,
        author=people.lead,
        plan_text="計画",
        do_text="実施",
        check_text="評価",
        act_text="改善",
    )


def board(client, user, **query):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode(), captured


def test_the_board_is_rendered_once_for_the_people_of_the_office(client, people, draft):
    first, computed = board(client, people.subcommittee)
    second, cached = board(client, people.manager)
    assert "C-001 案内表示の改善" in first
    assert "C-001 案内表示の改善" in second
    assert any("plans_progressreport" in q["sql"] for q in computed.captured_queries)
    assert not any("plans_progressreport" in q["sql"] for q in cached.captured_queries)
    assert len(cached.captured_queries) < len(computed.captured_queries)


def test_a_lead_sees_their_own_submission_on_the_board_at_once(client, people, draft):
    html, _ = board(client, people.lead)
    assert "下書き" in html
    response = client.post(
        reverse("plans:report_submit", args=[draft.pk]), {"version": draft.version}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == ProgressReport.State.SUBMITTED
    html, _ = board(client, people.lead)
    assert "第1期（テスト）・提出済み" in html


def test_each_filter_and_page_has_its_own_copy(client, people, draft, sections):
    everything, _ = board(client, people.subcommittee)
    assert "C-001" in everything
    other_section, _ = board(client, people.subcommittee, section=sections.hoken.pk)
    assert "C-001 案内表示の改善" not in other_section


def test_another_office_never_reads_this_offices_board(client, people, stranger, draft):
    board(client, people.subcommittee)
    PlanFactory(office=stranger.office, fiscal_year=FiscalYear.current().year)
    html, _ = board(client, stranger)
    assert "C-001" not in html


def test_with_the_cache_off_the_board_is_computed_each_time(client, people, draft, settings):
    settings.SHARED_CACHE_SECONDS = 0
    board(client, people.subcommittee)
    _, captured = board(client, people.subcommittee)
    assert any("plans_progressreport" in q["sql"] for q in captured.captured_queries)


def plans_reads(captured):
    return [q["sql"] for q in captured.captured_queries if '"plans_' in q["sql"]]


def test_a_change_in_one_office_leaves_the_other_offices_board_cached(
    client, people, stranger, draft
):
    from takatsu_portal.core import attention
    from takatsu_portal.core.versioning import save_versioned

    PlanFactory(office=stranger.office, fiscal_year=FiscalYear.current().year, stage="in_progress")
    _, computed = board(client, stranger)
    board(client, people.subcommittee)
    _, cached = board(client, stranger)
    assert len(plans_reads(cached)) < len(plans_reads(computed))  # the plan's lookup only

    draft.plan_text = "計画を見直した"
    save_versioned(draft, by=people.lead)  # a change in 高津区

    _, other = board(client, stranger)
    assert len(plans_reads(other)) == len(plans_reads(cached))  # 宮前区's copy: a cache hit
    _, own = board(client, people.subcommittee)
    assert any("plans_progressreport" in sql for sql in plans_reads(own))

    attention.changed()  # a change for every office
    _, again = board(client, stranger)
    assert len(plans_reads(again)) == len(plans_reads(computed))


def test_the_kept_board_chooses_its_plan_and_shows_a_new_plan_at_the_next_request(
    client, people, office
):
    """Without ?plan= the board's choice of plan (this fiscal year's, else the newest) is kept
    with its content, so a kept board runs no query of its own; a plan made since shows at the
    next request (the plan's save moves the office's data generation)."""
    empty, _ = board(client, people.subcommittee)
    assert "まだ計画がありません" in empty
    year = FiscalYear.current().year
    plan_create(office=office, fiscal_year=year - 1, by=people.subcommittee, title="昨年度の計画")
    html, _ = board(client, people.subcommittee)
    assert "まだ計画がありません" not in html and "昨年度の計画：状況のまとめ" in html
    current = plan_create(
        office=office, fiscal_year=year, by=people.subcommittee, title="今年度の計画"
    )
    html, _ = board(client, people.manager)
    assert "今年度の計画：状況のまとめ" in html
    assert f'href="{current.get_absolute_url()}"' in html
    again, kept = board(client, people.manager)
    assert "今年度の計画：状況のまとめ" in again
    own = [q["sql"] for q in kept.captured_queries if "plans_" in q["sql"]]
    assert own == []  # the plan's choice came with the kept content
