"""Filters for the cohort page and the trainee list (django-filter). Their ward choices are
the wards of the rows the person may already see, so a filter never reveals anything."""

from __future__ import annotations

from collections.abc import Iterable

import django_filters
from django.db.models import Q, QuerySet
from django.forms import ModelChoiceField
from django.utils import timezone
from django_filters.fields import ChoiceField

from core.filters import dress_filter_form, name_matches
from programmes.models import ClinicalArea

from .models import AgendaForChangeBand, Enrolment, Trainee


class _WardChoiceField(ChoiceField):
    """A ward by its id, among the wards given as choices (a list, or a queryset read when
    first needed) rather than a ModelChoiceField's queryset: the cohort page reads its wards
    with a statement compiled once (selectors.wards_on_cohort), which gives a list. Read and
    refused as a ModelChoiceField would ("09" and " 9" are ward 9, as int() reads them; its
    message), so the page answers as it did; cleaned to the id as a number."""

    default_error_messages = {"invalid_choice": ModelChoiceField.default_error_messages["invalid_choice"]}

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return str(int(value))
        except ValueError:
            return value

    def clean(self, value):
        value = super().clean(value)
        return int(value) if value not in self.empty_values else value


class _WardFilter(django_filters.ChoiceFilter):
    field_class = _WardChoiceField


class CohortEnrolmentFilter(django_filters.FilterSet):
    """The cohort page's filter (and the API's enrolment list's). Its filters narrow whatever
    queryset of enrolments they are given (narrowed), with the values of the form or with
    core.prepared Params standing in for them (trainees.selectors.cohort_page), so the cohort
    page's statement is built by these same filters."""

    q = django_filters.CharFilter(label="Name", method="search")
    status = django_filters.ChoiceFilter(
        label="Status", choices=Enrolment.Status.choices, empty_label="Any status"
    )
    ward = _WardFilter(label="Ward", field_name="trainee__clinical_area", empty_label="Any ward")
    study = django_filters.ChoiceFilter(
        label="Study time", choices=[("below", "Below plan")], empty_label="Any study time",
        method="below_plan",
    )

    class Meta:
        model = Enrolment
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, wards: Iterable[ClinicalArea], today=None, **kwargs):
        """``today`` for the below-plan filter: a date (by default timezone.localdate()) or a
        core.prepared Param."""
        super().__init__(data, queryset, **kwargs)
        self.today = today
        # Read when first drawn or checked (a queryset once: it keeps its rows).
        self.form.fields["ward"].choices = lambda: [(area.pk, area.name) for area in wards]
        dress_filter_form(self.form)

    def filter_queryset(self, queryset):
        return self.narrowed(queryset, self.form.cleaned_data)

    def narrowed(self, queryset, values: dict):
        """``queryset`` narrowed by the filters named in ``values`` (as django-filter does with
        the form's cleaned_data): each value a valid one, or a core.prepared Param."""
        for name, value in values.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def search(self, queryset, name, value):
        return queryset.filter(name_matches("trainee__", value)) if value.strip() else queryset

    def below_plan(self, queryset, name, value):
        """Active trainees below STUDY_TIME_WARNING of their planned hours (on a queryset
        annotated by selectors.with_progress_figures), decided by the database. ``value`` is
        "below", the only choice (or a Param standing in for it)."""
        from . import selectors

        today = timezone.localdate() if self.today is None else self.today
        return selectors.with_planned_hours(queryset, today).filter(selectors.below_plan_q())


class TraineeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Name or employee number", method="search"
    )
    ward = django_filters.ModelChoiceFilter(
        label="Ward", field_name="clinical_area", queryset=ClinicalArea.objects.none(),
        empty_label="Any ward",
    )
    band = django_filters.ChoiceFilter(
        label="Band", choices=AgendaForChangeBand.choices, empty_label="Any band"
    )

    class Meta:
        model = Trainee
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, wards: QuerySet[ClinicalArea], **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["ward"].queryset = wards
        self.form.fields["ward"].queryset = wards
        dress_filter_form(self.form)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name_matches("", value) | Q(employee_number__iexact=value))
