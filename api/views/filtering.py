"""The pages' django-filter FilterSets, applied to API lists: the same query parameters, and a
400 naming the parameter when a value is not acceptable."""

from __future__ import annotations

from rest_framework.exceptions import ValidationError


def apply_filters(filterset_class, request, queryset, **kwargs):
    filterset = filterset_class(request.query_params, queryset=queryset, **kwargs)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def int_param(request, name: str) -> int | None:
    """An optional integer query parameter (an id to narrow a list by); 400 if not a number."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError as exc:
        raise ValidationError({name: ["Enter a whole number."]}) from exc
    if not -(2**63) <= number < 2**63:
        raise ValidationError({name: ["Enter a smaller number."]})
    return number
