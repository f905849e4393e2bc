"""他区の優良事例 in the browser: 宮前区's subcommittee shares a good practice city-wide; a
planner of 高津区 finds it in 「他区の優良事例」 with the keyboard, reads it and copies it into a
proposal of their own plan, landing on the proposal's edit form. axe-core checks each page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import Proposal, Stage
from takatsu_portal.accounts.roles import Role
from tests.factories import (
    DepartmentFactory,
    OfficeFactory,
    SectionFactory,
    UserFactory,
    own_policy,
)
from tests.plans.factories import ImprovementFactory, PlanFactory

from .conftest import DEMO_PASSWORD, assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

TITLE = "転入手続の持ち物チェックシート"
SOURCE = "取り込み元（他区の優良事例）：宮前区役所"


def test_a_takatsu_planner_copies_a_miyamae_practice_into_a_proposal(page, portal_url):
    takatsu = OfficeFactory(code="takatsu", name="高津区役所")
    kumin = SectionFactory(department=DepartmentFactory(office=takatsu), name="区民課")
    plan = PlanFactory(office=takatsu, title="高津区役所の計画", stage=Stage.DRAFT)
    UserFactory(username="planner", password=DEMO_PASSWORD, roles=[Role.STAFF], section=kumin)
    miyamae = OfficeFactory(code="miyamae", name="宮前区役所")
    section = SectionFactory(
        department=DepartmentFactory(office=miyamae), name="戸籍住民サービス課"
    )
    author = UserFactory(username="miyamae-staff", roles=[Role.STAFF], section=section)
    manager = UserFactory(roles=[Role.SECTION_MANAGER], section=section)
    UserFactory(
        username="miyamae-subcommittee",
        password=DEMO_PASSWORD,
        roles=[Role.STAFF, Role.SUBCOMMITTEE],
        section=section,
    )
    practice = ImprovementFactory(
        author=author,
        title=TITLE,
        problem="必要な書類が揃わず、出直しになる来庁者が多かった。",
        change="持ち物チェックシートを事前に渡すようにした。",
        effect="出直しが1日5件から1件に減った。",
        acknowledged_by=manager,
        acknowledged_at=timezone.now(),
        is_good_practice=True,
    )
    practice.policies.set([own_policy(2, miyamae)])
    ImprovementFactory(author=author, title="宮前区の未共有の改善")

    # 宮前区's subcommittee shares it from the improvement's own page.
    log_in(page, "miyamae-subcommittee")
    page.goto(f"/plans/improvements/{practice.pk}/")
    share = page.get_by_role("button", name="全市に共有する")
    share.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("優良事例を全市に共有しました。")).to_be_visible()
    expect(page.get_by_role("button", name="全市への共有を取り下げる")).to_be_visible()
    assert_no_axe_violations(page)
    page.context.clear_cookies()

    # 高津区's planner finds it by keyword, with the keyboard.
    log_in(page, "planner")
    page.goto("/plans/improvements/")
    page.get_by_role("link", name="他区の優良事例を見る").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="他区の優良事例")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("キーワード").focus()
    page.keyboard.type("持ち物")
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name="他区の優良事例（共有の新しい順）")
    expect(table).to_contain_text("宮前区役所")
    expect(table).to_contain_text("戸籍住民サービス課")
    expect(page.get_by_text("宮前区の未共有の改善")).to_have_count(0)
    table.get_by_role("link", name=TITLE).focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page.get_by_text("出直しが1日5件から1件に減った。")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="提案として取り込む").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1, name="提案として取り込む")).to_be_visible()
    # The practice's policy 2 is preset as 高津区's own policy 2.
    expect(page.get_by_label(own_policy(2, takatsu).title, exact=False)).to_be_checked()
    assert_no_axe_violations(page)
    # The area is preset to 個別業務の改善; submitted without one, the form says what is
    # missing and keeps the choices.
    page.get_by_label("具体的な取組").select_option(index=0)
    page.get_by_role("button", name="取り込んで修正画面へ進む").click()
    expect(page.get_by_text("具体的な取組を選んでください。").first).to_be_visible()
    expect(page.get_by_label(own_policy(2, takatsu).title, exact=False)).to_be_checked()
    assert_no_axe_violations(page)
    page.get_by_label("具体的な取組").select_option(index=1)
    page.get_by_role("button", name="取り込んで修正画面へ進む").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1, name=f"事業企画案の修正：{TITLE}")).to_be_visible()
    expect(page.get_by_text(SOURCE, exact=False)).to_be_visible()
    assert_no_axe_violations(page)
    proposal = Proposal.objects.get()
    assert proposal.plan == plan
    assert proposal.source_practice == practice
    assert [p.number for p in proposal.policies.all()] == [2]
