"""Filters for the cohort page and the trainee list (django-filter). Their ward choices are
the wards of the rows the person may already see, so a filter never reveals anything."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from core.filters import dress_filter_form, name_matches
from programmes.models import ClinicalArea

from .models import AgendaForChangeBand, Enrolment, Trainee


class CohortEnrolmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name", method="search")
    status = django_filters.ChoiceFilter(
        label="Status", choices=Enrolment.Status.choices, empty_label="Any status"
    )
    ward = django_filters.ModelChoiceFilter(
        label="Ward", field_name="trainee__clinical_area", queryset=ClinicalArea.objects.none(),
        empty_label="Any ward",
    )
    study = django_filters.ChoiceFilter(
        label="Study time", choices=[("below", "Below plan")], empty_label="Any study time",
        method="below_plan",
    )

    class Meta:
        model = Enrolment
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, wards: QuerySet[ClinicalArea], **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["ward"].queryset = wards
        self.form.fields["ward"].queryset = wards
        dress_filter_form(self.form)

    def search(self, queryset, name, value):
        return queryset.filter(name_matches("trainee__", value)) if value.strip() else queryset

    def below_plan(self, queryset, name, value):
        """Active trainees below STUDY_TIME_WARNING of their planned hours (on a queryset
        annotated by selectors.with_progress_figures), decided by the database."""
        from django.utils import timezone

        from . import selectors

        if value != "below":
            return queryset
        return selectors.with_planned_hours(queryset, timezone.localdate()).filter(selectors.below_plan_q())


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
