"""Django's own English messages, said the NHS.UK way about a named field.

The template pack's ``nhs_messages`` passes each error of a bound field here. Only a message
worded as Django words it is changed: one a form or service wrote itself, even under the same
code, is left as it is. Errors raised by a model's ``full_clean()`` in a service (its validators
do not know the form's wording) arrive here in Django's words too.
"""

from __future__ import annotations

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from .apps import DECIMAL_MESSAGES, INVALID_DATES_AND_TIMES, WEB_ADDRESS

_LENGTHS = {
    "max_length": (validators.MaxLengthValidator.message, "fewer"),
    "min_length": (validators.MinLengthValidator.message, "more"),
}
INVALID_PK = forms.ModelMultipleChoiceField.default_error_messages["invalid_pk_value"]
# A file field's max_length is its file name's, said with other params ("max", "length").
FILE_NAME_TOO_LONG = forms.FileField.default_error_messages["max_length"]


def said_the_nhs_way(error: ValidationError, *, label: str, chosen: bool) -> str | None:
    """The error about the field ``label`` in NHS.UK words, or None when it is not one of the
    Django messages this knows. ``chosen``: the field is picked from choices rather than typed."""
    text = next(iter(error))
    code, params = error.code, error.params or {}
    question = label.endswith("?")
    name = label[:1].upper() + label[1:]
    if code == "max_length" and "max" in params and text == str(FILE_NAME_TOO_LONG % params):
        limit = params["max"]
        return (f"The name of the file for “{label}” must be {limit} "
                f"{ngettext('character', 'characters', limit)} or fewer: rename the file and choose it again")
    if code in _LENGTHS and "limit_value" in params and text == str(_LENGTHS[code][0] % params):
        limit = params["limit_value"]
        size = f"{limit} {ngettext('character', 'characters', limit)} or {_LENGTHS[code][1]}"
        return f"Answer “{label}” in {size}" if question else f"{name} must be {size}"
    if code in DECIMAL_MESSAGES and text == str(validators.DecimalValidator.messages.get(code, "") % params):
        return str(DECIMAL_MESSAGES[code] % params)
    if text == str(validators.URLValidator.message):  # a model's URLField, checked in a service
        return WEB_ADDRESS
    if text == INVALID_DATES_AND_TIMES["DateField"] and not chosen:
        return f"Answer “{label}” with a real date" if question else f"{name} must be a real date"
    return None
