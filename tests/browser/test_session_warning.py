"""The idle-session warning (WCAG 2.2.1): its dialog, staying signed in, and running out.

The page's clock is Playwright's fake one, installed before the first page loads, so half an
hour of idleness takes no time; the server's clock is the real one.
"""

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

WARNING_TITLE = "まもなく自動的にログアウトします"


def session_times(page):
    """(idle, warning) in seconds, as the server gave them to the page."""
    body = page.locator("body")
    return int(body.get_attribute("data-session-idle")), int(
        body.get_attribute("data-session-warning")
    )


def warning_is_open(page):
    return page.evaluate("() => document.getElementById('session-warning').open")


def test_the_idle_warning_opens_on_its_button_and_keeps_the_user_signed_in(page, demo_users):
    page.clock.install()
    log_in(page, "staff")
    idle, warning = session_times(page)

    page.clock.fast_forward((idle - warning) * 1000)

    dialog = page.get_by_role("dialog", name=WARNING_TITLE)
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"あと{warning}秒でログアウトします")
    keep = dialog.get_by_role("button", name="ログインを続ける")
    expect(keep).to_be_focused()
    assert_no_axe_violations(page)

    with page.expect_response("**/accounts/keepalive/") as keepalive:
        keep.click()
    assert keepalive.value.status == 204
    expect(dialog).to_be_hidden()
    page.reload()
    expect(page.get_by_role("heading", level=1, name="ダッシュボード")).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text(demo_users["staff"].get_full_name())


def test_when_the_warning_runs_out_the_user_is_signed_out_and_told_why(
    page, demo_users, portal_url
):
    page.clock.install()
    log_in(page, "staff")
    page.goto("/guideline/")
    idle, warning = session_times(page)
    page.clock.fast_forward((idle - warning) * 1000)
    expect(page.get_by_role("dialog", name=WARNING_TITLE)).to_be_visible()

    page.clock.fast_forward(warning * 1000)

    expect(page).to_have_url(f"{portal_url}/accounts/login/?next=%2Fguideline%2F&timeout=1")
    expect(page.get_by_role("status")).to_contain_text(
        "一定時間操作がなかったため、ログアウトしました"
    )
    # The login form is shown, not skipped: the server has ended the session as well.
    assert_no_axe_violations(page)
    page.get_by_label("ユーザー名").fill("staff")
    page.get_by_label("パスワード").fill("takatsu-demo")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1, name="高津区役所サービス向上指針")).to_be_visible()


def test_activity_in_another_tab_restarts_the_count_and_staying_signed_in_closes_both_warnings(
    page, demo_users
):
    page.clock.install()
    log_in(page, "staff")
    idle, warning = session_times(page)
    page.clock.fast_forward((idle - warning - 60) * 1000)

    other = page.context.new_page()
    other.goto("/guideline/")
    page.clock.fast_forward(120 * 1000)

    assert not warning_is_open(page), "the other tab's request restarted the idle time"

    # 30 s past the moment the warning is due (the other tab's request came a moment after
    # the first forward: landing exactly on the moment raced with it), well before the end.
    page.clock.fast_forward((idle - warning - 120 + 30) * 1000)
    for tab in (page, other):
        expect(tab.get_by_role("dialog", name=WARNING_TITLE)).to_be_visible()
    other.get_by_role("button", name="ログインを続ける").click()
    for tab in (page, other):
        expect(tab.get_by_role("dialog", name=WARNING_TITLE)).to_be_hidden()
