"""The floor's searchable checkbox list (#10.11, core.forms.SearchableCheckboxes) in the
browser: on a resident voice, 対応する事業 lists this year's projects as checkboxes; typing in
its search box narrows the list (the count is announced), a box is ticked with the keyboard
alone and the choice is saved; axe-core finds nothing on the page, filtered or not."""

import re

import pytest
from playwright.sync_api import expect

from takatsu_portal.core.fiscal import FiscalYear
from tests.feedback.factories import VoiceFactory
from tests.plans.factories import PlanFactory, ProjectFactory

from .conftest import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

TITLES = [
    "総合案内の表示の改善",
    "窓口の待ち時間の表示",
    "庁舎内の案内サインの見直し",
    "職員研修の充実",
    "区民アンケートの実施",
    "証明書発行の手続きの簡素化",
]


def test_a_project_is_found_by_typing_ticked_with_the_keyboard_and_saved(page, demo_users, section):
    office = section.department.office
    year = FiscalYear.current().year
    plan = PlanFactory(office=office, fiscal_year=year, stage="in_progress")
    last_year = PlanFactory(office=office, fiscal_year=year - 1)
    projects = [
        ProjectFactory(plan=plan, code=f"R8-{n:02d}", title=title, section=section)
        for n, title in enumerate(TITLES, start=1)
    ]
    ProjectFactory(plan=last_year, code="R7-01", title="昨年度の案内の事業", section=section)
    voice = VoiceFactory(office=office, section=section, recorded_by=demo_users["staff"])

    log_in(page, "manager")
    page.goto(voice.get_absolute_url())
    choices = page.get_by_role("group", name=re.compile("対応する事業"))
    boxes = choices.get_by_role("checkbox")
    # This year's projects only; last year's on request.
    expect(boxes).to_have_count(len(TITLES))
    expect(choices.get_by_role("link", name="ほかの年度の事業も表示する")).to_be_visible()
    search = choices.get_by_role("searchbox", name=re.compile("事業を絞り込む"))
    expect(search).to_be_visible()
    expect(choices.get_by_text("6件中6件を表示しています。")).to_be_visible()
    assert_no_axe_violations(page)

    def box(project):
        return choices.locator(f"input[type=checkbox][value='{project.pk}']")

    search.click()
    page.keyboard.type("案内")
    expect(choices.get_by_text("6件中2件を表示しています。")).to_be_visible()
    # get_by_role leaves hidden elements out: the checkboxes still shown.
    assert [b.get_attribute("value") for b in boxes.all()] == [
        str(projects[0].pk),
        str(projects[2].pk),
    ]
    expect(box(projects[1])).to_be_hidden()
    assert_no_axe_violations(page)

    # Enter in the search box does not send the form; Tab reaches the first shown checkbox
    # (the hidden ones take no Tab stop), Tab again the second, Space ticks it.
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/voices/{voice.pk}/$"))
    page.keyboard.press("Tab")
    expect(box(projects[0])).to_be_focused()
    page.keyboard.press("Tab")
    expect(box(projects[2])).to_be_focused()
    page.keyboard.press("Space")
    expect(box(projects[2])).to_be_checked()
    # A checked choice stays in the list whatever is typed next.
    search.fill("研修")
    expect(choices.get_by_text("6件中2件を表示しています。")).to_be_visible()
    expect(box(projects[2])).to_be_visible()
    expect(box(projects[3])).to_be_visible()
    expect(box(projects[0])).to_be_hidden()

    page.get_by_role("button", name="事業を保存する").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("対応する事業を保存しました")).to_be_visible()
    assert list(voice.projects.all()) == [projects[2]]
    # The linked project stays ticked in the form after saving.
    expect(box(projects[2])).to_be_checked()
    assert_no_axe_violations(page)
