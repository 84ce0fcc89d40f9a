"""The one form-error helper and the shared fields every app's forms use."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from core.forms import LinesField, add_service_errors
from nhsuk_forms.templatetags.nhsuk_forms import nhs_messages


class NoteForm(forms.Form):
    title = forms.CharField()
    items = LinesField(max_line_length=10)


def _bound() -> NoteForm:
    form = NoteForm({"title": "x", "items": ""})
    assert form.is_valid()
    return form


def test_a_message_about_a_field_goes_next_to_it_and_the_rest_to_the_top():
    form = _bound()
    add_service_errors(form, ValidationError({"title": ["Too plain"], "owner": ["Nobody owns it"]}))
    assert form.errors["title"] == ["Too plain"]
    assert form.non_field_errors() == ["Nobody owns it"]


def test_an_error_without_a_field_goes_to_the_top():
    form = _bound()
    add_service_errors(form, ValidationError(["First", "Second"]))
    assert form.non_field_errors() == ["First", "Second"]


def test_redirect_puts_a_services_key_on_another_field():
    form = _bound()
    add_service_errors(form, ValidationError({"lines": ["Add a line"]}), redirect={"lines": "items"})
    assert form.errors["items"] == ["Add a line"]


def test_a_known_constraint_message_goes_to_its_field():
    form = _bound()
    add_service_errors(
        form, ValidationError("Titles must be unique"), by_message={"Titles must be unique": "title"}
    )
    assert form.errors["title"] == ["Titles must be unique"] and not form.non_field_errors()


def test_a_models_own_message_keeps_its_code_so_the_page_says_it_the_nhs_way():
    # As a service's full_clean() raises it: Django's words, which the template pack rewords
    # by their code and limit. Added as text, "Ensure this value has at most 5 characters
    # (it has 16)." reached the page (an invitation's 262-character address).
    form = _bound()
    try:
        MaxLengthValidator(5)("much too long it")
    except ValidationError as error:
        add_service_errors(form, ValidationError({"title": [error]}))
    assert nhs_messages(form["title"], "text") == ["Title must be 5 characters or fewer"]


def test_a_formset_takes_the_messages_among_its_own_errors():
    formset = forms.formset_factory(NoteForm)(
        {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}
    )
    assert formset.is_valid()
    add_service_errors(formset, ValidationError({"title": ["Clashes with another row"]}))
    assert list(formset.non_form_errors()) == ["Clashes with another row"]


def test_lines_are_stripped_kept_once_and_in_order():
    form = NoteForm({"title": "x", "items": " b \n\na\nb\n"})
    assert form.is_valid()
    assert form.cleaned_data["items"] == ["b", "a"]


def test_a_line_over_the_limit_is_refused_with_its_start_quoted():
    form = NoteForm({"title": "x", "items": "short\nmuch too long a line"})
    assert not form.is_valid()
    assert "Each line must be 10 characters or fewer" in form.errors["items"][0]
    assert "much too long" in form.errors["items"][0]


def test_a_required_lines_field_refuses_only_blank_lines():
    field = LinesField(required=True, error_messages={"required": "Enter at least one"})
    try:
        field.clean(" \n \n")
    except ValidationError as error:
        assert error.messages == ["Enter at least one"]
    else:
        raise AssertionError("blank lines were accepted")
