"""The plan's main flow in the browser, as the people who do it: the subcommittee drafts the
year's plan and adds a project, the council approves the plan and then the projects at its
meetings, and the subcommittee requests the budget. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import AnnualPlan, PlanDecision, Stage
from takatsu_portal.core.fiscal import FiscalYear

from .conftest import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser


def label(text):
    """A field's label as crispy renders it: the text, and an asterisk when required."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def heading(page, name):
    return page.get_by_role("heading", level=1, name=name)


def sign_in_as(page, username):
    page.context.clear_cookies()
    log_in(page, username)


def decide_on_the_meeting_page(page, meeting_url, item_title, decision, comment):
    page.goto(meeting_url)
    item = page.locator("article").filter(has_text=item_title)
    item.get_by_role("combobox", name=label("決定")).select_option(label=decision)
    item.get_by_role("textbox", name=label("コメント・条件・理由")).fill(comment)
    item.get_by_role("button", name="決定を記録する").click()


def test_draft_plan_to_budget_request(page, demo_users):
    year = FiscalYear.current()

    # The subcommittee drafts the plan.
    sign_in_as(page, "subcommittee")
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="計画").click()
    expect(heading(page, "計画")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="計画を作成する").click()
    expect(heading(page, "計画の作成")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("計画の概要").fill("窓口の待ち時間の短縮と案内の分かりやすさを重点とする。")
    page.get_by_role("button", name="保存する").click()
    plan = AnnualPlan.objects.get()
    expect(heading(page, plan.title)).to_be_visible()
    assert plan.fiscal_year == year.year
    assert_no_axe_violations(page)

    # ... adds a project to it.
    page.get_by_role("link", name="事業一覧").click()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="新規作成").click()
    assert_no_axe_violations(page)
    page.get_by_label(label("事業コード")).fill("R8-01")
    page.get_by_label(label("事業名")).fill("窓口の待ち時間表示の改善")
    page.get_by_role("textbox", name=label("事業の内容")).fill(
        "呼出し番号と待ち時間を表示するモニターを設置する。"
    )
    page.get_by_label("区民の声に耳を傾け、区民の視点に立った区役所").check()
    page.get_by_label(label("具体的な取組")).select_option(label="(1) 窓口サービスの満足度の向上")
    page.get_by_label(label("所管課")).select_option(index=1)
    page.get_by_label(label("予算要求額（円）")).fill("1200000")
    page.get_by_role("button", name="保存する").last.click()
    expect(heading(page, "R8-01 窓口の待ち時間表示の改善")).to_be_visible()
    assert_no_axe_violations(page)

    # ... and reports the draft to the council.
    page.goto(plan.get_absolute_url())
    page.get_by_label("コメント（判断の理由）").first.fill("素案がまとまったため報告する。")
    page.get_by_role("button", name="区企画調整会議に報告する").click()
    expect(page.get_by_role("status").filter(has_text="区企画調整会議へ報告")).to_be_visible()
    assert_no_axe_violations(page)

    # The subcommittee registers the council meeting with the plan on its agenda.
    page.goto("/plans/council/new/")
    expect(heading(page, "会議の登録")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("textbox", name=label("会議名")).fill(f"{year.era_label} 第1回区企画調整会議")
    page.get_by_label(label("開催日")).fill(year.start.replace(day=24).isoformat())
    page.get_by_role("button", name="保存する").click()
    meeting_url = page.url
    page.get_by_role("textbox", name=label("議題")).fill("区役所サービス向上計画（素案）について")
    page.get_by_role("combobox", name=label("対象")).select_option(label="計画の承認")
    page.get_by_role("combobox", name=label("計画")).select_option(value=str(plan.pk))
    page.get_by_role("button", name="議題を追加").click()
    expect(page.get_by_role("status")).to_contain_text("提示する計画の版：第2版")
    assert_no_axe_violations(page)

    # The council approves the plan at the meeting.
    sign_in_as(page, "council")
    decide_on_the_meeting_page(
        page,
        meeting_url,
        "区役所サービス向上計画（素案）について",
        "承認",
        "原案のとおり承認する。",
    )
    expect(page.get_by_text("原案のとおり承認する。").first).to_be_visible()
    assert_no_axe_violations(page)
    plan.refresh_from_db()
    assert plan.stage == Stage.PLAN_APPROVED

    # The subcommittee consolidates the projects and puts them on the next agenda.
    sign_in_as(page, "subcommittee")
    page.goto(plan.get_absolute_url())
    page.get_by_label("コメント（判断の理由）").first.fill("事業企画案を取りまとめた。")
    page.get_by_role("button", name="事業企画案の作成を完了する").click()
    page.goto(meeting_url)
    page.get_by_role("textbox", name=label("議題")).fill(
        "区役所サービス向上計画の事業（案）について"
    )
    page.get_by_role("combobox", name=label("対象")).select_option(label="事業の承認")
    page.get_by_role("combobox", name=label("計画")).select_option(value=str(plan.pk))
    page.get_by_role("button", name="議題を追加").click()

    # The council approves the projects with a condition.
    sign_in_as(page, "council")
    decide_on_the_meeting_page(
        page,
        meeting_url,
        "区役所サービス向上計画の事業（案）について",
        "条件付き承認",
        "待ち時間の指標を四半期ごとに報告すること。",
    )
    plan.refresh_from_db()
    assert plan.stage == Stage.PROJECTS_APPROVED

    # The subcommittee requests the budget; the plan page shows every decision.
    sign_in_as(page, "subcommittee")
    page.goto(plan.get_absolute_url())
    page.get_by_label("コメント（判断の理由）").first.fill("予算要求書を財政課に提出した。")
    page.get_by_role("button", name="予算要求を行う").click()
    expect(page.get_by_role("heading", level=2, name="段階：予算要求")).to_be_visible()
    assert_no_axe_violations(page)
    decisions = page.get_by_role("table").filter(has_text="決定者")
    expect(decisions).to_contain_text("待ち時間の指標を四半期ごとに報告すること。")
    expect(decisions).to_contain_text("梶ケ谷 三郎")
    plan.refresh_from_db()
    assert plan.stage == Stage.BUDGET_REQUESTED
    assert PlanDecision.objects.filter(plan=plan).count() == 5

    page.get_by_role("link", name="予算の集計").click()
    expect(page.get_by_role("main")).to_contain_text("1,200,000円")
    assert_no_axe_violations(page)
