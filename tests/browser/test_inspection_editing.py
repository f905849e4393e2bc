"""Keeping inspections' master data in the portal, as the subcommittee does: a place is
changed and retired from the places page, and an item is added to a checklist that an
inspection already uses, which makes the checklist's next version (the inspection keeps its
own). axe-core checks each page, the refused form included."""

import datetime
import re
from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import expect

from inspections import services
from inspections.models import Building, ChecklistTemplate, Floor, Inspection, Place
from takatsu_portal.core.fiscal import today
from tests.feedback.factories import WindowFactory

from .conftest import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def editing_setup(demo_users, section):
    import_module("inspections.migrations.0002_shipped_checklist").load(apps, None)
    template = ChecklistTemplate.objects.get()
    office = section.department.office
    building = Building.objects.create(office=office, name="高津区役所 本庁舎")
    floor = Floor.objects.create(building=building, name="1階", level=1)
    entrance = Place.objects.create(
        floor=floor, name="正面玄関", place_type="entrance", section=section
    )
    counter = Place.objects.create(
        floor=floor, name="総合案内", place_type="counter", section=section
    )
    WindowFactory(section=section, name="総合案内の窓口")
    inspection = services.inspection_create(
        office=office,
        by=demo_users["subcommittee"],
        title="本庁舎バリアフリー点検",
        inspected_on=today() - datetime.timedelta(days=1),
        template=template,
        places=[entrance, counter],
    )
    return template, inspection, counter


def test_change_and_retire_a_place_then_add_a_checklist_item_in_a_new_version(page, editing_setup):
    template, inspection, counter = editing_setup
    log_in(page, "subcommittee")

    # The places page: change the counter's name and window.
    page.goto("/inspections/places/")
    expect(page.get_by_role("heading", level=1, name="点検場所")).to_be_visible()
    assert_no_axe_violations(page)
    # (The hidden part of a link's name is read after a space.)
    page.get_by_role("link", name=re.compile(r"^変更\s*：総合案内$")).click()
    expect(page.get_by_role("heading", level=1, name="点検場所「総合案内」の変更")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("場所の名前").fill("総合案内カウンター")
    window = f"総合案内の窓口（{counter.section.name}）"
    page.get_by_label("窓口", exact=True).select_option(label=window)
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("点検場所「総合案内カウンター」を変更しました。")).to_be_visible()
    assert_no_axe_violations(page)
    counter.refresh_from_db()
    assert counter.name == "総合案内カウンター" and counter.window.name == "総合案内の窓口"
    assert counter.history.first().history_user.username == "subcommittee"

    # Retired, not deleted: the inspection walked it.
    page.get_by_role("link", name=re.compile(r"^変更\s*：総合案内カウンター$")).click()
    expect(page.get_by_text("点検で使われたため削除できません。")).to_be_visible()
    page.get_by_role("button", name="廃止する").click()
    expect(page.get_by_text(re.compile("を廃止しました"))).to_be_visible()
    assert_no_axe_violations(page)
    counter.refresh_from_db()
    assert counter.is_retired and counter in inspection.places.all()

    # Buildings and floors.
    page.goto("/inspections/places/buildings/")
    expect(page.get_by_role("heading", level=1, name="建物と階")).to_be_visible()
    assert_no_axe_violations(page)

    # The checklist: add a measured item to the version the inspection uses.
    page.goto("/inspections/checklists/")
    page.get_by_role("link", name=template.name).click()
    expect(page.get_by_role("heading", level=1, name=template.name)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="項目を追加する").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("項目の追加"))).to_be_visible()
    expect(page.get_by_text(re.compile("保存すると第2版ができ"))).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("項目番号").fill("物-30")
    page.get_by_label("確認すること").fill("記載台の高さ")
    page.get_by_label("バリアの種類").select_option(label="物のバリア")
    page.get_by_label("場所の種類").select_option(label="窓口カウンター")
    page.get_by_label("回答の種類").select_option(label="計測値")
    page.get_by_label("単位", exact=True).fill("cm")
    page.get_by_label("基準", exact=True).select_option(label="範囲内")
    page.get_by_label("下限", exact=True).fill("75")
    page.get_by_label("上限", exact=True).fill("70")
    page.get_by_role("button", name="保存する").click()
    # Refused with its reason; the input stays.
    expect(page.get_by_text("上限は下限より大きい値にしてください。").first).to_be_visible()
    expect(page.get_by_label("確認すること")).to_have_value("記載台の高さ")
    assert_no_axe_violations(page)
    page.get_by_label("下限", exact=True).fill("70")
    page.get_by_label("上限", exact=True).fill("75")
    page.get_by_label("改訂の内容").fill("記載台の高さを追加")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text(re.compile("第2版を作成して項目 物-30 を追加しました"))).to_be_visible()
    expect(page.get_by_role("heading", name="第2版（最新）")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("記載台の高さ"))).to_contain_text(
        "計測（70cm〜75cm）"
    )
    assert_no_axe_violations(page)

    # The inspection keeps version 1, and its page says so.
    inspection = Inspection.objects.get(pk=inspection.pk)
    assert inspection.template_version.number == 1
    assert not inspection.template_version.items.filter(code="物-30").exists()
    assert template.current_version.items.filter(code="物-30").exists()
    page.goto(inspection.get_absolute_url())
    expect(page.get_by_role("link", name=f"{template.name} 第1版")).to_be_visible()
