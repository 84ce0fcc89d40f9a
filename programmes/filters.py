"""Filters for the programme list: by status, and a search on the title. (The shared filter
pieces are in core.filters; this one stays here because it is bound to Programme.)"""

from __future__ import annotations

import django_filters

from .models import Programme


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Search by title"
    )
    status = django_filters.ChoiceFilter(
        choices=Programme.Status.choices, empty_label="Any status", label="Status"
    )

    class Meta:
        model = Programme
        fields = ["q", "status"]
