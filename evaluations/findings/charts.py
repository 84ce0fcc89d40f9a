"""Charts as inline SVG, drawn on the server: no JavaScript, no inline styles (the Content
Security Policy forbids both), nothing fetched. The same functions serve the pages and the PDF
case study (WeasyPrint draws inline SVG).

Every chart is readable without colour: bars carry their series name and value as text, lines
differ by dash pattern and marker shape and are named at their ends. Each chart has a <title> and
<desc> for screen readers, but a chart is never the only way to the numbers: pages and reports
put a data table beside it.

    bar_chart(title=..., description=..., categories=["Job satisfaction", ...],
              series=[Series("Start", [3, 1]), Series("Qualification", [5, 0])])
    line_chart(title=..., description=..., x_labels=["Start", "Mid-way"],
               series=[Series("Larch Ward", [62.5, 80.0])], y_max=100, unit="%")

Both return a SafeString of ``<svg ...>`` to print as it is ({{ chart }} in a template).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
FONT = "Arial, sans-serif"
TEXT = "#212b32"  # NHS black
GRID = "#d8dde0"  # NHS grey 4
# Fills of clearly different lightness (dark blue, mid grey, light blue, pale grey, ...), so
# bars stay apart in greyscale; every bar is labelled as well.
FILLS = ("#003087", "#768692", "#41b6e6", "#d8dde0", "#005eb8", "#425563")
# Line styles: dash pattern and marker, so lines stay apart without colour.
DASHES = ("", "8 4", "2 4", "12 4 2 4", "6 2", "1 2")
MARKERS = ("circle", "square", "triangle", "diamond")
STROKES = ("#005eb8", "#212b32", "#425563", "#003087", "#768692", "#330072")


@dataclass(frozen=True)
class Series:
    """One named run of values (None: no value there). ``labels``, if given, is the text shown
    for each value instead of the number itself (e.g. "3 of 5")."""

    name: str
    values: Sequence[float | int | Decimal | None]
    labels: Sequence[str] | None = None

    def label(self, index: int, unit: str = "") -> str:
        if self.labels is not None:
            return self.labels[index]
        return format_value(self.values[index], unit)


def format_value(value, unit: str = "") -> str:
    """A Decimal as it is (75.0 stays "75.0", as tables print it); other numbers without a
    needless ".0"."""
    if value is None:
        return "no data"
    if isinstance(value, Decimal):
        return f"{value}{unit}"
    number = float(value)
    text = f"{number:.0f}" if number == int(number) else f"{number:.1f}"
    return f"{text}{unit}"


def _id(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "chart"


def _text_width(text: str, size: int) -> float:
    """A rough width of Arial text: enough to lay labels out without measuring fonts."""
    return len(text) * size * 0.56


def _shorten(text: str, size: int, width: float) -> str:
    if _text_width(text, size) <= width:
        return text
    keep = max(1, int(width / (size * 0.56)) - 1)
    return text[:keep].rstrip() + "…"


def _label(text: str, size: int, width: float, attrs: str) -> str:
    """A <text> that fits ``width``; when shortened, the whole text is its group's tooltip."""
    shown = _shorten(text, size, width)
    element = f"<text {attrs}>{escape(shown)}</text>"
    if shown == text:
        return element
    return f"<g><title>{escape(text)}</title>{element}</g>"


def _svg(chart_id: str, height: float, title: str, description: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ladder-chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="{FONT}" font-size="15" fill="{TEXT}" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 (every text is escaped) # nosec B308


def _max(series: Sequence[Series]) -> float:
    values = [float(v) for s in series for v in s.values if v is not None]
    return max(values, default=0.0)


def bar_chart(
    *, title: str, description: str, categories: Sequence[str], series: Sequence[Series],
    max_value: float | None = None, unit: str = "", chart_id: str = "",
    show_series_names: bool | None = None,
) -> SafeString:
    """Horizontal bars, grouped by category: for each category its name, then one bar per
    series, each labelled with the series name (when there is more than one) and its value.
    ``max_value`` fixes the scale (100 for percentages); by default the largest value.
    ``show_series_names`` labels bars with their series even when there is only one (by
    default only with two or more)."""
    chart_id = chart_id or _id(title)
    size, small, bar, gap, group_gap = 16, 14, 20, 5, 16
    multi = len(series) > 1 if show_series_names is None else show_series_names
    name_width = min(190.0, max((_text_width(s.name, small) for s in series), default=0) + 10) if multi else 0
    left = 8 + name_width
    value_room = max(
        (_text_width(s.label(i, unit), small) for s in series for i in range(len(categories))), default=0
    ) + 16
    plot = max(120.0, WIDTH - left - value_room - 8)
    top = max_value if max_value else (_max(series) or 1.0)
    body: list[str] = []
    y = 4.0
    for c, category in enumerate(categories):
        y += size + 2
        body.append(_label(category, size, WIDTH - 16, f'x="8" y="{y:.1f}" font-weight="bold"'))
        y += 6
        for s_index, s in enumerate(series):
            value = s.values[c]
            width = 0.0 if value is None else plot * min(float(value), top) / top
            if multi:
                body.append(_label(
                    s.name, small, name_width - 10,
                    f'x="{left - 6:.1f}" y="{y + bar - 5:.1f}" text-anchor="end" font-size="{small}"',
                ))
            body.append(
                f'<rect x="{left:.1f}" y="{y:.1f}" width="{plot:.1f}" height="{bar}" fill="none" '
                f'stroke="{GRID}" stroke-width="1"/>'
            )
            if width > 0:
                body.append(
                    f'<rect x="{left:.1f}" y="{y:.1f}" width="{width:.1f}" height="{bar}" '
                    f'fill="{FILLS[s_index % len(FILLS)]}" stroke="{TEXT}" stroke-width="0.5">'
                    f"<title>{escape(s.name)}: {escape(s.label(c, unit))}</title></rect>"
                )
            body.append(
                f'<text x="{left + plot + 6:.1f}" y="{y + bar - 5:.1f}" font-size="{small}">'
                f"{escape(s.label(c, unit))}</text>"
            )
            y += bar + gap
        y += group_gap - gap
    return _svg(chart_id, y + 4, title, description, body)


def _marker(shape: str, x: float, y: float, colour: str, tooltip: str) -> str:
    tip = f"<title>{escape(tooltip)}</title>"
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">{tip}</rect>'
    if shape == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}">{tip}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">{tip}</circle>'


def line_chart(
    *, title: str, description: str, x_labels: Sequence[str], series: Sequence[Series],
    y_max: float | None = None, unit: str = "", chart_id: str = "", height: int = 300,
) -> SafeString:
    """Lines over ordered points (stages, periods), one per series, each with its own dash
    pattern and marker and its name at its last point. A missing value (None) breaks the line.
    With one or two series every point is labelled with its value too. A single point per
    series still shows (as a marker)."""
    chart_id = chart_id or _id(title)
    left, top_margin, bottom = 52.0, 22.0, 44.0
    right = min(210.0, max((_text_width(s.name, 14) for s in series), default=0) + 24)
    plot_w, plot_h = WIDTH - left - right, height - top_margin - bottom
    y_top = y_max if y_max else (_max(series) or 1.0)
    n = max(1, len(x_labels))
    step = plot_w / n

    def px(i: int) -> float:
        return left + step * (i + 0.5)

    def py(v) -> float:
        return top_margin + plot_h * (1 - min(float(v), y_top) / y_top)

    body: list[str] = []
    for k in range(5):  # gridlines and the y-axis scale at quarters
        value = y_top * k / 4
        y = py(value)
        body.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(
            f'<text x="{left - 6:.1f}" y="{y + 5:.1f}" text-anchor="end" font-size="13">'
            f"{escape(format_value(value, unit))}</text>"
        )
    body.append(
        f'<line x1="{left:.1f}" y1="{top_margin + plot_h:.1f}" x2="{left + plot_w:.1f}" '
        f'y2="{top_margin + plot_h:.1f}" stroke="{TEXT}"/>'
    )
    # Label every x point if they fit, otherwise every k-th (always the first and last).
    every = max(1, int(max((_text_width(x, 13) for x in x_labels), default=0) // step) + 1)
    for i, label in enumerate(x_labels):
        if i % every and i != n - 1:
            continue
        body.append(_label(
            label, 13, step * every - 4,
            f'x="{px(i):.1f}" y="{top_margin + plot_h + 22:.1f}" text-anchor="middle" font-size="13"',
        ))

    ends: list[list] = []  # [y, x, name, colour] of each series' last point
    label_points = len(series) <= 2
    for s_index, s in enumerate(series):
        colour = STROKES[s_index % len(STROKES)]
        dash = DASHES[s_index % len(DASHES)]
        shape = MARKERS[s_index % len(MARKERS)]
        run: list[str] = []
        runs: list[list[str]] = []
        last = None
        for i, value in enumerate(s.values):
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(f"{px(i):.1f},{py(value):.1f}")
            last = (px(i), py(value))
        if run:
            runs.append(run)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for points in runs:
            if len(points) > 1:
                body.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr}/>'
                )
        for i, value in enumerate(s.values):
            if value is None:
                continue
            tooltip = f"{s.name}, {x_labels[i]}: {s.label(i, unit)}"
            body.append(_marker(shape, px(i), py(value), colour, tooltip))
            if label_points:
                offset = -10 if s_index == 0 else 20
                body.append(
                    f'<text x="{px(i):.1f}" y="{py(value) + offset:.1f}" text-anchor="middle" '
                    f'font-size="13">{escape(s.label(i, unit))}</text>'
                )
        if last is not None:
            ends.append([last[1], last[0], s.name, colour])

    # Series names at the right, beside their last point, pushed apart so none overlap.
    ends.sort()
    for k in range(1, len(ends)):
        ends[k][0] = max(ends[k][0], ends[k - 1][0] + 17)
    for y, x, name, _colour in ends:
        body.append(
            f'<line x1="{x + 6:.1f}" y1="{y:.1f}" x2="{left + plot_w + 4:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}"/>'
        )
        body.append(_label(name, 14, right - 12, f'x="{left + plot_w + 8:.1f}" y="{y + 5:.1f}" font-size="14"'))
    return _svg(chart_id, height, title, description, body)
