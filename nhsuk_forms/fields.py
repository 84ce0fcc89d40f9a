"""Form fields that pair with the NHS.UK widgets."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name

from nhsuk_forms.widgets import DATE_PARTS, DateInput, parse_date


def _lower_first(text: str) -> str:
    # "Date of birth" -> "date of birth", but leave acronyms alone: "CCT date" stays as it is.
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


class DateField(forms.Field):
    """A date entered as day, month and year, cleaned to ``datetime.date``.

    Error messages follow the NHS.UK date input guidance and name the field, so they read well
    both next to the field and in the error summary. Each ValidationError carries the parts
    at fault in ``params["error_parts"]``; the template pack highlights just those inputs and
    links the error summary to the first of them.
    """

    widget = DateInput
    default_error_messages = {
        "required": "Enter %(label_lower)s",
        "incomplete": "%(label)s must include a %(missing)s",
        "invalid": "%(label)s must be a real date",
        "year_range": "%(label)s must be between %(min_year)s and %(max_year)s",
    }

    def __init__(self, *, min_year: int = 1900, max_year: int = 2100, **kwargs):
        self.min_year = min_year
        self.max_year = max_year
        self._name_label = ""
        super().__init__(**kwargs)

    def get_bound_field(self, form, field_name):
        # Messages say "Enter date of birth", but a field without an explicit label only learns
        # its name here, when the form binds it (always before cleaning).
        self._name_label = pretty_name(field_name)
        return super().get_bound_field(form, field_name)

    def _error(self, code: str, parts=DATE_PARTS, **params) -> ValidationError:
        label = str(self.label or self._name_label or "Date")
        params = {
            "label": label[:1].upper() + label[1:],
            "label_lower": _lower_first(label),
            "min_year": self.min_year,
            "max_year": self.max_year,
            "error_parts": tuple(parts),
            **params,
        }
        return ValidationError(self.error_messages[code], code=code, params=params)

    def to_python(self, value) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, (str, datetime.date)):  # initial data, or an ISO string posted
            date = parse_date(value)
            if date is None:
                raise self._error("invalid")
            return date

        day, month, year = ((part or "").strip() for part in value)
        entered = {"day": day, "month": month, "year": year}
        if not any(entered.values()):
            return None
        missing = [part for part in DATE_PARTS if not entered[part]]
        if missing:
            raise self._error("incomplete", missing, missing=" and ".join(missing))
        not_numbers = [part for part in DATE_PARTS if not entered[part].isdigit()]
        if not_numbers:
            raise self._error("invalid", not_numbers)
        day, month, year = int(day), int(month), int(year)
        if not self.min_year <= year <= self.max_year:
            raise self._error("year_range", ["year"])
        if not 1 <= month <= 12:
            raise self._error("invalid", ["month"])
        try:
            return datetime.date(year, month, day)
        except ValueError:  # 31 2 2024 and friends: the month is fine, so the day is wrong
            raise self._error("invalid", ["day"]) from None

    def validate(self, value):
        # Field.validate's "required" error has no params; ours names the field.
        if value is None and self.required:
            raise self._error("required")
        if value is not None and not self.min_year <= value.year <= self.max_year:
            raise self._error("year_range", ["year"])

    def has_changed(self, initial, data):
        # Compare dates, not an initial date with the posted [day, month, year] strings.
        if self.disabled:
            return False
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True
