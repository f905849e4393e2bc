"""Plain language in the browser: a member of the subcommittee types a jargon word into the
survey editor, sees the suggestion under the field, applies it with one click and saves; the
paste-and-check page and the audit pass axe-core too."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import expect

from feedback.models import Survey
from tests.feedback.factories import SurveyFactory

from .conftest import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def glossary(portal_url):
    """The shipped glossary again (live_server empties every table after each test)."""
    import_module("takatsu_portal.plain_language.migrations.0002_glossary").load(apps, None)


def test_a_jargon_word_typed_in_the_survey_editor_is_replaced_in_one_click(
    page, demo_users, section, glossary
):
    survey = SurveyFactory(
        office=section.department.office,
        created_by=demo_users["subcommittee"],
        title="窓口アンケート",
    )
    log_in(page, "subcommittee")
    page.goto(f"/feedback/surveys/{survey.pk}/edit/")
    title = page.locator("#id_title")
    title.fill("当該窓口のアンケート")
    panel = page.locator("#id_title-plain")
    button = panel.get_by_role("button", name="「その」に置き換える")
    expect(button).to_be_visible()
    expect(panel).to_contain_text("「当該」は役所言葉です。")
    assert_no_axe_violations(page)

    button.click()
    expect(title).to_have_value("その窓口のアンケート")
    expect(title).to_be_focused()
    expect(panel).to_contain_text("指摘はありません")

    # The やさしい日本語 title is checked with the stricter thresholds.
    easy = page.locator("#id_title_ja_easy")
    easy.fill("まどぐちの アンケートに ごきょうりょく ください。住民基本台帳の てつづき")
    expect(page.locator("#id_title_ja_easy-plain")).to_contain_text("やさしい日本語の基準")
    expect(page.locator("#id_title_ja_easy-plain")).to_contain_text("漢字が6字続いています")

    page.get_by_role("button", name=re.compile("保存")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("その窓口のアンケート")
    assert Survey.objects.get(pk=survey.pk).title == "その窓口のアンケート"


def test_the_check_page_and_the_audit_pass_axe(page, demo_users, glossary):
    log_in(page, "subcommittee")
    page.get_by_role("link", name="やさしい言葉").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("文の点検")
    page.get_by_label("点検する文").fill("可及的速やかに措置を講じます。")
    expect(page.locator("#id_text-plain")).to_contain_text("可及的速やかに")
    page.get_by_role("button", name="点検する").click()
    expect(page.get_by_role("heading", name="点検の結果")).to_be_visible()
    expect(page.locator("mark").first).to_contain_text("可及的速やかに")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="言い換え辞書").click()
    expect(page.get_by_role("heading", level=1, name="言い換え辞書")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="区民向け文書の点検").click()
    expect(page.get_by_role("heading", level=1, name="区民向け文書の点検")).to_be_visible()
    assert_no_axe_violations(page)
