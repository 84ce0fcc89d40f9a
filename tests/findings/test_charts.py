"""The SVG chart helpers: well-formed, labelled in text, no inline styles, readable without colour."""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree

import pytest

from evaluations.findings.charts import SMALL_MULTIPLES_FROM, Series, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(svg))  # noqa: S314 - Ladder's own SVG, not untrusted input


def _texts(root) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def _markers(root) -> list[tuple[str, str]]:
    """Each point marker (every marker has a tooltip), as (shape, tooltip), in drawing order."""
    shapes = {f"{SVG}circle": "circle", f"{SVG}rect": "square"}
    found = []
    for element in root.iter():
        tooltip = element.find(f"{SVG}title")
        if tooltip is None or element.tag not in (*shapes, f"{SVG}polygon"):
            continue
        if element.tag == f"{SVG}polygon":
            shape = {3: "triangle", 4: "diamond"}[len(element.get("points").split())]
        else:
            shape = shapes[element.tag]
        found.append((shape, tooltip.text))
    return found


def test_a_bar_chart_labels_every_bar_with_its_series_and_value():
    svg = bar_chart(
        title="Themes", description="Counts", categories=["Job satisfaction", "Pay <& rest>"],
        series=[Series("Start", [3, 0], ["3 of 5", "0 of 5"]), Series("Qualification", [5, 1], ["5 of 5", "1 of 5"])],
        max_value=5, chart_id="t",
    )
    root = _parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "t-title t-desc"
    texts = _texts(root)
    for label in ("Start", "Qualification", "3 of 5", "0 of 5", "5 of 5", "1 of 5"):
        assert any(t == label for t in texts), label
    assert any(t.startswith("Pay <& rest>") for t in texts)  # escaped in the markup, intact as text
    assert "style" not in svg and "<script" not in svg
    # A zero draws no bar; the others differ in fill lightness as well as by label.
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") != "none"]
    assert len(bars) == 3
    assert len({r.get("fill") for r in bars}) == 2


def test_a_line_chart_breaks_at_missing_values_and_names_each_line():
    svg = line_chart(
        title="Compliance", description="By stage", x_labels=["Start", "Mid-way", "Qualification"],
        series=[Series("Larch Ward", [Decimal("62.5"), None, Decimal("90")]),
                Series("Oak Ward", [50, 70, 80])],
        y_max=100, unit="%", chart_id="c",
    )
    root = _parse(svg)
    texts = _texts(root)
    assert "Larch Ward" in texts and "Oak Ward" in texts
    assert "62.5%" in texts and "90%" in texts and "70%" in texts
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 1  # Larch's two points are not joined across the gap; Oak is one line
    assert lines[0].get("stroke-dasharray") == "8 4"  # the second series is dashed
    assert "style" not in svg


def test_charts_cope_with_no_data():
    assert _parse(bar_chart(title="Empty", description="", categories=[], series=[]))
    assert _parse(line_chart(title="Empty", description="", x_labels=[], series=[]))


def test_a_line_chart_has_a_key_showing_each_lines_style_and_axis_titles_with_units():
    svg = line_chart(
        title="Compliance", description="By stage", x_labels=["Start", "Mid-way", "Qualification"],
        series=[Series("Larch Ward", [50, 70, 90]), Series("Oak Ward", [55, 65, 80])],
        y_max=100, unit="%", chart_id="k", y_title="Criteria met (%)", x_title="Stage",
    )
    root = _parse(svg)
    texts = _texts(root)
    assert "Key" in texts and "Criteria met (%)" in texts and "Stage" in texts
    # The key's sample lines: one per series, each in its series' dash pattern.
    samples = [line for line in root.iter(f"{SVG}line") if line.get("stroke-width") == "2.5"]
    assert [s.get("stroke-dasharray") for s in samples] == [None, "8 4"]
    # The lines' points and the key differ in marker shape too: circles for Larch, squares for Oak.
    markers = _markers(root)
    assert {shape for shape, tip in markers if tip.startswith("Larch Ward")} == {"circle"}
    assert {shape for shape, tip in markers if tip.startswith("Oak Ward")} == {"square"}
    assert [shape for shape, tip in markers if tip in ("Larch Ward", "Oak Ward")] == ["circle", "square"]  # the key
    # The text alternative (the PDF's Alt) carries the numbers.
    title = root.find(f"{SVG}title").text
    assert title.startswith("Compliance. Larch Ward: 50% at Start, 70% at Mid-way, 90% at Qualification; Oak Ward:")


def test_two_lines_share_one_chart_with_a_key():
    wards = [Series(f"Ward {n}", [50 + n, 70 + n, 88 + n]) for n in range(SMALL_MULTIPLES_FROM - 1)]
    root = _parse(line_chart(title="Compliance", description="By stage", x_labels=["Start", "Mid-way", "Qualification"],
                             series=wards, y_max=100, unit="%", chart_id="o"))
    assert "Key" in _texts(root)
    assert len([p for p in root.iter(f"{SVG}polyline") if p.get("stroke-width") == "1.5"]) == 0  # no panels


# Three converging lines (the demo's three wards meet at 75.0% mid-way) hide each other's
# markers and leave no room to label values, so three is already small multiples.
@pytest.mark.parametrize("count", [SMALL_MULTIPLES_FROM, 4])
def test_three_or_more_lines_become_small_multiples_with_every_value_labelled(count):
    assert SMALL_MULTIPLES_FROM == 3
    wards = [Series(f"Ward {n}", [50 + n, 70 + n, 88 + n]) for n in range(count)]
    svg = line_chart(title="Compliance", description="By stage", x_labels=["Start", "Mid-way", "Qualification"],
                     series=wards, y_max=100, unit="%", chart_id="m")
    root = _parse(svg)
    texts = _texts(root)
    for n in range(count):
        assert f"Ward {n}" in texts  # each panel's heading
        assert f"{50 + n}%" in texts and f"{88 + n}%" in texts  # every value labelled
    # Each panel draws its own line in its style, and the other wards faintly behind it.
    strong = [p for p in root.iter(f"{SVG}polyline") if p.get("stroke-width") == "2.5"]
    faint = [p for p in root.iter(f"{SVG}polyline") if p.get("stroke-width") == "1.5"]
    assert len(strong) == count and len(faint) == count * (count - 1)
    assert len({p.get("stroke-dasharray") for p in strong}) == count  # solid, dashed, dotted, dash-dot
    # Each ward's points have a marker shape of their own.
    shapes = {n: {shape for shape, tip in _markers(root) if tip.startswith(f"Ward {n},")} for n in range(count)}
    assert all(len(s) == 1 for s in shapes.values()) and len(set.union(*shapes.values())) == count, shapes
    assert "Key" not in texts
