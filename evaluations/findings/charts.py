"""Charts as inline SVG, drawn on the server: no JavaScript, no inline styles (the Content
Security Policy forbids both), nothing fetched. The same functions serve the pages and the PDF
case study (WeasyPrint draws inline SVG).

Every chart is readable without colour: bars carry their series name and value as text, lines
differ by dash pattern and marker shape and are named in a key that shows both; three or more
lines become small multiples. Each chart has a <title> and
<desc> for screen readers, but a chart is never the only way to the numbers: pages and reports
put a data table beside it.

    bar_chart(title=..., description=..., categories=["Job satisfaction", ...],
              series=[Series("Start", [3, 1]), Series("Qualification", [5, 0])])
    line_chart(title=..., description=..., x_labels=["Start", "Mid-way"],
               series=[Series("Larch Ward", [62.5, 80.0])], y_max=100, unit="%")

Both return a SafeString of ``<svg ...>`` to print as it is ({{ chart }} in a template).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

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
# From this many lines on, one small panel per line: three converging lines cannot be told apart
# at print size, whatever their dashes and markers (the demo's three wards meet at 75.0% mid-way,
# one marker hiding another, and three lines leave no room to label values). Issue 17 said "more
# than three"; its own example was three wards, so three is where panels start.
SMALL_MULTIPLES_FROM = 3
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


def escape(text) -> str:
    """django.utils.html.escape's text, without its check of every argument for a lazy string
    (a chart escapes each of its labels: a hundred calls a page)."""
    return html.escape(str(text))


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
    alt = title
    if categories and series:
        alt = f"{title}. " + "; ".join(
            f"{category}: " + ", ".join(
                (f"{s.name} {s.label(c, unit)}" if multi else s.label(c, unit)) for s in series)
            for c, category in enumerate(categories))
    return _svg(chart_id, y + 4, alt, description, body)


def _marker(shape: str, x: float, y: float, colour: str, tooltip: str) -> str:
    tip = f"<title>{escape(tooltip)}</title>"
    if shape == "square":
        return (f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}" '
                f'stroke="#ffffff" stroke-width="1">{tip}</rect>')
    if shape == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} {x - 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}" stroke="#ffffff" stroke-width="1">{tip}</polygon>'
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}" stroke="#ffffff" stroke-width="1">{tip}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}" stroke="#ffffff" stroke-width="1">{tip}</circle>'


def _summary(x_labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
    """The numbers in words, for the chart's text alternative (the PDF's Alt text)."""
    parts = []
    for s in series:
        points = [f"{s.label(i, unit)} at {x}" for i, x in enumerate(x_labels)
                  if i < len(s.values) and s.values[i] is not None]
        parts.append(f"{s.name}: {', '.join(points) if points else 'no data'}")
    return "; ".join(parts)


def _key_entry(x: float, y: float, s_index: int, name: str, width: float) -> list[str]:
    """A key entry: a short stretch of the series' line, with its marker, then its name."""
    colour, dash, shape = _style(s_index)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return [
        f'<line x1="{x:.1f}" y1="{y - 5:.1f}" x2="{x + 36:.1f}" y2="{y - 5:.1f}" stroke="{colour}" '
        f'stroke-width="2.5"{dash_attr}/>',
        _marker(shape, x + 18, y - 5, colour, name),
        _label(name, 14, width - 44, f'x="{x + 42:.1f}" y="{y:.1f}" font-size="14"'),
    ]


def _style(s_index: int) -> tuple[str, str, str]:
    return (STROKES[s_index % len(STROKES)], DASHES[s_index % len(DASHES)],
            MARKERS[s_index % len(MARKERS)])


def _plot(body: list[str], *, left: float, top: float, plot_w: float, plot_h: float,
          x_labels: Sequence[str], series: Sequence[tuple[int, Series]], y_top: float, unit: str,
          label_points: bool, context: Sequence[Series] = (), ticks: int = 4, font: int = 13) -> None:
    """One plot area: gridlines and the y scale, the x labels, faint context lines (in small
    multiples, the other series), then each series with its dash pattern and marker."""
    n = max(1, len(x_labels))
    step = plot_w / n

    def px(i: int) -> float:
        return left + step * (i + 0.5)

    def py(v) -> float:
        return top + plot_h * (1 - min(float(v), y_top) / y_top)

    for k in range(ticks + 1):
        value = y_top * k / ticks
        y = py(value)
        body.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(
            f'<text x="{left - 6:.1f}" y="{y + 5:.1f}" text-anchor="end" font-size="{font}">'
            f"{escape(format_value(value, unit))}</text>"
        )
    body.append(f'<line x1="{left:.1f}" y1="{top + plot_h:.1f}" x2="{left + plot_w:.1f}" '
                f'y2="{top + plot_h:.1f}" stroke="{TEXT}"/>')
    body.append(f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{top + plot_h:.1f}" stroke="{TEXT}"/>')
    # Label every x point if they fit; if they fit in two staggered rows, every point on
    # alternate rows; otherwise every k-th (always the first and last).
    every = max(1, int(max((_text_width(x, font) for x in x_labels), default=0) // step) + 1)
    stagger = every == 2 or (every == 3 and n <= 4)
    for i, label in enumerate(x_labels):
        if not stagger and i % every and i != n - 1:
            continue
        row = i % 2 if stagger else 0
        body.append(_label(
            label, font, step * (2 if stagger else every) - 4,
            f'x="{px(i):.1f}" y="{top + plot_h + font + 7 + row * (font + 3):.1f}" '
            f'text-anchor="middle" font-size="{font}"',
        ))

    def runs(values) -> list[list[str]]:
        out, run = [], []
        for i, value in enumerate(values):
            if value is None:
                if run:
                    out.append(run)
                run = []
                continue
            run.append(f"{px(i):.1f},{py(value):.1f}")
        if run:
            out.append(run)
        return out

    for other in context:
        for points in runs(other.values):
            if len(points) > 1:
                body.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{GRID}" stroke-width="1.5"/>')
    for position, (s_index, s) in enumerate(series):
        colour, dash, shape = _style(s_index)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for points in runs(s.values):
            if len(points) > 1:
                body.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr}/>'
                )
        for i, value in enumerate(s.values):
            if value is None or i >= len(x_labels):
                continue
            body.append(_marker(shape, px(i), py(value), colour, f"{s.name}, {x_labels[i]}: {s.label(i, unit)}"))
            if label_points:
                # The first series' values above its points, the second's below.
                offset = -10 if position == 0 else font + 7
                if position == 0 and py(value) - top < 14:
                    offset = font + 7
                body.append(
                    f'<text x="{px(i):.1f}" y="{py(value) + offset:.1f}" text-anchor="middle" '
                    f'font-size="{font}" font-weight="bold">{escape(s.label(i, unit))}</text>'
                )


def line_chart(
    *, title: str, description: str, x_labels: Sequence[str], series: Sequence[Series],
    y_max: float | None = None, unit: str = "", chart_id: str = "", height: int = 300,
    x_title: str = "", y_title: str = "",
) -> SafeString:
    """Lines over ordered points (stages, periods), one per series, each with its own dash
    pattern and marker, named in a key beneath that shows both. A missing value (None) breaks
    the line. With one or two series every point is labelled with its value. With three series
    or more (lines that cross and converge, as wards' audits do) the chart becomes small
    multiples: one small panel per series (its values labelled, the others faint behind it for
    comparison) on a shared scale. ``y_title`` and
    ``x_title`` name the axes (with their unit, e.g. "Compliance (%)"). The chart's <title>
    carries the numbers in words, so its text alternative (the PDF's Alt) is complete."""
    chart_id = chart_id or _id(title)
    y_title = y_title or ("Percentage (%)" if unit == "%" else "")
    alt = f"{title}. {_summary(x_labels, series, unit)}" if series else title
    y_top = y_max if y_max else (_max(series) or 1.0)
    body: list[str] = []
    if len(series) >= SMALL_MULTIPLES_FROM:
        return _small_multiples(chart_id, alt, description, x_labels, series, y_top, unit, x_title, y_title)
    left, top_margin = 56.0, 30.0 if y_title else 14.0
    plot_w = WIDTH - left - 16
    plot_h = height - top_margin - 60
    if y_title:
        body.append(f'<text x="8" y="16" font-size="13" font-weight="bold">{escape(y_title)}</text>')
    _plot(body, left=left, top=top_margin, plot_w=plot_w, plot_h=plot_h, x_labels=x_labels,
          series=list(enumerate(series)), y_top=y_top, unit=unit,
          label_points=len(series) <= 2 and len(x_labels) <= 8)
    y = top_margin + plot_h + 36
    if x_title:
        y += 18
        body.append(f'<text x="{left + plot_w / 2:.1f}" y="{y:.1f}" text-anchor="middle" font-size="13" '
                    f'font-weight="bold">{escape(x_title)}</text>')
    # The key: each series' line style and marker, and its name.
    if series:
        y += 24
        body.append(f'<text x="8" y="{y:.1f}" font-size="13" font-weight="bold">Key</text>')
        x = left
        entry_w = max(150.0, max(_text_width(s.name, 14) for s in series) + 52)
        for s_index, s in enumerate(series):
            if x + entry_w > WIDTH and x > left:
                x, y = left, y + 22
            body.extend(_key_entry(x, y, s_index, s.name, entry_w))
            x += entry_w
    return _svg(chart_id, y + 10, alt, description, body)


def _small_multiples(chart_id: str, alt: str, description: str, x_labels: Sequence[str],
                     series: Sequence[Series], y_top: float, unit: str, x_title: str,
                     y_title: str) -> SafeString:
    cols = 2
    gap, left = 20.0, 46.0
    panel_w = (WIDTH - gap * (cols - 1)) / cols
    panel_h, head = 150.0, 24.0
    body: list[str] = []
    y0 = 8.0
    if y_title or x_title:
        text = y_title + (f" by {x_title.lower()}" if x_title else "")
        body.append(f'<text x="8" y="16" font-size="13" font-weight="bold">{escape(text)}; '
                    "one panel each, the others in pale grey</text>")
        y0 = 26.0
    for k, s in enumerate(series):
        row, col = divmod(k, cols)
        x = col * (panel_w + gap)
        y = y0 + row * (head + panel_h + 46)
        colour, dash, shape = _style(k)
        body.append(_label(s.name, 14, panel_w - 8,
                           f'x="{x + 4:.1f}" y="{y + 16:.1f}" font-size="14" font-weight="bold"'))
        _plot(body, left=x + left, top=y + head + 4, plot_w=panel_w - left - 6, plot_h=panel_h - 8,
              x_labels=x_labels, series=[(k, s)], y_top=y_top, unit=unit, label_points=len(x_labels) <= 6,
              context=[o for o in series if o is not s], ticks=2, font=12)
    rows = (len(series) + cols - 1) // cols
    return _svg(chart_id, y0 + rows * (head + panel_h + 46) + 4, alt, description, body)
