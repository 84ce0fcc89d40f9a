"""core.form_renderer: the text input and the select written in Python exactly as Django's
templates write them, whatever their values, attributes, errors and options."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.form_renderer import QUICK_WIDGETS


class _Form(forms.Form):
    q = forms.CharField(required=False)
    n = forms.IntegerField(
        required=False, widget=forms.TextInput(attrs={"class": "nhsuk-input", "inputmode": "numeric"})
    )
    pick = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), ("a", "A & <b>"), (3, 'Say "hi"'), ("s", mark_safe("<em>safe</em>"))],
        widget=forms.Select(attrs={"class": "nhsuk-select", "disabled": False, "data-x": True}),
    )
    grouped = forms.ChoiceField(
        required=False, choices=[("", "None"), ("Wards", [("1", "Oak"), ("2", "Ash's")]), ("x", "Loose")]
    )
    number = forms.TypedChoiceField(required=False, coerce=int, choices=[(1, 1), (22, 22)])


@pytest.mark.parametrize("data", [
    None,
    {},
    {"q": "sam", "n": "12", "pick": "a", "grouped": "2", "number": "22"},
    {"q": '<script>"x"&\'y\'', "n": "x", "pick": "3", "grouped": "nope", "number": "5"},
    {"q": "", "pick": "s", "grouped": "1"},
])
def test_the_widgets_are_written_as_django_writes_them(data, monkeypatch):
    django_form, quick_form = _Form(data), _Form(data)
    quick_form.renderer = QUICK_WIDGETS
    if data is not None:
        django_form.is_valid(), quick_form.is_valid()  # errors add aria-invalid to the controls
    drawn = {name: str(django_form[name]) for name in _Form.base_fields}
    templates = []
    monkeypatch.setattr(DjangoTemplates, "render", lambda self, name, *args, **kwargs: templates.append(name))
    for name in _Form.base_fields:
        assert str(quick_form[name]) == drawn[name], name
    assert templates == []  # all written in Python


def test_other_widgets_are_drawn_by_their_templates():
    class Other(forms.Form):
        when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        why = forms.CharField(widget=forms.Textarea)
        which = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)

    plain, quick = Other({"why": "<b>"}), Other({"why": "<b>"})
    quick.renderer = QUICK_WIDGETS
    for name in Other.base_fields:
        assert str(quick[name]) == str(plain[name])
