"""Widgets for NHS.UK frontend components."""

from __future__ import annotations

import datetime

from django import forms

# Order matters: NHS.UK (like GOV.UK) asks for day, then month, then year.
DATE_PARTS = ("day", "month", "year")
_DATE_PART_WIDTHS = {"day": 2, "month": 2, "year": 4}


def parse_date(value) -> datetime.date | None:
    """A date from a date, datetime or ISO "YYYY-MM-DD" string; None for anything else."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


class DateInput(forms.MultiWidget):
    """The NHS.UK date input: three text boxes named <name>_day, <name>_month, <name>_year.

    Text boxes with inputmode="numeric" rather than type="number" or a date picker, as the
    NHS.UK design system asks. The crispy "nhsuk" pack draws the fieldset, legend, hint, error
    message and part labels around them (templates/nhsuk/fields/date.html); rendered bare
    ({{ form.field }}) you get the three styled inputs only.
    """

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": "nhsuk-input nhsuk-date-input__input "
                    f"nhsuk-input--width-{_DATE_PART_WIDTHS[part]}",
                    "inputmode": "numeric",
                }
            )
            for part in DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        # Django numbers the parts' ids (id_dob_0); name them like the inputs (id_dob_day), so
        # labels and error summary links say what they point at.
        context = super().get_context(name, value, attrs)
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            if subwidget["attrs"].get("id"):
                subwidget["attrs"]["id"] = f"{context['widget']['attrs']['id']}_{part}"
        return context

    def decompress(self, value):
        # Initial data: a date (or an ISO string, e.g. from a JSON field or query string).
        date = parse_date(value)
        if date is None:
            return [None, None, None]
        return [str(date.day), str(date.month), str(date.year)]

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        # Also accept a single ISO value posted under the plain field name (tests, API clients).
        if all(part is None for part in parts) and name in data:
            return data.get(name)
        return parts

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and name not in data
