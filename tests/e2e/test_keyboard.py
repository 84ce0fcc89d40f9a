"""The keyboard checker itself: it must notice a missing focus indicator and a jumbled order."""

from __future__ import annotations

import pytest

from .keyboard import press, tab_to

pytestmark = [pytest.mark.e2e]

PAGE = """<!DOCTYPE html><html lang="en"><head><title>Keys</title><style>
a {{ outline: none; }} a.shows:focus {{ outline: 3px solid #ffeb3b; }}
</style></head><body><main><a class="shows" href="#1">One</a>
<a class="{second}" href="#2"{jump}>Two</a>
<a class="shows" href="#3">Three</a></main></body></html>"""


def test_focus_that_shows_and_moves_in_reading_order_passes(page):
    page.set_content(PAGE.format(second="shows", jump=""))
    assert [stop.name for stop in tab_to(page, "Three")] == ["One", "Two", "Three"]
    assert press(page, "Shift+Tab").name == "Two"


def test_focus_without_an_indicator_fails(page):
    page.set_content(PAGE.format(second="plain", jump=""))
    press(page, "Tab")
    with pytest.raises(AssertionError, match="“Two” has focus but shows no focus indicator"):
        press(page, "Tab")


def test_focus_out_of_reading_order_fails(page):
    page.set_content(PAGE.format(second="shows", jump=' tabindex="1"'))
    assert press(page, "Tab").name == "Two"
    with pytest.raises(AssertionError, match="moved focus to “One”, which is before"):
        press(page, "Tab")
