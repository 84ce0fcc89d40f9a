"""Form pieces every app shares: putting a service's ValidationError on a form, a textarea of
one item a line, and choosing people by name."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(
    form: forms.BaseForm | forms.BaseFormSet,
    error: ValidationError,
    *,
    redirect: Mapping[str, str] | None = None,
    by_message: Mapping[str, str] | None = None,
) -> None:
    """Put a service's ValidationError on the form, each message next to the field it is about,
    otherwise at the top (the error summary). Never raises.

    The field is the error's key when the form has that field; ``redirect`` maps a service's key
    to another of the form's fields; ``by_message`` maps a message (a named constraint's) to
    the field it is about, for errors raised without a key. A formset, which has no fields,
    takes every message among its own (non-form) errors."""
    if isinstance(form, forms.BaseFormSet):
        form._non_form_errors = form.error_class(
            list(form.non_form_errors()) + list(error.messages), renderer=form.renderer
        )
        return
    redirect = redirect or {}
    by_message = by_message or {}
    if hasattr(error, "error_dict"):
        items = error.error_dict.items()
    else:
        items = [(NON_FIELD_ERRORS, error.error_list)]
    for key, errors in items:
        key = redirect.get(key, key)
        for one in ValidationError(errors).error_list:
            field = key if key in form.fields else by_message.get(next(iter(one)))
            # The error, not only its text: its code and limit let the template pack say a
            # model's own message (max_length, checked by full_clean) the NHS.UK way.
            form.add_error(field if field in form.fields else None, one)


class LinesField(forms.CharField):
    """A textarea with one item a line, cleaned to the list of the non-blank lines (stripped,
    each once, in the order typed). Optional unless ``required=True``; ``max_line_length``
    refuses a longer line with a message quoting its start."""

    widget = forms.Textarea

    def __init__(self, *, max_line_length: int | None = None, **kwargs):
        self.max_line_length = max_line_length
        kwargs.setdefault("required", False)
        given_widget = "widget" in kwargs
        super().__init__(**kwargs)
        if not given_widget:
            self.widget.attrs["rows"] = 4

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, (list, tuple)):
            lines = [str(item) for item in value]
        else:
            lines = (super().to_python(value) or "").splitlines()
        return list(dict.fromkeys(line.strip() for line in lines if line.strip()))

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        if self.max_line_length:
            long = [line for line in value if len(line) > self.max_line_length]
            if long:
                raise ValidationError(
                    "Each line must be %(limit)s characters or fewer: “%(line)s…” is longer",
                    code="line_too_long",
                    params={"limit": self.max_line_length, "line": long[0][:30]},
                )

    def has_changed(self, initial, data) -> bool:
        return self.to_python(initial or "") != self.to_python(data or "")


def person_label(user) -> str:
    """How a person is named in a choice: their full name, or their username if they have none."""
    return user.get_full_name() or user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    """Choose one person, listed by name."""

    def label_from_instance(self, obj) -> str:
        return person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """Choose several people, listed by name."""

    def label_from_instance(self, obj) -> str:
        return person_label(obj)
