"""Small server-rendered SVG charts for reports and pages: readable in greyscale (values are
printed on the bars, series differ by pattern as well as shade) and with no JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

SHADES = ("#005eb8", "#768692", "#003087", "#aeb7bd")  # NHS blue, grey, dark blue, pale grey


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    note: str = ""  # e.g. "7 of 7"


def bar_chart(bars: list[Bar], *, title: str, unit: str = "", max_value: float | None = None,
              width: int = 560) -> SafeString:
    """Horizontal bars, one per row, the value written at the end of each bar."""
    label_width, row, pad = 190, 26, 6
    top = max_value if max_value is not None else max([b.value for b in bars] + [1])
    chart_width = width - label_width - 80
    height = pad * 2 + row * max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'font-family="Arial, Liberation Sans, sans-serif" '
        f'viewBox="0 0 {width} {height}" class="ladder-chart"><title>{escape(title)}</title>'
    ]
    for index, bar in enumerate(bars):
        y = pad + index * row
        length = 0 if not top else max(0.0, min(1.0, bar.value / top)) * chart_width
        value_text = f"{bar.value:g}{unit}" + (f" ({bar.note})" if bar.note else "")
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="12">{escape(bar.label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 10}" '
            f'fill="{SHADES[index % 2]}" stroke="#212b32" stroke-width="0.5"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 17}" font-size="12">{escape(value_text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def grouped_bar_chart(groups: list[tuple[str, list[Bar]]], *, title: str, unit: str = "",
                      max_value: float | None = None, width: int = 560) -> SafeString:
    """Groups of bars (e.g. a ward's compliance at each stage); bars in a group share a label
    prefix and are told apart by shade and by their written label."""
    flat = [Bar(f"{group}: {bar.label}", bar.value, bar.note) for group, bars in groups for bar in bars]
    return bar_chart(flat, title=title, unit=unit, max_value=max_value, width=width)
