"""区役所比較 in the browser: the city planning bureau's account opens the comparison of two
wards from the menu, changes the year with the keyboard, reads a chart's table and exports the
comparison; a ward's subcommittee member has no such menu entry. axe-core checks the page."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from plans.models import Stage
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.fiscal import FiscalYear
from tests.factories import DepartmentFactory, OfficeFactory, SectionFactory, UserFactory
from tests.feedback.factories import AnswerFactory, QuestionFactory, ResponseFactory, SurveyFactory
from tests.plans.factories import PlanFactory, ProjectFactory

from .conftest import DEMO_PASSWORD, assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser


def ward(code, name, scores):
    office = OfficeFactory(code=code, name=name)
    section = SectionFactory(department=DepartmentFactory(office=office), name=f"{name}区民課")
    plan = PlanFactory(office=office, title=f"{name}の計画", stage=Stage.IN_PROGRESS)
    ProjectFactory(plan=plan, section=section, status="in_progress")
    survey = SurveyFactory(office=office, title=f"{name}アンケート")
    question = QuestionFactory(survey=survey, order=1)
    today = datetime.date.today()
    for score in scores:
        response = ResponseFactory(survey=survey, submitted_on=today)
        AnswerFactory(response=response, question=question, number=Decimal(score))
    return office, section


def test_the_city_opens_the_comparison_and_exports_it(page, portal_url):
    _, takatsu_section = ward("takatsu", "高津区役所", [5, 4, 4, 3, 5, 2, 4, 4])
    ward("miyamae", "宮前区役所", [5, 2, 4])
    UserFactory(username="city", password=DEMO_PASSWORD, roles=[Role.CITY], section=None)
    UserFactory(
        username="subcommittee",
        password=DEMO_PASSWORD,
        roles=[Role.SUBCOMMITTEE],
        section=takatsu_section,
    )

    log_in(page, "city")
    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="区役所比較"
    ).click()
    expect(page.get_by_role("heading", level=1, name="区役所比較")).to_be_visible()
    expect(page).to_have_title("区役所比較 - 高津区役所サービスポータル")
    satisfaction = page.get_by_role("table", name="区民満足度（総合）（", exact=False).first
    expect(satisfaction).to_contain_text("高津区役所")
    expect(satisfaction).to_contain_text("宮前区役所")
    expect(satisfaction).to_contain_text("95%信頼区間の下限")
    assert_no_axe_violations(page)

    # A chart's numbers are in a table behind a disclosure that the keyboard opens.
    section = page.locator("section", has=page.locator("#metric-satisfaction"))
    section.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(section.locator("table.chart-table")).to_be_visible()
    assert_no_axe_violations(page)

    # Last year, then this year again.
    this_year = FiscalYear.current()
    page.get_by_label("年度", exact=True).select_option(str(this_year.previous().year))
    page.get_by_role("button", name="表示する").click()
    expect(page.locator("#compare-year")).to_have_text(f"対象の年度：{this_year.previous().label}")
    page.get_by_label("年度", exact=True).select_option(str(this_year.year))
    page.get_by_role("button", name="表示する").click()
    expect(page.locator("#compare-year")).to_have_text(f"対象の年度：{this_year.label}")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel（.xlsx）出力").click()
    assert download.value.suggested_filename.endswith("区役所比較.xlsx")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV出力", exact=True).click()
    path = download.value.path()
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    assert "区民満足度（総合）,宮前区役所,回答件数,3,件" in text

    # A ward's subcommittee member has no such entry, and the address answers 403.
    page.context.clear_cookies()
    log_in(page, "subcommittee")
    menu = page.get_by_role("navigation", name="メインメニュー")
    expect(menu.get_by_role("link", name="区役所比較")).to_have_count(0)
    response = page.goto("/compare/")
    assert response.status == 403
    expect(page.get_by_text("総合企画局の職員と管理者が利用できます")).to_be_visible()
