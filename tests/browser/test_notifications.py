"""The notifications page, kept per user with its forms' tokens put in per request
(core/notifications/views.py): it passes axe, its badge in the header follows, and marking
one read works from the keyboard on a page read from the cache."""

import re

import pytest
from playwright.sync_api import expect

from takatsu_portal.core.notifications import notify

from .conftest import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser


def test_marking_a_notification_read_from_the_kept_page_with_the_keyboard(page, demo_users):
    notify(recipient=demo_users["staff"], message="進捗報告が受理されました。")
    notify(recipient=demo_users["staff"], message="研修の申込みが確定しました。")
    log_in(page, "staff")
    badge = page.get_by_role("banner").get_by_role("link", name="お知らせ 未読2件")
    expect(badge).to_be_visible()
    badge.click()
    expect(page.get_by_role("heading", level=1, name="お知らせ")).to_be_visible()
    assert_no_axe_violations(page)
    page.reload()  # the list now comes from the cache, with this request's tokens
    button = page.get_by_role("button", name=re.compile("既読にする.*進捗報告が受理されました"))
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="お知らせを既読にしました。")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="お知らせ 未読1件")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("既読にする.*進捗報告"))).to_have_count(0)
    expect(page.get_by_role("main")).not_to_contain_text("{#")
    assert_no_axe_violations(page)
