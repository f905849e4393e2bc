"""The annual plan report (区役所サービス向上計画): rendered from factory data, its text holds
the headings and numbers, its font is embedded; user text never makes WeasyPrint fetch."""

import contextlib
import re
import subprocess
import zlib

import pytest
from django.core.management import call_command

from plans.plan.report import build_annual_plan
from takatsu_portal.reports.kinds import REGISTRY
from takatsu_portal.reports.rendering import RefusedURL, make_fetcher, render_pdf, static_root
from tests.pdf import pdf_text
from tests.plans.factories import IndicatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db

EVIL = '<img src="file:///etc/passwd"> 詳細は https://example.com/leak.png を参照'


@pytest.fixture
def projects(plan, group):
    one = ProjectFactory(
        plan=plan, title="窓口番号表示の導入", budget_requested=1_234_000, working_group=group
    )
    IndicatorFactory(project=one, name="窓口の満足度", baseline=72, target=80)
    two = ProjectFactory(
        plan=plan, title="案内表示の改善", budget_requested=500_000, description=EVIL
    )
    return [one, two]


def pdf_objects(path):
    """The PDF's bytes with its compressed streams (object streams included) inflated."""
    data = path.read_bytes()
    inflated = [data]
    for match in re.finditer(rb"stream\r?\n", data):
        with contextlib.suppress(zlib.error):
            inflated.append(zlib.decompressobj().decompress(data[match.end() :]))
    return b"".join(inflated)


def render_to(tmp_path, plan):
    fetcher = make_fetcher()
    built = build_annual_plan({"plan": plan.pk})
    title, html = built.title, built.html
    pdf, pages = render_pdf(title, html, fetcher=fetcher)
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    return path, pages, fetcher, html


def test_annual_plan_pdf_has_japanese_headings_budget_and_embedded_cjk_font(
    tmp_path, plan, projects
):
    path, pages, fetcher, _ = render_to(tmp_path, plan)
    text = pdf_text(path)
    for heading in [
        "区役所サービス向上計画",
        "令和8年度",
        "目次",
        "5つの基本方針",
        "取組別の事業",
        "予算の合計",
        "窓口番号表示の導入",
    ]:
        assert heading in text, heading
    assert "1,234,000" in text and "1,734,000" in text  # a project's budget and the total
    assert plan.office.name in text
    assert "区企画調整会議" in text
    assert pages >= 4
    assert re.search(rf"\b2 ?/ ?{pages}\b", text)  # page numbers n / N
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-JP" in line]
    assert cjk and all(" yes " in line for line in cjk)  # embedded, not a fallback


def test_pdf_is_tagged_with_language_and_title(tmp_path, plan, projects):
    path, *_ = render_to(tmp_path, plan)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "区役所サービス向上計画" in info
    assert (
        'pdfuaid:part="1"'
        in subprocess.run(
            ["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True
        ).stdout
    )
    assert b"/Lang (ja)" in pdf_objects(path)


def test_user_text_with_img_and_url_renders_as_text_and_fetches_nothing(tmp_path, plan, projects):
    path, _, fetcher, html = render_to(tmp_path, plan)
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert '<img src="file:///etc/passwd">' not in html
    text = re.sub(r"\s", "", pdf_text(path, layout=False))
    assert '<imgsrc="file:///etc/passwd">' in text and "https://example.com/leak.png" in text
    assert fetcher.calls == [(static_root() / "css" / "print.css").as_uri()]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/x.css",
        "ftp://example.com/x",
        "data:text/html,<script>1</script>",
    ],
)
def test_fetcher_refuses_anything_but_static_files_and_data_images(url):
    with pytest.raises(RefusedURL):
        make_fetcher().fetch(url)


def test_fetcher_refuses_a_path_that_climbs_out_of_static():
    url = (static_root() / "css" / ".." / ".." / ".." / "etc" / "passwd").as_uri()
    with pytest.raises(RefusedURL):
        make_fetcher().fetch(url)
    escaped = static_root().as_uri() + "/css/%2e%2e/%2e%2e/manage.py"
    with pytest.raises(RefusedURL):
        make_fetcher().fetch(escaped)


def test_fetcher_serves_static_files_and_data_images():
    response = make_fetcher().fetch((static_root() / "css" / "print.css").as_uri())
    assert b"@page" in response.read()
    png = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
        "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    assert make_fetcher().fetch(png).read().startswith(b"\x89PNG")


def test_render_report_command_writes_the_current_plan(tmp_path, plan, projects, capsys):
    out = tmp_path / "cli.pdf"
    call_command("render_report", "annual_plan", "--output", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert "窓口番号表示の導入" in pdf_text(out)
    out2 = tmp_path / "cli2.pdf"
    call_command("render_report", "annual_plan", "--plan", str(plan.pk), "--output", str(out2))
    assert out2.exists()


def test_render_report_help_lists_kinds_as_choices(capsys):
    with pytest.raises(SystemExit):
        call_command("render_report", "--help")
    out = capsys.readouterr().out
    # argparse prints the choices as {a,b,...}: every registered kind, and their options.
    start = out.index("{annual_plan") + 1
    choices = out[start : out.index("}", start)].split(",")
    assert set(choices) == set(REGISTRY)
    assert {"annual_plan", "proposals", "progress", "evaluation", "satisfaction"} <= set(choices)
    for option in ("--plan", "--meeting", "--period", "--fiscal-year", "--output"):
        assert option in out


def test_running_header_on_inner_pages_and_table_header_repeats(tmp_path, plan, group):
    for n in range(40):
        ProjectFactory(plan=plan, title=f"長い事業{n}", description="説明の文。" * 20)
    path, pages, *_ = render_to(tmp_path, plan)
    page_texts = pdf_text(path).split("\f")
    assert "令和8年度 区役所サービス向上計画" in page_texts[1]
    assert plan.office.name in page_texts[1]
    assert "令和8年度 区役所サービス向上計画" not in page_texts[0].splitlines()[0]
    with_header = [t for t in page_texts if "事業名・内容" in t]
    assert len(with_header) >= 2  # the project table broke across pages, its header repeated


def test_a_wards_plan_report_shows_its_own_policies_not_the_other_wards(plan, stranger):
    from plans.plan.report import annual_plan_context
    from takatsu_portal.core.models import InitiativeArea, Policy
    from tests.plans.factories import PlanFactory

    miyamae = stranger.office
    Policy.objects.filter(office=miyamae, number=2).update(title="宮前区らしい親切な案内")
    InitiativeArea.objects.filter(office=miyamae, number=1).update(title="宮前区の窓口づくり")
    Policy.objects.filter(office=plan.office, number=2).update(title="高津区の親切な案内")
    ProjectFactory(plan=plan, title="高津区の事業")
    other_plan = PlanFactory(office=miyamae, fiscal_year=plan.fiscal_year)
    ProjectFactory(plan=other_plan, title="宮前区の事業", section__department__office=miyamae)

    takatsu_html = build_annual_plan({"plan": plan.pk}).html
    assert "高津区の親切な案内" in takatsu_html
    assert "宮前区らしい親切な案内" not in takatsu_html
    assert "宮前区の窓口づくり" not in takatsu_html
    context = annual_plan_context(plan)
    assert {p.office_id for p in context["policies"]} == {plan.office_id}
    assert {a.office_id for a in context["all_areas"]} == {plan.office_id}

    miyamae_html = build_annual_plan({"plan": other_plan.pk}).html
    assert "宮前区らしい親切な案内" in miyamae_html
    assert "宮前区の窓口づくり" in miyamae_html
    assert "高津区の親切な案内" not in miyamae_html
