"""The accessibility checker itself: it must fail on a real problem, and pass a clean page."""

from __future__ import annotations

import pytest

from .axe import assert_accessible, axe_violations

pytestmark = [pytest.mark.e2e]

CLEAN = """<!DOCTYPE html><html lang="en"><head><title>Clean</title></head>
<body><main><h1>Clean</h1><label for="n">Name</label><input id="n"></main></body></html>"""

BROKEN = """<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>
<body><main><h1>Broken</h1><input id="n"><img src="x.png">
<p style="color:#bbb;background:#fff">Pale grey text on white</p></main></body></html>"""


def test_a_clean_page_passes(page):
    page.set_content(CLEAN)
    assert_accessible(page)


def test_a_page_with_serious_problems_fails_naming_rule_impact_and_element(page):
    page.set_content(BROKEN)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "- label (critical)" in message
    assert "- image-alt (critical)" in message
    assert "- color-contrast (serious)" in message
    assert "    #n: " in message  # the element, by selector


def test_axe_is_loaded_once_per_page(page):
    page.set_content(CLEAN)
    axe_violations(page)
    page.evaluate("() => { window.axe.__ladderMarker = true; }")
    axe_violations(page)
    assert page.evaluate("() => window.axe.__ladderMarker === true")


MISMATCHED = """<!DOCTYPE html><html lang="en"><head><title>Mismatch</title></head><body><main>
<h1>Mismatch</h1><span id="l">Upload</span>
<button class="{cls}" aria-labelledby="l">Send it now</button></main></body></html>"""


def test_a_known_exception_is_ignored_only_on_its_own_component(page):
    page.set_content(MISMATCHED.format(cls="some-other-button"))
    with pytest.raises(AssertionError, match="label-content-name-mismatch"):
        assert_accessible(page)
    page.set_content(MISMATCHED.format(cls="nhsuk-file-upload__drop-button"))
    assert_accessible(page)


RADIO = """<!DOCTYPE html><html lang="en"><head><title>Radios</title></head><body><main>
<h1>Radios</h1><fieldset><legend>Taken or lost?</legend>
<input class="nhsuk-radios__input" type="radio" name="o" id="o1" aria-controls="c"
 aria-expanded="false" {extra}><label for="o1">Lost</label></fieldset>
<div id="c"></div></main></body></html>"""


def test_the_conditional_radio_exception_covers_aria_expanded_and_nothing_else(page):
    page.set_content(RADIO.format(extra=""))
    assert_accessible(page)
    page.set_content(RADIO.format(extra='aria-selected="true"'))
    with pytest.raises(AssertionError, match="aria-allowed-attr"):
        assert_accessible(page)
