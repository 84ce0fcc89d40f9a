"""Inserting many new rows of one model at once, for the bulk writes (the enrolment import).

``bulk_create`` prepares every value of every row through the compiler: for the five tables of
a 1,000-row enrolment import (51,000 values) that was a third of the CPU of writing it. Here
each column is read and prepared at once, and a column whose values are all of a type the
database driver takes as it is (text, whole numbers, dates, ...) is sent untouched: preparing
those values returns them unchanged. insert_columns, the writer under bulk_insert, takes such
columns as they are: the audit entries of core.audit go through it too. It sends them by COPY
(core.copy) when every value can be written as COPY's text, else by INSERT ... FROM UNNEST.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from operator import attrgetter

from django.db import connections, models, router, transaction
from django.db.models import Model
from django.db.models.fields import Field
from django.utils import timezone

from . import copy
from .instances import build_instances

# Field classes (exactly these, not subclasses, which may prepare values their own way) whose
# get_db_prep_save on PostgreSQL returns a value of these exact types as it is.
_AS_IS: dict[type[Field], tuple[type, ...]] = {
    models.CharField: (str,), models.TextField: (str,), models.EmailField: (str,),
    models.SlugField: (str,), models.URLField: (str,),
    models.IntegerField: (int,), models.SmallIntegerField: (int,), models.BigIntegerField: (int,),
    models.PositiveIntegerField: (int,), models.PositiveSmallIntegerField: (int,),
    models.PositiveBigIntegerField: (int,), models.AutoField: (int,), models.BigAutoField: (int,),
    models.BooleanField: (bool,),
    models.DateField: (date,),  # exactly a date: a datetime is prepared (to its date)
}
# pre_save methods that read the attribute as it is unless the field is auto_now(_add).
_READ_AS_ATTRIBUTE = (Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save)


class _NotPlain(Exception):
    """A value bulk_insert does not prepare itself (an expression): bulk_create does."""


def bulk_insert(objs: list[Model], *, batch_size: int = 1000) -> list[Model]:
    """``type(objs[0]).objects.bulk_create(objs, batch_size=batch_size)`` for new rows of one
    model, with less CPU on PostgreSQL: the same checks of related objects (an unsaved one is
    refused), the same values (``pre_save`` for ``auto_now`` fields, each field's preparing),
    one ``INSERT ... SELECT FROM UNNEST`` a batch as bulk_create sends there, and the new
    primary keys set on the objects. Sends no signals, as bulk_create does not. Anything
    else (another database, rows with a primary key, a parent model, generic relations, an
    expression as a value) goes through bulk_create itself."""
    if not objs:
        return objs
    model = type(objs[0])
    opts = model._meta
    connection = connections[router.db_for_write(model)]
    if (
        connection.vendor != "postgresql"
        or opts.parents or opts.private_fields
        or not isinstance(opts.pk, models.AutoField)
        or list(opts.db_returning_fields) != [opts.pk]
        or any(type(obj) is not model or obj.pk is not None for obj in objs)
    ):
        return model._default_manager.bulk_create(objs, batch_size=batch_size)
    fields = [f for f in opts.concrete_fields if not f.generated and f is not opts.pk]
    if any(not _unnestable(field, connection) for field in fields):
        return model._default_manager.bulk_create(objs, batch_size=batch_size)
    for field in fields:
        if field.is_relation:
            _take_related_pks(field, objs)
    try:
        columns = [_column(field, objs, connection) for field in fields]
    except _NotPlain:
        return model._default_manager.bulk_create(objs, batch_size=batch_size)
    pks = insert_columns(model, fields, columns, returning=True, batch_size=batch_size, using=connection.alias)
    for obj, pk in zip(objs, pks, strict=True):
        obj.pk = pk
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    return objs


def insert_values(
    model: type[Model], columns: dict[str, list], *, constants: dict[str, object] | None = None,
    batch_size: int = 1000,
) -> None:
    """New rows of ``model`` given a column at a time, with no instance a row: for rows nobody
    reads back (an import's status transitions; an instance and its foreign keys' checks cost
    more than writing the row). ``columns``: field attname (``enrolment_id``) -> each row's
    value; ``constants``: attname -> the value every row shares. Each value is prepared as the
    field saves it; a field left out takes the moment of the call if ``auto_now(_add)``, else
    its default (a callable default is refused: each row would need its own call). On
    PostgreSQL by insert_columns (so by COPY), elsewhere bulk_create of instances. Returns
    nothing: no keys are read back."""
    opts = model._meta
    constants = dict(constants or {})
    now = timezone.now()
    for field in opts.concrete_fields:
        if field is opts.pk or field.attname in columns or field.attname in constants or field.generated:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constants[field.attname] = now
        elif field.has_default() and callable(field.default):
            raise ValueError(f"insert_values needs {field.attname}'s values (its default is a function)")
        else:
            constants[field.attname] = field.get_default()
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(build_instances(model, columns, shared=constants), batch_size=batch_size)
        return
    fields = [opts.get_field(name) for name in columns]
    prepared = [
        values if _as_is(field, values) else [field.get_db_prep_save(value, connection) for value in values]
        for field, values in zip(fields, columns.values(), strict=True)
    ]
    shared = {opts.get_field(name): value for name, value in constants.items()}
    insert_columns(model, fields, prepared, constants=shared, batch_size=batch_size, using=connection.alias)


def insert_columns(
    model: type[Model], fields: list[Field], columns: list[list], *, constants: dict[Field, object] | None = None,
    returning: bool = False, batch_size: int = 1000, using: str | None = None,
) -> list | None:
    """Write new rows of ``model`` on PostgreSQL, a column at a time: ``columns[i]`` holds
    ``fields[i]``'s value of every row, prepared as the field's ``get_db_prep_save`` prepares it
    (but a JSONField's, which is the value itself: it is dumped here), and each of
    ``constants`` (field: value, prepared here) is the same in every row. One COPY for all
    the rows (core.copy; with ``returning``, after a query taking their keys from the table's
    sequence) when core.copy can write every value; else one ``INSERT ... SELECT FROM UNNEST``
    a batch, as bulk_create sends there: a column a parameter, an array literal where
    array_param can write one, the constants sent once. Returns the new primary keys in the
    rows' order when ``returning``. The one writer of bulk_insert and of the audit entries
    (core.audit)."""
    connection = connections[using or router.db_for_write(model)]
    constants = constants or {}
    opts, quote = model._meta, connection.ops.quote_name
    if columns and columns[0]:
        copied = _copy_columns(model, fields, columns, constants, returning, batch_size, connection)
        if copied is not _NOT_COPIED:
            return copied
    sources = [_array_source(field, connection) for field in fields]
    sql = "INSERT INTO {} ({}) SELECT *{} FROM UNNEST({}){}".format(  # noqa: S608  # nosec B608 (names)
        quote(opts.db_table),
        ", ".join(quote(field.column) for field in [*fields, *constants]),
        "".join(", %s" for _ in constants),
        ", ".join(source for source, _ in sources),
        f" RETURNING {quote(opts.pk.column)}" if returning else "",
    )
    fixed = [field.get_db_prep_save(value, connection) for field, value in constants.items()]
    pks = [] if returning else None
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(columns[0]) if columns else 0, batch_size):
            params = [param(column[start:start + batch_size])
                      for (_, param), column in zip(sources, columns, strict=True)]
            cursor.execute(sql, fixed + params)  # the constants' placeholders come first
            if returning:
                pks += [pk for (pk,) in cursor.fetchall()]
    return pks


_NOT_COPIED = object()


def _copy_columns(model, fields, columns, constants, returning, batch_size, connection):
    """insert_columns by COPY (core.copy), when every column can be written as its text: the
    rows, the constants repeated in each, and (``returning``) the new keys taken first from
    the table's sequence, returned in the rows' order. Else _NOT_COPIED, nothing written."""
    texts = [_copy_column(field, column) for field, column in zip(fields, columns, strict=True)]
    count = len(columns[0])
    for field, value in constants.items():
        [text] = _copy_column(field, [value]) or [None]
        texts.append(None if text is None else [text] * count)
    if None in texts:
        return _NOT_COPIED
    opts = model._meta
    names = [field.column for field in [*fields, *constants]]
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        if not copy.can_copy(cursor):
            return _NOT_COPIED
        pks = None
        if returning:
            pks = copy.new_keys(cursor, opts.db_table, opts.pk.column, count)
            if pks is None:
                return _NOT_COPIED
            names.insert(0, opts.pk.column)
            texts.insert(0, list(map(str, pks)))
        copy.copy_rows(cursor, opts.db_table, names, texts, chunk=batch_size)
    return pks


def _copy_column(field: Field, values: list) -> list[str] | None:
    if type(field) is models.JSONField:
        return copy.copy_texts(values, json_encoder=json.JSONEncoder() if field.encoder is None else field.encoder())
    return copy.copy_texts(values)


def _array_source(field: Field, connection) -> tuple[str, Callable[[list], object]]:
    """How a column of the field's values goes to UNNEST: the SQL of the array and the function
    that makes its parameter. A JSONField's column as one JSON document (a single dumps of the
    whole column, split into rows by the server; a value None is SQL NULL, as the field saves
    it): dumping each value and quoting it inside an array literal cost twice the CPU."""
    if type(field) is models.JSONField:
        encoder = field.encoder
        return (
            "ARRAY(SELECT NULLIF(value, 'null') FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY"
            " AS a(value, n) ORDER BY n)",
            lambda values: json.dumps(values, cls=encoder),
        )
    return f"(%s)::{_db_type(field, connection)}[]", array_param


def array_param(values: list) -> str | list:
    """``values`` as the parameter of a ``%s::type[]`` placeholder: an array literal ('{...}':
    each value as its text, quoted, None as NULL) when every value is text, a whole number, a
    boolean, a date or an aware date and time; else the list as it is. The driver sends a
    list as ARRAY[...], one constant per value, each parsed and cast by the server: a column
    of 1,000 values cost 1.5-2 ms that way, 0.2-0.5 ms as a literal, and less CPU here."""
    if not values:
        return "{}"
    kinds = set(map(type, values))
    if len(kinds) == 1 and (str in kinds or int in kinds):  # most columns: join them at once
        if int in kinds:
            return "{" + ",".join(map(str, values)) + "}"
        joined = '","'.join(values)
        # Escaped only if a value has a quote or a backslash: the separators hold two quotes
        # each, so more than theirs means a value has one (testing for any quote in the joined
        # text, as before, escaped every column of more than one row).
        if "\\" in joined or joined.count('"') != 2 * (len(values) - 1):
            joined = '","'.join(_escaped(value) for value in values)
        return '{"' + joined + '"}'
    encoders = [_LITERAL.get(kind) or (_quoted if issubclass(kind, str) else None) for kind in kinds]
    if None in encoders or any(type(value) is datetime and value.tzinfo is None for value in values):
        return values
    # Each distinct value written once (a column of times is often one moment, see _column),
    # told apart by its type too (True == 1).
    keys = list(zip(map(type, values), values, strict=True))
    texts = {key: _LITERAL.get(key[0], _quoted)(key[1]) for key in set(keys)}
    return "{" + ",".join(map(texts.__getitem__, keys)) + "}"


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _quoted(text: str) -> str:
    return '"' + (_escaped(text) if '"' in text or "\\" in text else text) + '"'


# How each type of value is written inside an array literal (text of the element's type; a
# subclass of str, such as a choice, as text).
_LITERAL: dict[type, Callable[[object], str]] = {
    str: _quoted,
    int: str,
    bool: lambda value: "t" if value else "f",
    date: lambda value: value.isoformat(),
    datetime: lambda value: _quoted(value.isoformat()),
    type(None): lambda value: "NULL",
}


def _unnestable(field: Field, connection) -> bool:
    """Whether bulk_create would send the field's values as an array to UNNEST (its
    placeholder does not depend on the value; a type of the database's own)."""
    kind = (field.target_field if field.is_relation else field).get_internal_type()
    return not hasattr(field, "get_placeholder") and kind in connection.data_types


def _db_type(field: Field, connection) -> str:
    """The column's type without its length, as bulk_create casts it (varchar[], not
    varchar(50)[]: no truncating)."""
    return field.db_type(connection).split("(")[0]


def _take_related_pks(field: Field, objs: list[Model]) -> None:
    """What Model._prepare_related_fields_for_save does for one foreign key of each object: an
    unsaved related object is refused; one saved since it was assigned gives its key."""
    attname, target, cache_name = field.attname, field.target_field.attname, field.cache_name
    for obj in objs:
        # field.is_cached and get_cached_value read this dict: once here, not twice a row
        related = obj._state.fields_cache.get(cache_name)
        if not related:
            continue
        if not related._is_pk_set():
            if not field.remote_field.multiple:
                field.remote_field.delete_cached_value(related)
            raise ValueError(
                f"bulk_create() prohibited to prevent data loss due to unsaved related object '{field.name}'.")
        if getattr(obj, attname) in field.empty_values:
            setattr(obj, field.name, related)
        if getattr(related, target) != getattr(obj, attname):
            field.delete_cached_value(obj)


def _column(field: Field, objs: list[Model], connection) -> list:
    """The field's value of every object, prepared for the database as bulk_create prepares it."""
    if type(field) in (models.DateTimeField, models.DateField) and (field.auto_now or field.auto_now_add):
        # The rows of one insert share the moment they were made (bulk_create reads the clock
        # for each row, microseconds apart: 10,000 reads for an import's 5,000 rows).
        values = [field.pre_save(objs[0], True)] * len(objs)
        for obj in objs[1:]:
            setattr(obj, field.attname, values[0])
    elif type(field).pre_save not in _READ_AS_ATTRIBUTE:
        values = [field.pre_save(obj, True) for obj in objs]
    else:
        values = list(map(attrgetter(field.attname), objs))
    if _as_is(field, values):
        return values
    if any(hasattr(value, "resolve_expression") for value in values):
        raise _NotPlain(field.name)
    if type(field) is models.JSONField:  # as they are: insert_columns dumps them (its None is NULL)
        return values
    prepare: Callable = field.get_db_prep_save
    return [prepare(value, connection) for value in values]


def _as_is(field: Field, values: list) -> bool:
    """Whether preparing each value would return it unchanged (see _AS_IS). A foreign key
    prepares its value as the field it points at; a date and time as it is when aware."""
    if field.is_relation:
        if type(field) not in (models.ForeignKey, models.OneToOneField):
            return False
        field = field.target_field
    kind = type(field)
    if kind is models.DateTimeField:
        return all(value is None or (type(value) is datetime and value.tzinfo is not None) for value in values)
    types = _AS_IS.get(kind)
    return types is not None and all(value is None or type(value) in types for value in values)
