"""The "nhsuk" crispy-forms pack, the NHS.UK date field and the error summary tags.

Rendering needs no database. Markup is checked through a small strict parser (below), so a
stray or unclosed tag, or a repeated id, fails the test that rendered it.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template

from nhsuk_forms.fields import DateField
from nhsuk_forms.widgets import DateInput

# ---------------------------------------------------------------------------------------------
# A strict little DOM
# ---------------------------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw_text() for c in self.children)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", self.raw_text()).strip()

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, cls=None, **attrs):
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and (cls is None or cls in n.classes)
            and all(n.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def find(self, tag=None, cls=None, **attrs):
        found = self.find_all(tag, cls, **attrs)
        assert len(found) == 1, f"expected one <{tag} class={cls} {attrs}>, found {len(found)}"
        return found[0]

    def by_id(self, id_):
        return self.find(id=id_)

    def closest(self, cls):
        node = self.parent
        while node is not None and cls not in node.classes:
            node = node.parent
        assert node is not None, f"no ancestor with class {cls}"
        return node


class StrictParser(HTMLParser):
    """Builds a Node tree; fails on mismatched or unclosed tags and on duplicate ids."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {}, None)
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        if node.attrs.get("id"):
            assert node.attrs["id"] not in self.ids, f"duplicate id {node.attrs['id']}"
            self.ids.add(node.attrs["id"])
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        assert tag not in VOID, f"</{tag}> closes a void element"
        assert self.current.tag == tag, f"</{tag}> closes <{self.current.tag}>"
        self.current = self.current.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Node:
    parser = StrictParser()
    parser.feed(html)
    parser.close()
    assert parser.current is parser.root, f"<{parser.current.tag}> never closed"
    return parser.root


def render(source: str, **context) -> str:
    return Template("{% load crispy_forms_tags nhsuk_forms %}" + source).render(Context(context))


def crispy_filter(form) -> Node:
    return parse(render("{{ form|crispy }}", form=form))


# ---------------------------------------------------------------------------------------------
# One form with every kind of field
# ---------------------------------------------------------------------------------------------

SETTINGS = [("acute", "Acute ward"), ("community", "Community")]
SKILLS = [("obs", "Observations"), ("venepuncture", "Venepuncture")]


class EveryFieldForm(forms.Form):
    full_name = forms.CharField(label="Full name", help_text="As it appears on your ID badge")
    email = forms.EmailField(label="Email address", required=False)
    hours = forms.IntegerField(label="Hours per week", min_value=1)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    summary = forms.CharField(label="Summary", widget=forms.Textarea, max_length=200)
    band = forms.ChoiceField(label="Band", choices=[("", "Select a band"), ("3", "Band 3")])
    setting = forms.ChoiceField(
        label="Where do you work?", choices=SETTINGS, widget=forms.RadioSelect, help_text="Pick one"
    )
    skills = forms.MultipleChoiceField(
        label="Skills", choices=SKILLS, widget=forms.CheckboxSelectMultiple
    )
    confirm = forms.BooleanField(label="I confirm this is accurate", help_text="Tick to confirm")
    start_date = DateField(label="Start date")
    evidence = forms.FileField(label="Evidence", help_text="A PDF or Word document")

    def clean(self):
        raise ValidationError("Check the whole form")


INVALID = {
    "full_name": "",
    "email": "not-an-email",
    "hours": "lots",
    "summary": "",
    "band": "9",
    "start_date_day": "12",
    "start_date_month": "",
    "start_date_year": "2024",
}


@pytest.fixture
def invalid():
    form = EveryFieldForm(data=INVALID)
    assert not form.is_valid()
    return crispy_filter(form)


def assert_error(doc, id_, message):
    error = doc.by_id(f"{id_}-error")
    assert error.tag == "span"
    assert error.classes == ["nhsuk-error-message"]
    hidden = error.find("span", cls="nhsuk-u-visually-hidden")
    assert hidden.text == "Error:"
    assert error.text == f"Error: {message}"


# ---------------------------------------------------------------------------------------------
# Each kind of field
# ---------------------------------------------------------------------------------------------


def test_text_input_with_hint_and_error(invalid):
    control = invalid.by_id("id_full_name")
    assert control.tag == "input"
    assert (control.attrs["type"], control.attrs["name"]) == ("text", "full_name")
    assert control.classes == ["nhsuk-input", "nhsuk-input--error"]
    assert control.attrs["aria-describedby"] == "id_full_name-hint id_full_name-error"
    group = control.closest("nhsuk-form-group")
    assert group.classes == ["nhsuk-form-group", "nhsuk-form-group--error"]
    label = group.find("label")
    assert label.classes == ["nhsuk-label"]
    assert (label.attrs["for"], label.text) == ("id_full_name", "Full name")
    hint = invalid.by_id("id_full_name-hint")
    assert (hint.tag, hint.classes) == ("div", ["nhsuk-hint"])
    assert hint.text == "As it appears on your ID badge"
    assert_error(invalid, "id_full_name", "Enter full name")
    # NHS.UK order inside the group: label, hint, error message, control.
    tags = [c.tag for c in group.children if not isinstance(c, str)]
    assert tags == ["label", "div", "span", "input"]


def test_optional_email_is_marked_optional_and_keeps_its_type(invalid):
    control = invalid.by_id("id_email")
    assert control.attrs["type"] == "email"
    assert control.attrs["value"] == "not-an-email"
    assert control.classes == ["nhsuk-input", "nhsuk-input--error"]
    assert control.attrs["aria-describedby"] == "id_email-error"  # no hint, so no hint id
    assert control.closest("nhsuk-form-group").find("label").text == "Email address (optional)"
    assert_error(invalid, "id_email", "Enter an email address in the correct format, like name@example.com")


def test_integer_is_a_numeric_text_input(invalid):
    control = invalid.by_id("id_hours")
    # NHS.UK: text input with inputmode, never type="number"; min/max are not allowed on text.
    assert control.attrs["type"] == "text"
    assert control.attrs["inputmode"] == "numeric"
    assert "min" not in control.attrs
    assert control.classes == ["nhsuk-input", "nhsuk-input--error"]
    assert control.closest("nhsuk-form-group").find("label").text == "Hours per week"
    assert_error(invalid, "id_hours", "Enter a whole number, like 12")


def test_textarea(invalid):
    control = invalid.by_id("id_notes")
    assert control.tag == "textarea"
    assert control.classes == ["nhsuk-textarea"]
    assert "aria-describedby" not in control.attrs
    group = control.closest("nhsuk-form-group")
    assert group.classes == ["nhsuk-form-group"]
    assert group.find("label").text == "Notes (optional)"


def test_textarea_with_max_length_is_a_character_count(invalid):
    control = invalid.by_id("id_summary")
    assert control.classes == [
        "nhsuk-textarea",
        "nhsuk-textarea--error",
        "nhsuk-js-character-count",
    ]
    assert "maxlength" not in control.attrs  # the count warns; the server enforces
    assert control.attrs["aria-describedby"] == "id_summary-info id_summary-error"
    group = control.closest("nhsuk-form-group")
    assert group.classes == ["nhsuk-form-group", "nhsuk-form-group--error", "nhsuk-character-count"]
    assert group.attrs["data-module"] == "nhsuk-character-count"
    assert group.attrs["data-maxlength"] == "200"
    info = invalid.by_id("id_summary-info")
    assert info.classes == ["nhsuk-hint", "nhsuk-character-count__message"]
    assert info.text == "You can enter up to 200 characters"


def test_select(invalid):
    control = invalid.by_id("id_band")
    assert control.tag == "select"
    assert control.classes == ["nhsuk-select", "nhsuk-select--error"]
    assert control.attrs["aria-describedby"] == "id_band-error"
    assert [o.attrs["value"] for o in control.find_all("option")] == ["", "3"]
    assert control.closest("nhsuk-form-group").find("label").attrs["for"] == "id_band"
    message = "Select band from the choices given"
    assert_error(invalid, "id_band", message)


def test_radios(invalid):
    fieldset = invalid.by_id("id_setting-hint").parent
    assert fieldset.tag == "fieldset" and fieldset.classes == ["nhsuk-fieldset"]
    assert fieldset.attrs["aria-describedby"] == "id_setting-hint id_setting-error"
    group = fieldset.closest("nhsuk-form-group")
    assert group.classes == ["nhsuk-form-group", "nhsuk-form-group--error"]
    legend = fieldset.find("legend")
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--s"]
    assert legend.text == "Where do you work?"
    radios = fieldset.find("div", cls="nhsuk-radios")
    assert radios.attrs["data-module"] == "nhsuk-radios"
    items = radios.find_all("div", cls="nhsuk-radios__item")
    assert len(items) == 2
    radio, label = items[0].find("input"), items[0].find("label")
    assert radio.classes == ["nhsuk-radios__input"]
    assert (radio.attrs["type"], radio.attrs["name"]) == ("radio", "setting")
    assert radio.attrs["value"] == "acute"
    assert label.classes == ["nhsuk-label", "nhsuk-radios__label"]
    assert (label.attrs["for"], label.text) == (radio.attrs["id"], "Acute ward")
    assert_error(invalid, "id_setting", "Select an answer to “Where do you work?”")


def test_multiple_checkboxes_keep_what_was_ticked():
    form = EveryFieldForm(data={"skills": ["venepuncture"]})
    doc = crispy_filter(form)
    checkboxes = doc.by_id("id_skills_0").closest("nhsuk-checkboxes")
    assert checkboxes.attrs["data-module"] == "nhsuk-checkboxes"
    legend = checkboxes.parent.find("legend")
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--s"]
    assert legend.text == "Skills"
    inputs = checkboxes.find_all("input")
    assert [i.classes for i in inputs] == [["nhsuk-checkboxes__input"]] * 2
    assert [(i.attrs["type"], i.attrs["name"]) for i in inputs] == [("checkbox", "skills")] * 2
    assert ["checked" in i.attrs for i in inputs] == [False, True]
    labels = checkboxes.find_all("label", cls="nhsuk-checkboxes__label")
    assert [(lbl.attrs["for"], lbl.text) for lbl in labels] == [
        ("id_skills_0", "Observations"),
        ("id_skills_1", "Venepuncture"),
    ]
    assert checkboxes.closest("nhsuk-form-group").classes == ["nhsuk-form-group"]


def test_multiple_checkboxes_error(invalid):
    fieldset = invalid.by_id("id_skills-error").parent
    assert fieldset.tag == "fieldset"
    assert fieldset.attrs["aria-describedby"] == "id_skills-error"
    assert_error(invalid, "id_skills", "Select skills")


def test_boolean_is_a_single_checkbox_without_fieldset(invalid):
    control = invalid.by_id("id_confirm")
    assert (control.attrs["type"], control.classes) == ("checkbox", ["nhsuk-checkboxes__input"])
    assert control.attrs["aria-describedby"] == "id_confirm-hint id_confirm-error"
    item = control.parent
    assert item.classes == ["nhsuk-checkboxes__item"]
    assert item.parent.classes == ["nhsuk-checkboxes"]
    label = item.find("label")
    assert label.classes == ["nhsuk-label", "nhsuk-checkboxes__label"]
    assert (label.attrs["for"], label.text) == ("id_confirm", "I confirm this is accurate")
    assert invalid.by_id("id_confirm-hint").classes == ["nhsuk-hint", "nhsuk-checkboxes__hint"]
    group = item.closest("nhsuk-form-group")
    assert group.classes == ["nhsuk-form-group", "nhsuk-form-group--error"]
    assert group.find_all("fieldset") == []
    assert_error(invalid, "id_confirm", "Select “I confirm this is accurate” to go on")


def test_optional_boolean_is_not_labelled_optional():
    class Form(forms.Form):
        reminders = forms.BooleanField(label="Send me reminders", required=False)

    assert crispy_filter(Form()).find("label").text == "Send me reminders"


def test_date_input_highlights_only_the_missing_part(invalid):
    fieldset = invalid.by_id("id_start_date").parent
    assert fieldset.tag == "fieldset"
    assert (fieldset.classes, fieldset.attrs["role"]) == (["nhsuk-fieldset"], "group")
    assert fieldset.attrs["aria-describedby"] == "id_start_date-hint id_start_date-error"
    legend = fieldset.find("legend")
    assert legend.text == "Start date"
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--s"]
    assert invalid.by_id("id_start_date-hint").text == "For example, 15 3 2024"
    assert_error(invalid, "id_start_date", "Start date must include a month")
    date_input = invalid.by_id("id_start_date")
    assert date_input.classes == ["nhsuk-date-input"]
    items = date_input.find_all("div", cls="nhsuk-date-input__item")
    assert len(items) == 3
    rows = []
    for item in items:
        control, label = item.find("input"), item.find("label")
        assert label.classes == ["nhsuk-label", "nhsuk-date-input__label"]
        assert label.attrs["for"] == control.attrs["id"]
        assert control.attrs["inputmode"] == "numeric"
        assert control.attrs["type"] == "text"
        attrs = control.attrs
        rows.append((label.text, attrs["id"], attrs["name"], attrs.get("value")))
        part_has_error = "nhsuk-input--error" in control.classes
        assert ("nhsuk-form-group--error" in control.parent.classes) == part_has_error
        assert part_has_error == (label.text == "Month")
    assert rows == [
        ("Day", "id_start_date_day", "start_date_day", "12"),
        ("Month", "id_start_date_month", "start_date_month", None),
        ("Year", "id_start_date_year", "start_date_year", "2024"),
    ]
    day = invalid.by_id("id_start_date_day")
    assert day.classes == ["nhsuk-input", "nhsuk-date-input__input", "nhsuk-input--width-2"]
    year = invalid.by_id("id_start_date_year")
    assert year.classes == ["nhsuk-input", "nhsuk-date-input__input", "nhsuk-input--width-4"]


def test_date_input_shows_initial_date_or_iso_string():
    class Form(forms.Form):
        when = DateField()

    for initial in (datetime.date(2024, 3, 5), "2024-03-05"):
        doc = crispy_filter(Form(initial={"when": initial}))
        values = [doc.by_id(f"id_when_{part}").attrs["value"] for part in ("day", "month", "year")]
        assert values == ["5", "3", "2024"]
    assert DateInput().decompress("not a date") == [None, None, None]


def test_file_upload(invalid):
    control = invalid.by_id("id_evidence")
    assert (control.attrs["type"], control.classes) == ("file", ["nhsuk-file-upload__input"])
    assert control.attrs["aria-describedby"] == "id_evidence-hint id_evidence-error"
    group = control.closest("nhsuk-form-group")
    assert group.classes == ["nhsuk-form-group", "nhsuk-form-group--error", "nhsuk-file-upload"]
    assert group.attrs["data-module"] == "nhsuk-file-upload"
    assert group.find("label").attrs["for"] == "id_evidence"
    assert_error(invalid, "id_evidence", "Choose a file for evidence")


def test_existing_file_is_shown_before_the_upload_group():
    class StoredFile:
        url = "/media/evidence/plan.pdf"

        def __str__(self):
            return "evidence/plan.pdf"

    class Form(forms.Form):
        evidence = forms.FileField(required=False)

    doc = crispy_filter(Form(initial={"evidence": StoredFile()}))
    upload = doc.find("div", cls="nhsuk-file-upload")
    # The v10 script enhances the first <input> in the module: it must be the file input.
    assert upload.find_all("input")[0].attrs["type"] == "file"
    assert "Currently" not in upload.text
    # Named, never linked: uploaded files are served only through views that check access.
    assert doc.find_all("a") == []
    assert "Current file: evidence/plan.pdf" in doc.text
    clear = doc.find("input", name="evidence-clear")
    assert clear.classes == ["nhsuk-checkboxes__input"]
    assert doc.find("label", for_=clear.attrs["id"]).text == "Remove this file"


def test_valid_unbound_form_has_no_error_markup():
    html = render("{{ form|crispy }}", form=EveryFieldForm())
    assert "error" not in html
    parse(html)


def test_labels_can_be_visually_hidden_by_the_helper():
    form = EveryFieldForm()
    form.helper = FormHelper()
    form.helper.form_show_labels = False
    doc = parse(render("{% crispy form %}", form=form))
    assert "nhsuk-u-visually-hidden" in doc.find("label", for_="id_full_name").classes
    assert "nhsuk-u-visually-hidden" in doc.by_id("id_setting-hint").parent.find("legend").classes


# ---------------------------------------------------------------------------------------------
# The date field's cleaning rules
# ---------------------------------------------------------------------------------------------


def clean_date(value, **kwargs):
    return DateField(label="Start date", **kwargs).clean(value)


def date_errors(value, **kwargs):
    with pytest.raises(ValidationError) as raised:
        clean_date(value, **kwargs)
    return raised.value.messages, raised.value.error_list[0].params["error_parts"]


def test_date_cleans_to_a_date():
    assert clean_date(["15", "3", "2024"]) == datetime.date(2024, 3, 15)
    assert clean_date([" 01 ", "03", "2024 "]) == datetime.date(2024, 3, 1)
    assert clean_date(["29", "2", "2024"]) == datetime.date(2024, 2, 29)
    assert clean_date("2024-03-15") == datetime.date(2024, 3, 15)
    assert clean_date(datetime.date(2024, 3, 15)) == datetime.date(2024, 3, 15)


@pytest.mark.parametrize(
    ("value", "message", "parts"),
    [
        (["", "", ""], "Enter start date", ("day", "month", "year")),
        (None, "Enter start date", ("day", "month", "year")),
        (["15", "", "2024"], "Start date must include a month", ("month",)),
        (["", "3", ""], "Start date must include a day and year", ("day", "year")),
        (["31", "2", "2024"], "Start date must be a real date", ("day",)),
        (["29", "2", "2023"], "Start date must be a real date", ("day",)),
        (["1", "13", "2024"], "Start date must be a real date", ("month",)),
        (["1", "x", "2024"], "Start date must be a real date", ("month",)),
        (["-1", "3", "2024"], "Start date must be a real date", ("day",)),
        (["1", "3", "1899"], "Start date must be between 1900 and 2100", ("year",)),
        (["1", "3", "24"], "Start date must be between 1900 and 2100", ("year",)),
        (["1", "3", "2101"], "Start date must be between 1900 and 2100", ("year",)),
        ("1850-01-01", "Start date must be between 1900 and 2100", ("year",)),
        ("15/03/2024", "Start date must be a real date", ("day", "month", "year")),
    ],
)
def test_date_errors(value, message, parts):
    assert date_errors(value) == ([message], parts)


def test_blank_optional_date_is_none():
    assert clean_date(["", " ", ""], required=False) is None
    assert clean_date(None, required=False) is None


def test_date_year_range_is_configurable():
    assert date_errors(["1", "1", "2030"], max_year=2029)[0] == [
        "Start date must be between 1900 and 2029"
    ]


def test_date_messages_use_the_field_name_when_there_is_no_label():
    class Form(forms.Form):
        date_of_birth = DateField()
        cct_date = DateField(label="CCT date")

    form = Form(data={})
    assert form.errors == {
        "date_of_birth": ["Enter date of birth"],
        "cct_date": ["Enter CCT date"],
    }


def test_date_field_in_a_bound_form():
    class Form(forms.Form):
        when = DateField()

    form = Form(data={"when_day": "5", "when_month": "11", "when_year": "2025"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == datetime.date(2025, 11, 5)
    # A single ISO value under the plain name is accepted too.
    form = Form(data={"when": "2025-11-05"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == datetime.date(2025, 11, 5)


def test_date_has_changed_compares_dates():
    field = DateField()
    assert not field.has_changed(datetime.date(2024, 3, 5), ["5", "3", "2024"])
    assert not field.has_changed("2024-03-05", ["05", "03", "2024"])
    assert field.has_changed(datetime.date(2024, 3, 5), ["6", "3", "2024"])
    assert field.has_changed(None, ["31", "2", "2024"])


# ---------------------------------------------------------------------------------------------
# Error summary
# ---------------------------------------------------------------------------------------------

EXPECTED_SUMMARY = [
    ("", "Check the whole form"),
    ("#id_full_name", "Enter full name"),
    ("#id_email", "Enter an email address in the correct format, like name@example.com"),
    ("#id_hours", "Enter a whole number, like 12"),
    ("#id_summary", "Enter summary"),
    ("#id_band", "Select band from the choices given"),
    ("#id_setting_0", "Select an answer to “Where do you work?”"),
    ("#id_skills_0", "Select skills"),
    ("#id_confirm", "Select “I confirm this is accurate” to go on"),
    ("#id_start_date_month", "Start date must include a month"),
    ("#id_evidence", "Choose a file for evidence"),
]


def summary_entries(doc):
    summary = doc.find("div", cls="nhsuk-error-summary")
    assert summary.attrs["data-module"] == "nhsuk-error-summary"
    alert = summary.find("div", role="alert")
    assert alert.find("h2", cls="nhsuk-error-summary__heading").text == "There is a problem"
    entries = []
    for li in alert.find("ul", cls="nhsuk-error-summary__list").find_all("li"):
        links = li.find_all("a")
        entries.append((links[0].attrs["href"] if links else "", li.text))
    return entries


def test_error_summary_with_crispy_filter_links_every_error(invalid):
    assert summary_entries(invalid) == EXPECTED_SUMMARY
    # Every link lands on an element on the page.
    for href, _ in EXPECTED_SUMMARY[1:]:
        invalid.by_id(href[1:])


def test_error_summary_comes_first_in_the_crispy_tag_form():
    form = EveryFieldForm(data=INVALID)
    doc = parse(render("{% crispy form %}", form=form))
    form_tag = doc.find("form")
    assert form_tag.attrs["method"] == "post"
    assert "novalidate" in form_tag.attrs
    assert form_tag.attrs["enctype"] == "multipart/form-data"
    first = next(form_tag.iter())
    assert first.classes == ["nhsuk-error-summary"]
    assert summary_entries(doc) == EXPECTED_SUMMARY


def test_error_summary_tag_can_move_the_summary_without_repeating_it():
    form = EveryFieldForm(data=INVALID)
    html = render('<div id="top">{% nhsuk_error_summary form %}</div>{% crispy form %}', form=form)
    doc = parse(html)
    assert len(doc.find_all("div", cls="nhsuk-error-summary")) == 1
    assert doc.by_id("top").find("div", cls="nhsuk-error-summary")
    assert summary_entries(doc) == EXPECTED_SUMMARY


def test_no_error_summary_for_unbound_or_valid_forms():
    class Form(forms.Form):
        name = forms.CharField()

    assert render("{% nhsuk_error_summary form %}", form=Form()).strip() == ""
    assert render("{% nhsuk_error_summary form %}", form=Form(data={"name": "Ann"})).strip() == ""
    assert "nhsuk-error-summary" not in render("{% crispy form %}", form=Form(data={"name": "Ann"}))


def test_hidden_field_errors_are_listed_without_a_link():
    class Form(forms.Form):
        step = forms.IntegerField(widget=forms.HiddenInput)

    doc = parse(render("{{ form|crispy }}", form=Form(data={"step": "x"})))
    assert summary_entries(doc) == [
        ("", "This page was out of date or incomplete, so nothing was saved. Reload the page and try again.")
    ]
    assert doc.find("input", name="step").attrs["type"] == "hidden"


def test_error_title_prefix():
    class Form(forms.Form):
        name = forms.CharField()

    source = "{{ form|nhsuk_error_prefix }}Page"
    assert render(source, form=Form()) == "Page"
    assert render(source, form=Form(data={"name": "Ann"})) == "Page"
    assert render(source, form=Form(data={})) == "Error: Page"
    assert render(source) == "Page"


# ---------------------------------------------------------------------------------------------
# Layouts, buttons, well-formed and safe output
# ---------------------------------------------------------------------------------------------


def layout_form(data=None):
    form = EveryFieldForm(data=data)
    form.helper = FormHelper()
    form.helper.form_id = "plan-form"
    form.helper.layout = Layout(
        Fieldset("About you", "full_name", "email", "start_date"),
        Div("setting", "skills", css_class="ladder-choices", css_id="choices"),
        HTML("<p class='nhsuk-body'>Hello {{ who }}</p>"),
        Submit("save", "Save and continue"),
        Submit("draft", "Save as draft", css_class="nhsuk-button--secondary"),
    )
    return form


def test_layout_renders_fieldsets_divs_html_and_buttons():
    doc = parse(render("{% crispy form %}", form=layout_form(), who="Ann"))
    form_tag = doc.find("form", id="plan-form")
    legend = form_tag.find("legend", cls="nhsuk-fieldset__legend--m")
    fieldset = legend.parent
    assert (fieldset.tag, fieldset.classes) == ("fieldset", ["nhsuk-fieldset"])
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--m"]
    assert legend.text == "About you"
    assert fieldset.find("input", id="id_full_name").classes == ["nhsuk-input"]
    assert fieldset.find("div", cls="nhsuk-date-input")  # the date's own fieldset nests inside
    assert doc.by_id("choices").classes == ["ladder-choices"]
    assert doc.by_id("choices").find("div", cls="nhsuk-radios")
    assert doc.find("p", cls="nhsuk-body").text == "Hello Ann"
    buttons = form_tag.find_all("button")
    assert [(b.classes, b.attrs["type"], b.attrs["data-module"], b.text) for b in buttons] == [
        (["nhsuk-button"], "submit", "nhsuk-button", "Save and continue"),
        (["nhsuk-button", "nhsuk-button--secondary"], "submit", "nhsuk-button", "Save as draft"),
    ]
    assert buttons[0].attrs["name"] == "save"


def test_helper_inputs_render_as_a_button_group():
    form = EveryFieldForm()
    form.helper = FormHelper()
    form.helper.add_input(Submit("save", "Save"))
    doc = parse(render("{% crispy form %}", form=form))
    group = doc.find("div", cls="nhsuk-button-group")
    assert group.find("button").classes == ["nhsuk-button"]
    assert group.find("button").attrs["type"] == "submit"


@pytest.mark.parametrize("data", [None, INVALID])
@pytest.mark.parametrize("source", ["{{ form|crispy }}", "{% crispy form %}"])
def test_output_is_well_formed_with_no_inline_script_or_style(source, data):
    form = layout_form(data) if "crispy form" in source else EveryFieldForm(data)
    html = render(source, form=form)
    doc = parse(html)  # balanced tags, unique ids
    assert doc.find_all("script") == []
    assert doc.find_all("style") == []
    for node in doc.iter():
        assert "style" not in node.attrs
        assert not [name for name in node.attrs if name.startswith("on")]
    # Every label points at something on the page, every aria-describedby id exists.
    ids = {n.attrs["id"] for n in doc.iter() if n.attrs.get("id")}
    assert {n.attrs["for"] for n in doc.find_all("label")} <= ids
    described = {i for n in doc.iter() for i in (n.attrs.get("aria-describedby") or "").split()}
    assert described <= ids


HOSTILE = '"><script>alert(1)</script>'


def test_hostile_values_render_as_text():
    class Form(forms.Form):
        name = forms.CharField(max_length=5)
        notes = forms.CharField(widget=forms.Textarea)
        band = forms.ChoiceField(choices=[("1", HOSTILE)], widget=forms.RadioSelect)
        grade = forms.ChoiceField(choices=[("1", "One")])
        when = DateField()

    data = {
        "name": HOSTILE,
        "notes": "</textarea>" + HOSTILE,
        "band": "1",
        "grade": HOSTILE,
        "when_day": HOSTILE,
        "when_month": "1",
        "when_year": "2024",
    }
    form = Form(data=data)
    assert not form.is_valid()
    html = render("{% crispy form %}", form=form)
    doc = parse(html)
    assert doc.find_all("script") == []
    assert "<script>" not in html
    assert doc.by_id("id_name").attrs["value"] == HOSTILE
    assert doc.by_id("id_notes").text == ("</textarea>" + HOSTILE).strip()
    assert doc.find("label", for_="id_band_0").text == HOSTILE
    assert doc.by_id("id_when_day").attrs["value"] == HOSTILE
    grade_error = "Select grade from the choices given"  # the posted value is not echoed
    assert doc.by_id("id_grade-error").text == f"Error: {grade_error}"
    assert ("#id_grade", grade_error) in summary_entries(doc)


def test_hostile_label_and_help_text_are_escaped():
    class Form(forms.Form):
        name = forms.CharField(label=HOSTILE, help_text=HOSTILE, required=False)

    html = render("{{ form|crispy }}", form=Form())
    doc = parse(html)
    assert doc.find_all("script") == []
    assert doc.find("label").text == f"{HOSTILE} (optional)"
    assert doc.by_id("id_name-hint").text == HOSTILE


def test_django_default_number_messages_are_said_the_nhs_way():
    class Form(forms.Form):
        count = forms.IntegerField(label="Count", max_value=24)
        amount = forms.DecimalField(label="Amount", max_digits=3, decimal_places=1)

    form = Form(data={"count": "25", "amount": "1.25"})
    assert not form.is_valid()
    assert form.errors["count"] == ["Enter a number that is 24 or less"]
    assert form.errors["amount"] == ["Enter a number with no more than 1 decimal place"]
    assert "Ensure this value" not in str(form.errors)
    many = Form(data={"count": "1", "amount": "123"})
    assert many.errors["amount"] == ["Enter a number with no more than 2 digits before the decimal point"]


def _shown(form, name):
    from nhsuk_forms.templatetags.nhsuk_forms import _kind, nhs_messages

    return nhs_messages(form[name], _kind(form[name].field.widget))


def test_django_default_length_address_and_date_messages_name_the_field():
    class Form(forms.Form):
        name = forms.CharField(label="Name", max_length=200)
        code = forms.CharField(label="Code", min_length=1, max_length=1)
        why = forms.CharField(label="Why did you apply?", max_length=5)
        website = forms.URLField(label="Website")
        started = forms.DateField(label="Start date")
        at = forms.TimeField(label="Time")

    form = Form(data={"name": "x" * 201, "code": "xy", "why": "because", "website": "not a web address",
                      "started": "31 2 2026", "at": "noon"})
    assert not form.is_valid()
    assert _shown(form, "name") == ["Name must be 200 characters or fewer"]
    assert _shown(form, "code") == ["Code must be 1 character or fewer"]
    assert _shown(form, "why") == ["Answer “Why did you apply?” in 5 characters or fewer"]
    assert _shown(form, "website") == ["Enter a web address in the correct format, like https://www.example.com"]
    assert _shown(form, "started") == ["Start date must be a real date"]
    assert _shown(form, "at") == ["Enter a real time, like 14:30"]


def test_a_file_name_too_long_is_said_the_nhs_way_not_a_server_error():
    # A file field's max_length error carries "max" and "length", not "limit_value": formatting
    # it as a text field's once raised KeyError, a 500 for a long file name.
    from django.core.files.uploadedfile import SimpleUploadedFile

    class Form(forms.Form):
        document = forms.FileField(label="Code of practice", max_length=10)
        name = forms.CharField(label="Name", max_length=3, required=False)

    form = Form(data={"name": "long"}, files={"document": SimpleUploadedFile("a-very-long-name.pdf", b"%PDF")})
    assert not form.is_valid()
    assert _shown(form, "document") == [
        "The name of the file for “Code of practice” must be 10 characters or fewer: "
        "rename the file and choose it again"]
    assert _shown(form, "name") == ["Name must be 3 characters or fewer"]


def test_a_models_own_messages_from_a_service_are_said_the_nhs_way_too():
    from django.core import validators

    class Form(forms.Form):
        title = forms.CharField(label="Title")
        hours = forms.CharField(label="Hours")
        link = forms.CharField(label="Link")

    form = Form(data={"title": "t", "hours": "1", "link": "l"})
    assert form.is_valid()
    # What a model's full_clean() raises, in Django's words, added to the form by a service.
    for name, validator, value in (
        ("title", validators.MaxLengthValidator(10), "x" * 11),
        ("hours", validators.DecimalValidator(3, 1), Decimal("1.25")),
        ("link", validators.URLValidator(), "nope"),
    ):
        try:
            validator(value)
        except ValidationError as error:
            form.add_error(name, error)
    assert _shown(form, "title") == ["Title must be 10 characters or fewer"]
    assert _shown(form, "hours") == ["Enter a number with no more than 1 decimal place"]
    assert _shown(form, "link") == ["Enter a web address in the correct format, like https://www.example.com"]


def test_a_forms_own_message_under_a_django_code_is_left_alone():
    class Form(forms.Form):
        name = forms.CharField(label="Name", max_length=3, error_messages={"max_length": "Keep it short"})

    form = Form(data={"name": "long"})
    assert _shown(form, "name") == ["Keep it short"]


# ---------------------------------------------------------------------------------------------
# |as_nhsuk_field: crispy's |as_crispy_field markup, written in Python
# ---------------------------------------------------------------------------------------------


class _QuickFieldForm(forms.Form):
    name = forms.CharField(label="Name & <title>", help_text="Say <who>", max_length=20)
    own_id = forms.CharField(label="Own", required=False, widget=forms.TextInput(attrs={"id": "mine"}))
    pick = forms.ChoiceField(label="Pick", required=False, choices=[("", "Any"), ("a", "A & B")])
    count = forms.IntegerField(label="Count", min_value=1)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    summary = forms.CharField(label="Summary", widget=forms.Textarea, max_length=50, required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


class _Ward:
    def __init__(self, pk, name):
        self.pk, self.name = pk, name


def _assert_drawn_alike(form, name: str, reference: str, quick_filter: str) -> None:
    """The field ``name`` of ``form`` drawn by |``quick_filter`` is what the ``reference``
    template (NAME standing for the field's name) draws."""
    context = Context({"form": form})
    drawn = Template("{% load nhsuk_forms %}{{ form." + name + "|" + quick_filter + " }}").render(context)
    assert drawn == Template(reference.replace("NAME", name)).render(context), name


@pytest.mark.parametrize("form_class", [_QuickFieldForm, EveryFieldForm])
@pytest.mark.parametrize("data", [
    None, {}, {"name": "Sam", "pick": "a", "count": "2"}, {"name": "x" * 30, "pick": "z", "count": "lots"},
    INVALID, {"own_id": '"quoted" <b>', "count": "0", "summary": "s" * 60},
])
def test_as_nhsuk_field_draws_what_as_crispy_field_draws(form_class, data):
    form = form_class(data=data) if data is not None else form_class()
    if data is not None:
        form.is_valid()  # its errors drawn
    for name in form.fields:
        _assert_drawn_alike(form, name, "{% load crispy_forms_tags %}{{ form.NAME|as_crispy_field }}",
                            "as_nhsuk_field")


def test_as_nhsuk_field_draws_the_matrix_filters_as_crispy_did():
    from competencies.evidence.forms import MatrixFilterForm

    for data in (None, {"kind": "core", "ward": "2"}, {"kind": "bogus", "ward": "x"}):
        form = MatrixFilterForm(data, wards=[_Ward(1, "Oak"), _Ward(2, "Ash & <Elm>")])
        for name in ("kind", "ward"):
            _assert_drawn_alike(form, name, "{% load crispy_forms_tags %}{{ form.NAME|as_crispy_field }}",
                                "as_nhsuk_field")


# ---------------------------------------------------------------------------------------------
# |as_filter_field: templates/trainees/_filter_field.html's markup, written in Python
# ---------------------------------------------------------------------------------------------


def _filter_forms(data):
    """Every filter form drawn by trainees/_filter_field.html, bound to ``data`` (or not)."""
    from dashboards.forms import DueFilterForm
    from trainees.filters import CohortEnrolmentFilter

    cohort = CohortEnrolmentFilter(data, wards=[_Ward(1, "Oak"), _Ward(2, "Ash & <Elm>")])
    due = DueFilterForm(data, items=[])
    return [cohort.form, due]


@pytest.mark.parametrize("data", [
    None, {}, {"q": "Sam <b>", "status": "active", "ward": "2", "study": "below"},
    {"status": "bogus", "ward": "999", "study": "x", "kind": "nonsense", "cohort": "x"},
    {"ward": " 2", "q": '"quoted" & more'},
])
def test_as_filter_field_draws_what_the_filter_field_include_draws(data):
    for form in _filter_forms(data):
        if data is not None:
            form.is_valid()  # its errors drawn
        for name in form.fields:
            _assert_drawn_alike(form, name, '{% include "trainees/_filter_field.html" with field=form.NAME %}',
                                "as_filter_field")
