"""Pieces every list filter (django-filter) shares: NHS.UK classes on the controls, and the
name search that matches every word typed. The filters themselves stay with their models."""

from __future__ import annotations

from django.db.models import Q
from django.forms.models import ModelChoiceField, ModelChoiceIterator

from core.form_renderer import QUICK_WIDGETS


def dress_filter_form(form) -> None:
    """NHS.UK classes for the filter controls (drawn by templates/trainees/_filter_field.html:
    a filter's questions are all optional, so they are not marked "(optional)"), written by
    core.form_renderer: on every visit of a list page, the same markup for less."""
    form.renderer = QUICK_WIDGETS
    for field in form.fields.values():
        kind = "nhsuk-select" if hasattr(field.widget, "choices") else "nhsuk-input"
        field.widget.attrs["class"] = kind
        if isinstance(field, ModelChoiceField):
            field.iterator = _ReadOnce
            field.widget.choices = field.choices  # the widget keeps the iterator it was given


class _ReadOnce(ModelChoiceIterator):
    """A choice field's options from its queryset read as a list, once: Django's own reads
    them through QuerySet.iterator(), which on PostgreSQL is a server-side cursor (declared,
    fetched and closed: three statements to the database for a handful of wards)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


def name_matches(prefix: str, value: str) -> Q:
    """Every word typed must match the first or the last name ("sam tr" finds Sam Trainee)."""
    condition = Q()
    for word in value.split():
        condition &= Q(**{f"{prefix}first_name__icontains": word}) | Q(
            **{f"{prefix}last_name__icontains": word}
        )
    return condition
