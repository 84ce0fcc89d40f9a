"""A list's rows (dicts from a values() statement) as its ModelSerializer represents its
instances, for a long list read without the ORM (trainees.selectors.enrolment_list).

DRF's Serializer.to_representation looks up each field's attribute through its source on
every row (0.05 ms a row of fifteen fields): here each field's value is the row's column of the
same source (a relation's id under its attname) and goes through the field's own
to_representation, so the JSON is the serializer's. Only fields whose representation depends
on their value alone are accepted (a serializer with any other is refused when first used)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from rest_framework import fields, relations, serializers
from rest_framework.relations import PKOnlyObject

# Fields that represent a value without the request, the instance or the context.
_BY_VALUE = (
    fields.BooleanField, fields.CharField, fields.ChoiceField, fields.DateField,
    fields.DateTimeField, fields.DecimalField, fields.FloatField, fields.IntegerField,
)


@cache
def _columns(serializer_class: type[serializers.ModelSerializer]) -> tuple[tuple[str, str, Callable, bool], ...]:
    """(name in the output, column of the row, the field's to_representation, whether the value
    is a related object's id) for each field the serializer shows, in its order. The fields are
    built once a process: those accepted keep nothing of a request."""
    model = serializer_class.Meta.model
    columns = []
    for field in serializer_class()._readable_fields:
        if len(field.source_attrs) != 1:
            raise TypeError(f"{field.field_name}: its source is not a column of the row")
        source = field.source_attrs[0]
        if isinstance(field, relations.PrimaryKeyRelatedField) and field.use_pk_only_optimization():
            columns.append((field.field_name, model._meta.get_field(source).attname, field.to_representation, True))
        elif isinstance(field, _BY_VALUE):
            columns.append((field.field_name, source, field.to_representation, False))
        else:
            raise TypeError(f"{field.field_name}: a {type(field).__name__} is not represented from a row")
    return tuple(columns)


def represent_rows(serializer_class: type[serializers.ModelSerializer], rows: Iterable[dict]) -> list[dict]:
    """What ``serializer_class(instances, many=True).data`` gives for the instances of these
    rows. A None stays None, as DRF leaves it."""
    columns = _columns(serializer_class)
    represented = []
    for row in rows:
        item = {}
        for name, column, represent, related in columns:
            value = row[column]
            item[name] = None if value is None else represent(PKOnlyObject(value) if related else value)
        represented.append(item)
    return represented
