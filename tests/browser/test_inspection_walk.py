"""A barrier-free inspection on a tablet (1024×768, touch): a member of the team walks the
checklist, records a measurement and a finding with a photo from the camera, and the section
manager turns the finding into a project proposal that links back. axe-core checks each page."""

import datetime
import re
from importlib import import_module
from io import BytesIO

import pytest
from django.apps import apps
from PIL import Image
from playwright.sync_api import expect

from inspections import services
from inspections.models import Answer, Building, ChecklistTemplate, Finding, Floor, Photo, Place
from takatsu_portal.core.fiscal import FiscalYear, today
from tests.plans.factories import PlanFactory

from .conftest import assert_no_axe_violations, log_in

pytestmark = pytest.mark.browser

TABLET = {"width": 1024, "height": 768}


@pytest.fixture
def tablet(browser, portal_url):
    """A touch page the size of a tablet, with the same problem checks as `page`."""
    context = browser.new_context(
        base_url=portal_url,
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport=TABLET,
        has_touch=True,
        is_mobile=False,
    )
    context.set_default_timeout(8_000)
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"console: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    yield page
    context.close()
    assert problems == [], "\n".join(problems)


@pytest.fixture
def walk_setup(demo_users, section):
    import_module("inspections.migrations.0002_shipped_checklist").load(apps, None)
    template = ChecklistTemplate.objects.get()
    office = section.department.office
    building = Building.objects.create(office=office, name="高津区役所 本庁舎")
    floor = Floor.objects.create(building=building, name="1階", level=1)
    entrance = Place.objects.create(
        floor=floor, name="正面玄関", place_type="entrance", section=section
    )
    Place.objects.create(floor=floor, name="総合案内", place_type="counter", section=section)
    PlanFactory(office=office, fiscal_year=FiscalYear.current().year)
    inspection = services.inspection_create(
        office=office,
        by=demo_users["subcommittee"],
        title="本庁舎バリアフリー点検",
        inspected_on=today() - datetime.timedelta(days=1),
        template=template,
        places=list(Place.objects.all()),
    )
    services.team_member_add(
        inspection=inspection,
        by=demo_users["subcommittee"],
        kind="wheelchair",
        user=demo_users["staff"],
    )
    return inspection, entrance


def photo_with_gps(path):
    exif = Image.Exif()
    exif[0x010F] = "TabletMaker"
    exif[0x8825] = {1: "N", 2: (35.0, 36.0, 0.0), 3: "E", 4: (139.0, 36.0, 30.0)}
    image = Image.new("RGB", (1200, 900), (180, 90, 60))
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def test_walk_a_checklist_record_a_finding_with_a_photo_and_propose_it(
    tablet, walk_setup, tmp_path
):
    page = tablet
    inspection, entrance = walk_setup
    log_in(page, "staff")
    # At tablet width the menu is folded behind its button.
    menu = page.get_by_role("navigation", name="メインメニュー")
    menu.get_by_role("button", name="メニューを開く").tap()
    menu.get_by_role("link", name="バリアフリー点検").tap()
    expect(page.get_by_role("heading", level=1, name="バリアフリー点検")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=inspection.title).tap()
    expect(page.get_by_role("heading", level=1, name=inspection.title)).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="点検を記録する（タブレット用）").tap()
    expect(page.get_by_role("heading", name=re.compile("物-01 出入口の有効幅"))).to_be_visible()
    assert_no_axe_violations(page)

    # A value that is not a number is refused and explained; nothing is saved.
    page.get_by_label(re.compile("計測値")).fill("約80")
    page.get_by_role("button", name="計測値を保存して次へ").tap()
    expect(page.get_by_text("数値で入力してください（例：82）。")).to_be_visible()
    assert not Answer.objects.exists()

    # A measurement below the rule: 要改善 by itself.
    page.get_by_label(re.compile("計測値")).fill("76")
    page.get_by_role("button", name="計測値を保存して次へ").tap()
    expect(page.get_by_role("status")).to_have_text(re.compile("76cm：要改善"))
    expect(page.get_by_role("heading", name=re.compile("物-02"))).to_be_focused()
    assert Answer.objects.get(item__code="物-01").rating == "needs"

    # A finding with a photo from the camera.
    page.get_by_label(re.compile("気づいたこと")).fill(
        "敷居に3cmの段差があり、車いすの前輪が止まる"
    )
    page.get_by_label(re.compile("^写真")).set_input_files(photo_with_gps(tmp_path / "p.jpg"))
    page.get_by_role("button", name="要改善").tap()
    expect(page.get_by_role("status")).to_have_text(re.compile("物-02.*要改善"))
    assert_no_axe_violations(page)

    # The keyboard works too: the next item answered with Enter.
    page.get_by_role("button", name="適合", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(re.compile("物-03.*適合"))

    finding = Finding.objects.get(item__code="物-02")
    photo = Photo.objects.get(answer=finding.answer)
    with Image.open(photo.image.path) as stored:
        assert len(stored.getexif()) == 0 and "exif" not in stored.info
        assert stored.size == (1200, 900)

    # The section manager turns it into a proposal with one click.
    page.context.clear_cookies()
    log_in(page, "manager")
    page.goto("/inspections/findings/")
    expect(page.get_by_role("heading", level=1, name="指摘事項")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("物-02 出入口に段差がない")).tap()
    expect(page.get_by_role("heading", level=1, name=re.compile("指摘事項"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("正面玄関の写真"))).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="事業企画案として提出する").tap()
    expect(page.get_by_role("heading", name=re.compile("状況：事業企画案で対応"))).to_be_visible()
    expect(page.get_by_text("結果：")).to_be_visible()
    assert_no_axe_violations(page)
    finding.refresh_from_db()
    assert finding.proposal is not None
    page.get_by_role("link", name=finding.proposal.title).tap()
    expect(page.get_by_role("link", name=str(finding))).to_be_visible()
    assert_no_axe_violations(page)

    # The summary, for the manager.
    page.goto("/inspections/summary/")
    expect(page.get_by_role("heading", level=1, name="バリアフリー点検の集計")).to_be_visible()
    assert_no_axe_violations(page)
