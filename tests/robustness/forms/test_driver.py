"""The test of the tests: the checks behind the hostile-input suite catch what they must."""

from __future__ import annotations

import pytest
from django.http import HttpResponse, HttpResponseRedirect

from .driver import assert_errors_beside_fields, assert_no_raw_markup, check_submission
from .pageforms import forms_on


class FakeClient:
    """Answers each request with the next prepared response."""

    def __init__(self, *responses):
        self.responses = list(responses)

    def post(self, url, data=None):
        return self.responses.pop(0)

    get = post


def test_raw_markup_on_a_page_is_caught_and_escaped_markup_is_not():
    with pytest.raises(AssertionError, match="renders input as markup"):
        assert_no_raw_markup(HttpResponse('<p><script>alert("ladder")</script></p>'), "page")
    assert_no_raw_markup(HttpResponse("<p>&lt;script&gt;alert(&quot;ladder&quot;)</p>"), "page")
    assert_no_raw_markup(HttpResponse('"><script>alert(', content_type="text/csv"), "csv")


def test_a_field_marked_wrong_without_a_message_is_caught():
    with pytest.raises(AssertionError, match="without a message"):
        assert_errors_beside_fields(HttpResponse('<div class="nhsuk-form-group--error">'), "page")


def test_a_500_and_markup_on_the_page_after_a_redirect_are_caught():
    with pytest.raises(AssertionError, match="answered 500"):
        check_submission(FakeClient(HttpResponse(status=500)), method="post", action="/x/", data={})
    stored = FakeClient(HttpResponseRedirect("/shown/"), HttpResponse("<b onmouseover=alert(1)>"))
    with pytest.raises(AssertionError, match="GET /shown/ after POST /x/"):
        check_submission(stored, method="post", action="/x/", data={})


def test_the_page_parser_reads_fields_options_and_buttons():
    html = """
      <form method="post" action="/save/"><input type="hidden" name="version" value="3">
        <input name="title" value="A"><textarea name="notes">Some</textarea>
        <select name="ward"><option value="">Choose</option><option value="7" selected>Larch</option></select>
        <input type="checkbox" name="present" value="trainee" checked>
        <input type="checkbox" name="present" value="manager">
        <input name="off" disabled><button name="action" value="draft">Save</button></form>
      <form><input name="q"></form>"""
    save, search = forms_on(html, "/page/")
    assert (save.method, save.action, search.method, search.action) == ("post", "/save/", "get", "/page/")
    assert {name: f.value for name, f in save.fields.items()} == {
        "version": "3", "title": "A", "notes": "Some", "ward": "7", "present": "trainee",
    }
    assert save.fields["ward"].options == ["", "7"]
    assert save.fields["present"].options == ["trainee", "manager"]
    assert save.fields["present"].checked == ["trainee"]
    assert save.buttons == [("action", "draft")]
