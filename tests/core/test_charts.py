"""The SVG charts: well-formed, accessible, escaped, and the same numbers as their tables."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from takatsu_portal.core.charts import (
    DASHES,
    FONT_FAMILY,
    MARKERS,
    PALETTE,
    REFERENCE_STYLES,
    Reference,
    Series,
    bar_chart,
    bar_figure,
    bar_table,
    contrast_ratio,
    format_number,
    line_chart,
    line_figure,
    line_table,
    nice_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"
LABELS = ["第1四半期", "第2四半期", "第3四半期", "第4四半期"]


def parse(svg):
    return ET.fromstring(str(svg))


def texts(root):
    return [el.text for el in root.iter(f"{SVG}text")]


def satisfaction_chart(**kwargs):
    defaults = {
        "title": "窓口の満足度（%）",
        "labels": LABELS,
        "series": [Series("実績値", [Decimal("74.5"), Decimal("76"), None, Decimal("81.25")])],
        "references": [Reference("目標値", Decimal("80")), Reference("基準値", Decimal("72"))],
        "unit": "%",
        "chart_id": "satisfaction",
    }
    return line_chart(**{**defaults, **kwargs})


def test_line_chart_is_well_formed_svg_named_by_its_title_and_description():
    root = parse(satisfaction_chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "satisfaction-title satisfaction-desc"
    assert root.find(f"{SVG}title").get("id") == "satisfaction-title"
    assert root.find(f"{SVG}title").text == "窓口の満足度（%）"
    description = root.find(f"{SVG}desc")
    assert description.get("id") == "satisfaction-desc"
    assert "目標値：80%" in description.text and "基準値：72%" in description.text
    assert root.get("viewBox") == "0 0 640 320"
    assert "Noto Sans CJK JP" in root.get("font-family") == FONT_FAMILY


def test_text_given_to_a_chart_stays_text():
    evil = '<script>alert("x")</script>&'
    svg = str(
        satisfaction_chart(
            title=evil,
            labels=[evil, "b", "c", "d"],
            series=[Series(evil, [1, 2, 3, 4])],
            references=[Reference(evil, 2)],
            description=evil,
        )
    )
    assert "<script" not in svg
    root = parse(svg)  # still well-formed
    assert not list(root.iter(f"{SVG}script"))
    assert root.find(f"{SVG}title").text == evil
    assert root.find(f"{SVG}desc").text == evil
    assert any(t and t.startswith("<script>") for t in texts(root))


def test_chart_id_is_escaped_too():
    root = parse(satisfaction_chart(chart_id='x" onload="alert(1)'))
    assert root.get("onload") is None


def test_a_missing_value_leaves_a_gap_and_no_marker():
    root = parse(satisfaction_chart(references=[]))
    lines = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "none"]
    # Values at 1, 2 and 4: one line from 1 to 2; 4 stands alone.
    assert len(lines) == 1
    assert lines[0].get("d").count("L") == 1
    legend_markers = 1
    assert len(list(root.iter(f"{SVG}circle"))) == 3 + legend_markers


def test_a_single_series_writes_its_values_above_the_points_as_the_table_has_them():
    chart = satisfaction_chart()
    table = line_table(
        title="窓口の満足度（%）",
        labels=LABELS,
        series=[Series("実績値", [Decimal("74.5"), Decimal("76"), None, Decimal("81.25")])],
        references=[Reference("目標値", Decimal("80")), Reference("基準値", Decimal("72"))],
        unit="%",
    )
    assert table.columns == ["実績値（%）", "目標値（%）", "基準値（%）"]
    assert table.rows == [
        ("第1四半期", ["74.5", "80", "72"]),
        ("第2四半期", ["76", "80", "72"]),
        ("第3四半期", ["—", "80", "72"]),
        ("第4四半期", ["81.25", "80", "72"]),
    ]
    shown = texts(parse(chart))
    for _, cells in table.rows:
        if cells[0] != "—":
            assert f"{cells[0]}%" in shown
    assert "目標値 80%" in shown and "基準値 72%" in shown
    for label in LABELS:
        assert label in shown


def test_several_series_differ_by_marker_and_dash_as_well_as_colour():
    series = [Series(f"系列{i}", [i, i + 1, i + 2, i + 3]) for i in range(4)]
    root = parse(line_chart(title="t", labels=LABELS, series=series, chart_id="c"))
    lines = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "none"]
    assert len({line.get("stroke") for line in lines}) == 4
    assert len({line.get("stroke-dasharray") for line in lines}) == 4
    assert len(set(MARKERS)) == len(MARKERS) and len(set(DASHES)) == len(DASHES)
    # No values on the points when there are several lines: the table has them.
    assert "3" not in texts(root)[-4:]


@pytest.mark.parametrize("colour", PALETTE + [c for c, _ in REFERENCE_STYLES])
def test_every_colour_has_three_to_one_contrast_on_white(colour):
    assert contrast_ratio(colour) >= 3


def test_long_labels_are_turned_and_fit_the_fixed_viewbox():
    labels = [f"2026年{m}月の窓口アンケート結果" for m in range(1, 13)]
    root = parse(
        line_chart(title="t", labels=labels, series=[Series("満足", list(range(12)))], chart_id="c")
    )
    turned = [t for t in root.iter(f"{SVG}text") if "rotate" in (t.get("transform") or "")]
    assert len(turned) == 12
    assert root.get("viewBox") == "0 0 640 320"


def test_y_range_fixes_the_axis():
    root = parse(satisfaction_chart(y_range=(0, 100)))
    shown = texts(root)
    assert "0%" in shown and "100%" in shown


def test_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError):
        line_chart(title="t", labels=LABELS, series=[Series("x", [1, 2])])


def test_bar_chart_grows_with_its_bars_and_writes_each_value():
    labels = ["A：目標を達成", "B：概ね達成", "C：一部未達成", "D：未達成", "未評価"]
    values = [3, 5, 0, 1, 2]
    root = parse(
        bar_chart(title="評価別の事業数", labels=labels, values=values, unit="件", chart_id="g")
    )
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "評価別の事業数"
    assert len(list(root.iter(f"{SVG}rect"))) == 1 + 4  # background + the non-zero bars
    shown = texts(root)
    for label, value in zip(labels, values, strict=True):
        assert label in shown and f"{value}件" in shown
    taller = parse(bar_chart(title="t", labels=labels * 2, values=values * 2, chart_id="h"))
    assert int(taller.get("height")) > int(root.get("height"))
    table = bar_table(
        title="評価別の事業数", labels=labels, values=values, value_header="事業数", unit="件"
    )
    assert table.columns == ["事業数（件）"]
    assert table.rows == [(label, [str(v)]) for label, v in zip(labels, values, strict=True)]


def test_bar_chart_escapes_its_labels():
    root = parse(bar_chart(title="<b>", labels=["<i>&"], values=[1], chart_id="e"))
    assert "<i>&" in texts(root)
    assert root.find(f"{SVG}title").text == "<b>"


@pytest.mark.parametrize(
    "value,expected",
    [
        (None, "—"),
        (Decimal("80.00"), "80"),
        (Decimal("72.50"), "72.5"),
        (1234567, "1,234,567"),
        (Decimal("-0.001"), "0"),
        (3.14159, "3.14"),
    ],
)
def test_numbers_are_written_briefly(value, expected):
    assert format_number(value) == expected


def test_ticks_are_round_and_cover_the_values():
    ticks = nice_ticks(Decimal("72"), Decimal("81.25"))
    assert ticks[0] <= 72 and ticks[-1] >= Decimal("81.25")
    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() in {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}
    assert nice_ticks(5, 5)[0] < 5 < nice_ticks(5, 5)[-1]


def test_figure_include_puts_the_table_next_to_the_chart():
    figure = line_figure(
        title="窓口の満足度（%）",
        labels=LABELS,
        series=[Series("実績値", [74, 76, None, 81])],
        references=[Reference("目標値", 80)],
        unit="%",
        row_header="報告期間",
        chart_id="f",
    )
    html = render_to_string("includes/_chart.html", {"figure": figure})
    assert "<figure" in html and "<figcaption" in html
    assert 'role="img"' in html
    assert "<caption>窓口の満足度（%）（表）</caption>" in html
    assert '<th scope="row">第3四半期</th>' in html
    assert '<th scope="col" class="text-end">目標値（%）</th>' in html
    assert "<details>" not in html
    collapsed = render_to_string("includes/_chart.html", {"figure": figure, "collapsed": True})
    assert "<details>" in collapsed and "<summary>" in collapsed


def test_weasyprint_draws_the_charts_with_the_japanese_font():
    weasyprint = pytest.importorskip("weasyprint")
    figure = bar_figure(
        title="評価別の事業数",
        labels=["A：目標を達成", "未評価"],
        values=[2, 1],
        value_header="事業数",
        unit="件",
        chart_id="g",
    )
    html = render_to_string("includes/_chart.html", {"figure": figure})
    html += str(satisfaction_chart())
    document = weasyprint.HTML(string=f"<html lang='ja'><body>{html}</body></html>")
    pdf = document.write_pdf(uncompressed_pdf=True)
    assert pdf.startswith(b"%PDF")
    assert b"Noto-Sans-CJK-JP" in pdf


def test_counts_get_whole_number_ticks():
    assert nice_ticks(0, 2, integer=True) == [0, 1, 2]
    assert nice_ticks(0, 2) == [0, Decimal("0.5"), 1, Decimal("1.5"), 2]
    svg = bar_chart(title="評価", labels=["A", "B", "C"], values=[2, 1, 0], unit="件")
    assert "0.5件" not in svg and "1件" in svg
