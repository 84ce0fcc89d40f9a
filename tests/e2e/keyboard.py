"""Keyboard-only browsing: Tab through a page and check where focus goes and that it shows.

Each press is checked: the focused element shows a focus indicator (it looks different focused
from blurred: the NHS.UK frontend's yellow-and-black box shadow, or an outline), is not a
1-pixel visually hidden element, and comes after the element focused before it in the document
(or before it, for Shift+Tab).
"""

from __future__ import annotations

from dataclasses import dataclass

# Describes document.activeElement. Radios and checkboxes of the frontend hide the native input
# and draw the focus ring on the label's ::before, so that is where the indicator is looked for.
_FOCUSED = """(previousMarker) => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const label = el.labels && el.labels.length ? el.labels[0] : null;
    const text = label ? label.innerText
        : el.getAttribute("aria-label") || el.innerText || el.value || "";
    const name = text.trim().replace(/\\s+/g, " ");
    const drawnOnLabel = el.matches(".nhsuk-radios__input, .nhsuk-checkboxes__input") && label;
    // The indicator is what focus changes: the element's look focused against blurred
    // (blurring and focusing again keeps :focus-visible, the last input being a key press).
    const look = () => {
        const style = drawnOnLabel ? getComputedStyle(label, "::before") : getComputedStyle(el);
        return ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor",
                "borderTopColor", "color", "textDecorationLine"].map(p => style[p]).join("|");
    };
    const focusedLook = look();
    el.blur();
    const blurredLook = look();
    el.focus();
    const indicator = focusedLook !== blurredLook && document.activeElement === el;
    const box = (drawnOnLabel ? label : el).getBoundingClientRect();
    const previous = document.querySelector(`[data-keyboard-focus="${previousMarker}"]`);
    let order = "first";
    if (previous && previous !== el) {
        order = previous.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING
            ? "after" : "before";
    } else if (previous === el) {
        order = "same";
    }
    document.querySelectorAll("[data-keyboard-focus]")
        .forEach(e => e.removeAttribute("data-keyboard-focus"));
    el.setAttribute("data-keyboard-focus", previousMarker);
    return {
        name, tag: el.tagName.toLowerCase(), id: el.id, type: el.type || "",
        indicator, width: box.width, height: box.height, order,
        inViewport: box.bottom > 0 && box.top < window.innerHeight,
    };
}"""


@dataclass
class Focus:
    name: str
    tag: str
    id: str
    type: str
    indicator: bool
    width: float
    height: float
    order: str
    inViewport: bool  # noqa: N815 (as the browser reports it)


def focused(page) -> Focus | None:
    info = page.evaluate(_FOCUSED, "previous")
    return Focus(**info) if info else None


def press(page, key: str) -> Focus:
    """Press a key that moves focus, and check the element focused next."""
    page.keyboard.press(key)
    focus = focused(page)
    assert focus is not None, f"after {key}, nothing has focus"
    assert focus.indicator, f"{focus.tag} “{focus.name}” has focus but shows no focus indicator"
    assert focus.width > 1 and focus.height > 1, f"“{focus.name}” has focus but is hidden"
    assert focus.inViewport, f"“{focus.name}” has focus but is scrolled out of view"
    expected = "before" if key == "Shift+Tab" else "after"
    assert focus.order in (expected, "first"), (
        f"{key} moved focus to “{focus.name}”, which is {focus.order} the element focused before it"
    )
    return focus


def tab_to(page, name: str, *, max_presses: int = 60, key: str = "Tab") -> list[Focus]:
    """Press Tab (or Shift+Tab) until the element named `name` has focus; return every stop
    on the way."""
    stops = []
    for _ in range(max_presses):
        stops.append(press(page, key))
        if stops[-1].name == name:
            return stops
    visited = ", ".join(f"“{stop.name}”" for stop in stops)
    raise AssertionError(f"“{name}” not reached in {max_presses} presses of {key}: {visited}")


def new_page_starts_with_the_skip_link(page) -> None:
    """The first Tab on a freshly loaded page lands on "Skip to main content"."""
    focus = press(page, "Tab")
    assert focus.name == "Skip to main content", f"the first Tab went to “{focus.name}”"
