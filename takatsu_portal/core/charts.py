"""Small charts drawn on the server as inline SVG, for pages and for the PDF reports.

No JavaScript and no chart library: the intranet has no internet, the CSP allows no inline
script, and WeasyPrint draws inline SVG itself. Two kinds are enough for the portal:

- `line_chart`: several series over labelled points (periods, months), with optional
  horizontal reference lines such as a target and a baseline;
- `bar_chart`: horizontal bars, one per label (counts by grade, answers by choice).

Both return an SVG string (every text escaped, then marked safe) with `role="img"`, a
`<title>` and a `<desc>` named by `aria-labelledby`. A picture is not enough for everyone, so
`line_table` / `bar_table` return the same numbers as rows for a `<table>`, and `line_figure`
/ `bar_figure` bundle both for `templates/includes/_chart.html`, which shows the table next
to the chart. Series differ by marker shape and dash pattern as well as colour, and every
colour has 3:1 contrast or more against white (WCAG 1.4.1 and 1.4.11).
"""

import math
import secrets
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation

from django.utils.html import escape
from django.utils.safestring import mark_safe

# WeasyPrint finds the installed Noto Sans CJK JP by this name; browsers fall back in order.
FONT_FAMILY = (
    "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Kaku Gothic ProN', 'Yu Gothic', "
    "Meiryo, sans-serif"
)
TEXT_COLOUR = "#1a1a1a"
AXIS_COLOUR = "#595959"  # 7:1 on white
GRID_COLOUR = "#d9d9d9"  # decoration only: the tick labels carry the values
# Okabe–Ito hues, darkened until each has 3:1 contrast or more against white.
PALETTE = ["#0b3d72", "#b34700", "#1b7340", "#7a3b8f", "#a3122a", "#005f73"]
MARKERS = ["circle", "square", "triangle", "diamond", "cross", "triangle_down"]
DASHES = ["", "8 4", "3 3", "10 4 2 4", "5 2", "2 2 6 2"]
# Reference lines: dark greys with their own dash patterns, labelled at the right end.
REFERENCE_STYLES = [("#333333", "7 4"), ("#595959", "2 3"), ("#1a1a1a", "12 3 3 3")]
MISSING = "—"


# ---------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Series:
    """One line: a name and a value (or None where there is none) for each label."""

    name: str
    values: list


@dataclass(frozen=True)
class Reference:
    """A horizontal line across the chart, such as a target (目標値) or a baseline (基準値)."""

    name: str
    value: object


@dataclass(frozen=True)
class ChartTable:
    """The chart's numbers as a table: one row per label, one column per series."""

    caption: str
    row_header: str
    columns: list
    rows: list  # [(label, [formatted value, ...]), ...]


@dataclass(frozen=True)
class Figure:
    """What `includes/_chart.html` needs: the caption, the SVG and its table."""

    title: str
    svg: str
    table: ChartTable
    note: str = ""


# ---------------------------------------------------------------------------------------------
# Numbers and text


def _decimal(value):
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise ValueError(f"not a number: {value!r}") from error


def format_number(value, unit=""):
    """1234.50 → "1,234.5"; None → "—". Up to two decimals, no trailing zeros."""
    number = _decimal(value)
    if number is None:
        return MISSING
    number = number.quantize(Decimal("0.01"))
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return f"{text}{unit}"


def text_width(text, size):
    """A rough width in user units: CJK and full-width characters are square, others about
    six tenths of the font size. Enough to keep labels apart without measuring fonts."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.6 for ch in str(text))


def shorten(text, size, width):
    """The text, cut with "…" so that it fits `width`."""
    text = str(text)
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def _relative_luminance(colour):
    colour = colour.lstrip("#")
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(colour, background="#ffffff"):
    """WCAG contrast ratio of two #rrggbb colours."""
    lighter, darker = sorted(
        (_relative_luminance(colour), _relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def nice_ticks(low, high, *, count=5, integer=False):
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering low..high; with `integer`
    (counts), whole-number steps only: no 「0.5件」."""
    low, high = _decimal(low), _decimal(high)
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(high) / 10 if high else Decimal(1)
        low, high = low - pad, high + pad
    raw = (high - low) / (count - 1)
    exponent = math.floor(math.log10(float(raw)))
    magnitude = Decimal(10) ** exponent
    step = next(
        (
            m * magnitude
            for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
            if m * magnitude >= raw
        ),
        10 * magnitude,
    )
    if integer and step != step.to_integral_value():
        step = max(Decimal(1), step.to_integral_value(rounding=ROUND_CEILING))
    first = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    last = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    ticks = []
    value = first
    while value <= last:
        ticks.append(value)
        value += step
    return ticks


def _id(chart_id):
    return escape(chart_id or f"chart-{secrets.token_hex(4)}")


def _open_svg(chart_id, width, height, title, description):
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart img-fluid" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{escape(FONT_FAMILY)}" font-size="12" fill="{TEXT_COLOUR}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _text(x, y, text, *, anchor="start", size=12, extra=""):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}"{extra}>'
        f"{escape(text)}</text>"
    )


def _marker(kind, x, y, colour, size=4.5):
    s = size
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s:.1f}" fill="{colour}"/>'
    if kind == "square":
        return (
            f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" '
            f'fill="{colour}"/>'
        )
    if kind == "cross":
        return (
            f'<path d="M{x - s:.1f},{y - s:.1f}L{x + s:.1f},{y + s:.1f}'
            f'M{x - s:.1f},{y + s:.1f}L{x + s:.1f},{y - s:.1f}" '
            f'stroke="{colour}" stroke-width="2.5" fill="none"/>'
        )
    points = {
        "triangle": [(0, -1.2), (1.1, 0.9), (-1.1, 0.9)],
        "triangle_down": [(0, 1.2), (1.1, -0.9), (-1.1, -0.9)],
        "diamond": [(0, -1.3), (1.2, 0), (0, 1.3), (-1.2, 0)],
    }[kind]
    d = "M" + "L".join(f"{x + dx * s:.1f},{y + dy * s:.1f}" for dx, dy in points) + "Z"
    return f'<path d="{d}" fill="{colour}"/>'


def _dash(pattern):
    return f' stroke-dasharray="{pattern}"' if pattern else ""


# ---------------------------------------------------------------------------------------------
# Line chart


def _line_description(labels, series, references, unit):
    parts = ["折れ線グラフ。"]
    if labels:
        parts.append(f"横軸は{labels[0]}から{labels[-1]}までの{len(labels)}点。")
    if series:
        parts.append("系列：" + "、".join(s.name for s in series) + "。")
    for reference in references:
        parts.append(f"{reference.name}：{format_number(reference.value, unit)}。")
    parts.append("数値はグラフの横の表にあります。")
    return "".join(parts)


def line_chart(
    *,
    title,
    labels,
    series,
    references=(),
    unit="",
    description=None,
    chart_id=None,
    y_range=None,
    width=640,
    height=320,
):
    """An SVG line chart of `series` (list of Series) over `labels`, with horizontal
    `references` (list of Reference). `y_range=(low, high)` fixes the axis (e.g. 0–100 for
    percentages); otherwise it covers the values and references with round ticks."""
    labels = [str(label) for label in labels]
    series = list(series)
    references = [r for r in references if r.value is not None]
    for one in series:
        if len(one.values) != len(labels):
            raise ValueError(
                f"series {one.name!r} has {len(one.values)} values for {len(labels)} labels"
            )
    chart_id = _id(chart_id)
    if description is None:
        description = _line_description(labels, series, references, unit)

    numbers = [_decimal(v) for one in series for v in one.values if v is not None]
    numbers += [_decimal(r.value) for r in references]
    if y_range is not None:
        ticks = nice_ticks(*y_range)
    elif numbers:
        ticks = nice_ticks(min(numbers), max(numbers))
    else:
        ticks = nice_ticks(0, 1)
    y_low, y_high = float(ticks[0]), float(ticks[-1])

    # Layout: legend on top, tick labels left, reference labels right, period labels below.
    tick_texts = [format_number(t, unit) for t in ticks]
    left = 12 + max(text_width(t, 11) for t in tick_texts)
    reference_texts = [f"{r.name} {format_number(r.value, unit)}" for r in references]
    right = 16 + min(150, max([text_width(t, 11) for t in reference_texts], default=0))
    top = 44
    plot_w = width - left - right
    slot = plot_w / max(len(labels), 1)
    longest = max([text_width(label, 11) for label in labels], default=0)
    rotate = longest > slot - 6
    label_room = min(longest, 130) * 0.6 + 14 if rotate else 24
    bottom = 8 + label_room
    plot_h = height - top - bottom

    def x_at(index):
        return left + slot * (index + 0.5)

    def y_at(value):
        value = float(value)
        if y_high == y_low:
            return top + plot_h / 2
        return top + plot_h - (value - y_low) / (y_high - y_low) * plot_h

    out = _open_svg(chart_id, width, height, title, description)

    # Legend: a short line with the marker for each series, a dashed line for references.
    legend_x, legend_y = left, 18
    for index, one in enumerate(series):
        colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
        marker = MARKERS[index % len(MARKERS)]
        name = shorten(one.name, 12, 160)
        out.append(
            f'<line x1="{legend_x:.1f}" y1="{legend_y:.1f}" x2="{legend_x + 28:.1f}" '
            f'y2="{legend_y:.1f}" stroke="{colour}" stroke-width="2.5"{_dash(dash)}/>'
        )
        out.append(_marker(marker, legend_x + 14, legend_y, colour))
        out.append(_text(legend_x + 34, legend_y + 4, name))
        legend_x += 44 + text_width(name, 12)
    for index, reference in enumerate(references):
        colour, dash = REFERENCE_STYLES[index % len(REFERENCE_STYLES)]
        name = shorten(reference.name, 12, 120)
        if legend_x + 40 + text_width(name, 12) > width:
            legend_x, legend_y = left, legend_y + 18
        out.append(
            f'<line x1="{legend_x:.1f}" y1="{legend_y:.1f}" x2="{legend_x + 28:.1f}" '
            f'y2="{legend_y:.1f}" stroke="{colour}" stroke-width="2"{_dash(dash)}/>'
        )
        out.append(_text(legend_x + 34, legend_y + 4, name))
        legend_x += 44 + text_width(name, 12)

    # Grid and y axis.
    for tick, text in zip(ticks, tick_texts, strict=True):
        y = y_at(tick)
        out.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        out.append(_text(left - 6, y + 4, text, anchor="end", size=11))
    out.append(
        f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{top + plot_h:.1f}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    out.append(
        f'<line x1="{left:.1f}" y1="{top + plot_h:.1f}" x2="{left + plot_w:.1f}" '
        f'y2="{top + plot_h:.1f}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )

    # x labels, turned when they do not fit side by side.
    for index, label in enumerate(labels):
        x, y = x_at(index), top + plot_h + 16
        if rotate:
            text = shorten(label, 11, 130)
            out.append(
                _text(
                    x,
                    y,
                    text,
                    anchor="end",
                    size=11,
                    extra=f' transform="rotate(-35 {x:.1f} {y:.1f})"',
                )
            )
        else:
            out.append(_text(x, y, label, anchor="middle", size=11))

    # Reference lines with their labels at the right, kept apart when values are close.
    label_ys = []
    for index, (reference, text) in enumerate(zip(references, reference_texts, strict=True)):
        colour, dash = REFERENCE_STYLES[index % len(REFERENCE_STYLES)]
        y = y_at(reference.value)
        out.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="2"{_dash(dash)}/>'
        )
        label_y = y + 4
        for used in label_ys:
            if abs(label_y - used) < 13:
                label_y = used + 13 if label_y >= used else used - 13
        label_ys.append(label_y)
        out.append(_text(left + plot_w + 6, label_y, shorten(text, 11, 150), size=11))

    # Series: the line breaks where a value is missing; values above the points when alone.
    for index, one in enumerate(series):
        colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
        marker = MARKERS[index % len(MARKERS)]
        runs, run = [], []
        for i, value in enumerate(one.values):
            if value is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append((x_at(i), y_at(value)))
        if run:
            runs.append(run)
        for points in runs:
            if len(points) > 1:
                d = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points)
                out.append(
                    f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2.5" '
                    f'stroke-linejoin="round"{_dash(dash)}/>'
                )
        for i, value in enumerate(one.values):
            if value is None:
                continue
            x, y = x_at(i), y_at(value)
            out.append(_marker(marker, x, y, colour))
            if len(series) == 1:
                out.append(_text(x, y - 9, format_number(value, unit), anchor="middle", size=11))

    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text above went through escape()


def line_table(*, title, labels, series, references=(), unit="", row_header="時点"):
    """The line chart's numbers: a row per label; a column per series, then per reference."""
    references = [r for r in references if r.value is not None]
    suffix = f"（{unit}）" if unit else ""
    columns = [f"{s.name}{suffix}" for s in series] + [f"{r.name}{suffix}" for r in references]
    rows = []
    for index, label in enumerate(labels):
        cells = [format_number(s.values[index]) for s in series]
        cells += [format_number(r.value) for r in references]
        rows.append((str(label), cells))
    return ChartTable(caption=f"{title}（表）", row_header=row_header, columns=columns, rows=rows)


def line_figure(
    *, title, labels, series, references=(), unit="", row_header="時点", note="", **kwargs
):
    """A line chart and its table, for `{% include "includes/_chart.html" with figure=... %}`."""
    return Figure(
        title=title,
        svg=line_chart(
            title=title, labels=labels, series=series, references=references, unit=unit, **kwargs
        ),
        table=line_table(
            title=title,
            labels=labels,
            series=series,
            references=references,
            unit=unit,
            row_header=row_header,
        ),
        note=note,
    )


# ---------------------------------------------------------------------------------------------
# Horizontal bar chart


def bar_chart(
    *,
    title,
    labels,
    values,
    unit="",
    description=None,
    chart_id=None,
    colour=PALETTE[0],
    width=640,
):
    """An SVG chart of horizontal bars from zero, one per label, the value written at the end
    of each bar. The height grows with the number of bars."""
    labels = [str(label) for label in labels]
    values = list(values)
    if len(values) != len(labels):
        raise ValueError(f"{len(values)} values for {len(labels)} labels")
    chart_id = _id(chart_id)
    if description is None:
        pairs = "、".join(
            f"{label} {format_number(value, unit)}"
            for label, value in zip(labels, values, strict=True)
        )
        description = f"横棒グラフ。{pairs}。"

    numbers = [_decimal(v) for v in values if v is not None]
    high = max([n for n in numbers if n > 0], default=Decimal(1))
    whole = all(_decimal(v) == _decimal(v).to_integral_value() for v in values if v is not None)
    ticks = [t for t in nice_ticks(0, high, integer=whole) if t >= 0]
    x_high = float(ticks[-1]) or 1.0

    bar, gap, top, bottom = 22, 12, 10, 28
    left = 12 + min(width * 0.4, max([text_width(label, 12) for label in labels], default=0))
    value_texts = [format_number(v, unit) for v in values]
    right = 16 + max([text_width(t, 12) for t in value_texts], default=0)
    plot_w = width - left - right
    plot_h = len(labels) * (bar + gap) + gap
    height = int(top + plot_h + bottom)

    def x_at(value):
        return left + float(value) / x_high * plot_w

    out = _open_svg(chart_id, width, height, title, description)
    for tick in ticks:
        x = x_at(tick)
        out.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{top + plot_h:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        out.append(_text(x, top + plot_h + 18, format_number(tick, unit), anchor="middle", size=11))
    for index, (label, value, text) in enumerate(zip(labels, values, value_texts, strict=True)):
        y = top + gap + index * (bar + gap)
        out.append(_text(left - 8, y + bar / 2 + 4, shorten(label, 12, left - 12), anchor="end"))
        end = left
        if value is not None and _decimal(value) > 0:
            end = x_at(value)
            out.append(
                f'<rect x="{left:.1f}" y="{y:.1f}" width="{end - left:.1f}" height="{bar}" '
                f'fill="{colour}"/>'
            )
        out.append(_text(end + 6, y + bar / 2 + 4, text))
    out.append(
        f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{top + plot_h:.1f}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 — every text above went through escape()


def bar_table(*, title, labels, values, value_header, unit="", row_header="区分"):
    """The bar chart's numbers: a row per label with its value."""
    suffix = f"（{unit}）" if unit else ""
    rows = [
        (str(label), [format_number(value)]) for label, value in zip(labels, values, strict=True)
    ]
    return ChartTable(
        caption=f"{title}（表）",
        row_header=row_header,
        columns=[f"{value_header}{suffix}"],
        rows=rows,
    )


def bar_figure(
    *, title, labels, values, value_header, unit="", row_header="区分", note="", **kwargs
):
    """A bar chart and its table, for `{% include "includes/_chart.html" with figure=... %}`."""
    return Figure(
        title=title,
        svg=bar_chart(title=title, labels=labels, values=values, unit=unit, **kwargs),
        table=bar_table(
            title=title,
            labels=labels,
            values=values,
            value_header=value_header,
            unit=unit,
            row_header=row_header,
        ),
        note=note,
    )
