"""The bulletin in the browser, as the people who use it: the editor writes and publishes a
required article, a member of staff confirms it from the home page, and the section manager's
閲覧状況 changes. axe-core checks every page on the way."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from bulletins.models import Article, Confirmation

from .conftest import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser


def label(text):
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def heading(page, name):
    return page.get_by_role("heading", level=1, name=name)


def sign_in_as(page, username):
    page.context.clear_cookies()
    log_in(page, username)


def confirmed_count(page):
    row = page.get_by_role("table", name="課別の既読・確認の状況").get_by_role("row").last
    return row.get_by_role("cell").nth(4).inner_text()


def test_editor_publishes_staff_confirms_manager_sees_it(page, demo_users):
    confirm_by = datetime.date.today() + datetime.timedelta(days=10)
    # Bootstrap drops its colour transitions under reduced motion: axe then never judges a
    # button half-way back from its hover colour on a slow machine.
    page.emulate_media(reduced_motion="reduce")

    # The editor writes an issue with a required article and previews it.
    sign_in_as(page, "editor")
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="情報紙").click()
    expect(heading(page, "情報紙")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="号を作成する").click()
    expect(heading(page, "号の作成")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label(label("号の表題")).fill("12月号")
    page.get_by_role("button", name="保存する").click()
    expect(heading(page, "12月号")).to_be_visible()
    page.get_by_role("link", name="記事を追加する").click()
    expect(heading(page, "記事の追加（12月号）")).to_be_visible()
    page.get_by_label(label("見出し")).fill("住民票の写しの交付手数料の改定")
    page.get_by_label(label("本文")).fill(
        "# 改定の内容\n\n1月から、住民票の写しの手数料は**1通300円**になります。"
    )
    page.get_by_label(label("分類")).select_option(label="制度改正")
    page.get_by_label(label("重要度")).select_option(label="重要")
    page.get_by_label(label("必読（確認が必要）")).check()
    page.get_by_label(label("確認期限")).fill(confirm_by.isoformat())
    page.get_by_role("button", name="プレビュー").click()
    expect(page.locator("#article-preview strong")).to_have_text("1通300円")
    page.mouse.move(0, 0)  # axe judges the page at rest, not a hovered button
    assert_no_axe_violations(page)
    page.get_by_role("button", name="保存する").click()
    expect(heading(page, "住民票の写しの交付手数料の改定")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("12月号")).first.click()
    expect(page.get_by_role("status").filter(has_text="プレビュー")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("今すぐ公開する").check()
    page.get_by_role("button", name="公開する").click()
    expect(page.get_by_text("を公開しました")).to_be_visible()
    article = Article.objects.get(title="住民票の写しの交付手数料の改定")
    assert article.issue.is_published

    # The manager's 閲覧状況 before.
    sign_in_as(page, "manager")
    page.goto(f"/bulletins/articles/{article.pk}/status/")
    expect(heading(page, "閲覧状況：住民票の写しの交付手数料の改定")).to_be_visible()
    assert_no_axe_violations(page)
    assert confirmed_count(page) == "0"

    # Staff were told of it (the notice of publication) and see it on the home page.
    sign_in_as(page, "staff")
    notice = re.compile(r"【必読】情報紙第\d+号「住民票の写しの交付手数料の改定」が公開されました")
    expect(page.get_by_role("link", name=notice)).to_be_visible()
    item = page.get_by_role("link", name=re.compile("必読：住民票の写しの交付手数料の改定"))
    expect(item).to_be_visible()
    assert_no_axe_violations(page)
    item.click()
    expect(heading(page, "住民票の写しの交付手数料の改定")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="確認しました").click()
    expect(page.get_by_text("確認済み").first).to_be_visible()
    assert_no_axe_violations(page)
    assert Confirmation.objects.filter(article=article).count() == 1
    page.goto("/")
    expect(page.get_by_text("必読：住民票の写しの交付手数料の改定")).to_have_count(0)

    # Staff find it by a two-character word inside a longer one.
    page.goto("/bulletins/search/?q=手数")
    expect(page.locator("mark").first).to_have_text("手数")
    assert_no_axe_violations(page)

    # The manager's 閲覧状況 after.
    sign_in_as(page, "manager")
    page.goto(f"/bulletins/articles/{article.pk}/status/")
    assert confirmed_count(page) == "1"
    page.goto(f"/bulletins/issues/{article.issue_id}/status/")
    assert_no_axe_violations(page)
