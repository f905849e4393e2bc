"""Every page a signed-in member reaches from the menus passes axe; the password change
works from the profile page to the next sign-in."""

import re

import pytest
from playwright.sync_api import expect

from takatsu_portal.core.context_processors import NAVIGATION

from .conftest import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Kuji-sakura-2026"


def heading(page, name):
    return page.get_by_role("heading", level=1, name=name)


def test_every_area_in_the_menu_opens_with_its_link_marked_current_and_passes_axe(page, demo_users):
    user = demo_users["subcommittee"]
    labels = [item.label for item in NAVIGATION if user.has_perm(item.perm)]
    # Every area of a ward; 区役所比較 is the city's (tests/browser/test_compare_flow.py).
    ward_areas = [item.label for item in NAVIGATION if item.key != "compare"]
    assert labels == ward_areas, "the subcommittee sees every area of a ward"
    log_in(page, "subcommittee")
    menu = page.get_by_role("navigation", name="メインメニュー")

    for label in labels:
        menu.get_by_role("link", name=label, exact=True).click()
        expect(heading(page, label)).to_be_visible()
        expect(page).to_have_title(f"{label} - 高津区役所サービスポータル")
        current = menu.locator("[aria-current=page]")
        expect(current).to_have_text(label)
        assert_no_axe_violations(page)


def test_the_guideline_profile_and_password_pages_pass_axe(page, demo_users):
    log_in(page, "subcommittee")

    page.get_by_role("contentinfo").get_by_role("link", name=re.compile("サービス向上指針")).click()
    expect(heading(page, "高津区役所サービス向上指針")).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_have_count(2)
    assert_no_axe_violations(page)

    page.get_by_role("banner").get_by_role("link", name="久地 次郎").click()
    expect(heading(page, "アカウント情報")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("区役所サービス推進部会 委員")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="パスワードを変更する").click()
    expect(heading(page, "パスワードの変更")).to_be_visible()
    assert_no_axe_violations(page)


def test_a_member_without_the_permission_gets_a_japanese_refusal_that_passes_axe(page, demo_users):
    log_in(page, "staff")

    response = page.goto("/reports/")

    assert response.status == 403
    expect(heading(page, "このページにはアクセスできません")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("報告書は推進部会委員")
    assert_no_axe_violations(page)


def test_the_password_change_works_from_the_profile_page_to_the_next_sign_in(page, demo_users):
    log_in(page, "subcommittee")
    page.get_by_role("banner").get_by_role("link", name="久地 次郎").click()
    page.get_by_role("link", name="パスワードを変更する").click()

    # A slip first: the error is tied to its field, the title says so, and axe passes.
    page.get_by_label("元のパスワード").fill("takatsu-demo")
    page.get_by_label(re.compile(r"新しいパスワード\*?\s*$")).fill(NEW_PASSWORD)
    page.get_by_label("新しいパスワード(確認用)").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="変更する").click()
    confirmation = page.get_by_label("新しいパスワード(確認用)")
    expect(confirmation).to_have_attribute("aria-invalid", "true")
    expect(confirmation).to_have_accessible_description(re.compile("一致しません"))
    expect(page).to_have_title(re.compile(r"^エラー：パスワードの変更"))
    assert_no_axe_violations(page)

    page.get_by_label("元のパスワード").fill("takatsu-demo")
    page.get_by_label(re.compile(r"新しいパスワード\*?\s*$")).fill(NEW_PASSWORD)
    confirmation.fill(NEW_PASSWORD)
    page.get_by_role("button", name="変更する").click()
    expect(heading(page, "ダッシュボード")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("パスワードを変更しました。")

    page.get_by_role("button", name="ログアウト").click()
    page.get_by_label("ユーザー名").fill("subcommittee")
    page.get_by_label("パスワード").fill("takatsu-demo")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("alert")).to_contain_text("正しくありません")
    log_in(page, "subcommittee", NEW_PASSWORD)
