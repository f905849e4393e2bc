"""Signing in and out through the login form, with a mouse and with the keyboard only."""

import re

import pytest
from playwright.sync_api import expect

from takatsu_portal.core.context_processors import NAVIGATION

from .conftest import DEMO_USERS, assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

LOGIN_ERROR = "ユーザー名またはパスワードが正しくありません。大文字と小文字は区別されます。"


@pytest.mark.parametrize("username", DEMO_USERS)
def test_each_demo_role_logs_in_through_the_form_and_sees_its_navigation(
    page, demo_users, username
):
    user = demo_users[username]
    role = DEMO_USERS[username][1]

    log_in(page, username)

    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name=user.get_full_name())).to_be_visible()
    expect(header).to_contain_text(f"（{role.label}）")
    expected = ["ホーム", *(item.label for item in NAVIGATION if user.has_perm(item.perm))]
    if user.has_perm("portal.admin_site"):
        expected.append("管理")
    assert ("管理" in expected) is (username == "admin")
    menu = page.get_by_role("navigation", name="メインメニュー").get_by_role("list")
    expect(menu.get_by_role("link")).to_have_text(expected)
    expect(menu.get_by_role("link", name="ホーム")).to_have_attribute("aria-current", "page")
    assert_no_axe_violations(page)


def test_the_login_page_passes_axe_and_a_wrong_password_does_not_tell_whether_the_user_exists(
    page, demo_users
):
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1, name="ログイン")).to_be_visible()
    assert_no_axe_violations(page)

    answers = []
    for username in ["staff", "nobody"]:
        page.get_by_label("ユーザー名").fill(username)
        page.get_by_label("パスワード").fill("wrong-password")
        page.get_by_role("button", name="ログイン").click()
        expect(page.get_by_role("alert")).to_have_text(LOGIN_ERROR)
        expect(page).to_have_title(re.compile(r"^エラー：ログイン"))
        answers.append(page.locator("body").inner_text())
    assert answers[0] == answers[1]
    assert_no_axe_violations(page)


def test_on_the_home_page_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(
    page, demo_users
):
    log_in(page, "staff")
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="本文へ移動")
    expect(skip_link).to_be_focused()
    assert skip_link.bounding_box()["width"] > 50, "the focused skip link should be seen"
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


def test_on_the_login_page_tab_reaches_the_skip_link_first(page):
    page.goto("/accounts/login/")

    page.keyboard.press("Tab")

    assert page.evaluate("() => document.activeElement.textContent") == "本文へ移動"


def test_the_login_form_can_be_completed_with_the_keyboard_only(page, demo_users):
    page.goto("/accounts/login/")
    username = page.get_by_label("ユーザー名")
    for _ in range(5):
        if username.evaluate("(field) => field === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(username).to_be_focused()

    page.keyboard.type("council")
    page.keyboard.press("Tab")
    expect(page.get_by_label("パスワード")).to_be_focused()
    page.keyboard.type("takatsu-demo")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1, name="ダッシュボード")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text(demo_users["council"].get_full_name())


def test_logout_from_the_header_returns_to_the_login_page(page, demo_users):
    log_in(page, "staff")

    page.get_by_role("banner").get_by_role("button", name="ログアウト").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", level=1, name="ログイン")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
