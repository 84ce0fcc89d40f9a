"""Hot reads compiled to SQL once per process, then only run again with new values (issue #15).

The ORM builds a QuerySet and compiles it to SQL on every request: 0.4-1.1 ms for a statement
PostgreSQL answers in 0.1. A home page runs the same few statements for everyone, differing
only in who asks and what day it is. ``compiled_once`` builds such a statement once, with a
``Param`` wherever one of those values goes, keeps its SQL, and from then on only runs it, each
value bound as a query parameter (never written into the SQL).

    @compiled_once
    def _pending(n: int) -> QuerySet:  # the arguments decide the statement's shape only
        return Interview.objects.filter(responsible_id=Param("user_id")).values("pk")[:n]

    rows = _pending(20).rows(user_id=membership.user_id)

The rules that keep it safe:

- The builder's arguments are what change the SQL's shape (a role whose rows are narrowed in
  another way, a LIMIT), and a statement is kept for each (a small lru_cache). They must be
  few: never an id, a date or a list from the data.
- Every value that differs from one request to the next is a Param: a value written into the
  builder any other way (a membership, ``timezone.localdate()``) would be compiled into the
  kept SQL and served to the next person. ``params_membership`` stands in for a Membership, so
  the same selectors that scope every other read scope these too.
- ``rows()`` needs a value for each Param (others given are not used, so that a caller can give
  what every shape might take), none None (``= NULL`` matches nothing where the ORM would have
  written ``IS NULL``), and returns what ``values()`` would (the same converters). Only
  ``values()`` QuerySets: no model instances, no ``count()`` or ``exists()``.
- On PostgreSQL (psycopg2) the statement is also prepared on the server, once per database
  connection (settings.PREPARED_STATEMENTS): PostgreSQL then plans it once (a generic plan:
  plan_once), where it took as long to plan each as to run it (0.1-0.9 ms a statement). The
  first call sends "PREPARE ...; EXECUTE ..." as one statement, later ones "EXECUTE ...": one
  round trip, one query counted, either way. The values are bound as the EXECUTE's parameters.
- A list (``cohort_id__in``) is ``param_list``: its length is part of the shape, rounded up
  (list_size) so that a few statements serve any length, the values padded (list_values).
- A list read a page at a time is ``paged(queryset)``: the ORM writes a slice's LIMIT and
  OFFSET into the SQL as numbers (each page its own statement), so the builder returns the
  queryset unsliced and they are Params "limit" and "offset" instead.
- A shape the ORM cannot write (a LATERAL join, an aggregate in a given order, a window's
  filter) is a ``Statement``: SQL written whole with Params among its parameters, or written
  around the ORM's SQL of QuerySets with Params (``statement``); compiled and prepared the
  same way, its values as the database adapter gives them, or, for the columns it takes
  from one of those QuerySets by name (``converted_from``), as that QuerySet's values() would.
- A page's small statements that do not depend on each other are read in one round trip
  (``read_together``, each a selector's ``Read``: its statement, values and what makes its rows
  the selector's result): on PostgreSQL one statement, each one's rows as JSON; elsewhere one by one.
"""

from __future__ import annotations

import itertools
import json
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache, lru_cache, wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.psycopg_any import is_psycopg3
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    Expression,
    F,
    Field,
    FloatField,
    ForeignKey,
    Func,
    IntegerField,
    JSONField,
    Model,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ValuesIterable
from django.db.models.signals import post_init, pre_init
from django.dispatch.dispatcher import NO_RECEIVERS

# The values a Param may take: what the database adapter binds as it is (no field converts it).
BINDABLE = (int, str, date, datetime, Decimal)


@dataclass(frozen=True)
class _Slot:
    """Where a Param's value goes among a compiled statement's parameters."""

    name: str


class Param(Expression):
    """A value bound when the statement runs: ``filter(responsible_id=Param("user_id"))``.
    ``output_field`` for where the ORM must know its type (inside a function such as Greatest)."""

    def __init__(self, name: str, output_field: Field | None = None):
        super().__init__(output_field=output_field or Field())
        self.name = name

    def __repr__(self) -> str:
        return f"Param({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self.name)]


class ParamsMembership:
    """Stands in for a programmes.models.Membership while a statement is compiled: its ids are
    Params ("user_id", "organisation_id"), its role is part of the statement's shape. Selectors
    that read only these build the same narrowing as for a real membership. Without a role,
    a selector that reads it (its narrowing differs by role) fails rather than compile one
    role's narrowing for everyone: give the builder the role as part of its shape."""

    def __init__(self, role: str | None = None):
        self._role = role
        self.user_id, self.organisation_id = Param("user_id"), Param("organisation_id")

    @property
    def role(self) -> str:
        if self._role is None:
            raise TypeError("a selector reads the role: make it part of the statement's shape")
        return self._role


def params_membership(role: str | None = None) -> ParamsMembership:
    return ParamsMembership(role)


def membership_params(membership) -> dict[str, int]:
    """The values of a ParamsMembership's Params for a real membership."""
    return {"user_id": membership.user_id, "organisation_id": membership.organisation_id}


def param_list(name: str, size: int) -> list[Param]:
    """``size`` Params (name0, name1, ...) for an ``__in`` lookup: ``size`` from list_size."""
    return [Param(f"{name}{i}") for i in range(size)]


def list_size(values: list) -> int:
    """The length of param_list to compile for these values: the next power of two, so a few
    statements serve every length (an organisation's 50 cohorts, a lecturer's 3)."""
    return 1 << max(len(values) - 1, 0).bit_length()


def list_values(name: str, values: list, size: int) -> dict:
    """The values of param_list(name, size): ``values`` padded by repeating the last, which
    changes nothing in an IN list. ``values`` must not be empty (an empty IN matches nothing:
    the caller knows that without asking)."""
    if not values or len(values) > size:
        raise ValueError(f"{len(values)} values for a list of {size}")
    padded = [*values, *[values[-1]] * (size - len(values))]
    return {f"{name}{i}": value for i, value in enumerate(padded)}


class InIdsOf(Func):
    """``filter(InIdsOf("cohort_id", ids))``: the column is one of the ids a values() subquery
    reads, read by the statement itself rather than by a query before it (param_list), for a
    list that only this statement needs. On PostgreSQL ``= ANY(ARRAY(subquery))``: the subquery
    is worked out once before the rest (an InitPlan), which is then planned as for a list of
    values, where ``IN (subquery)`` is planned as a join that may read every row of the column's
    table first (issue #15). Elsewhere (SQLite) ``IN (subquery)``."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str, ids: QuerySet):
        super().__init__(F(column), Subquery(ids))

    def as_sql(self, compiler, connection, **extra_context):
        (column, column_params), (ids, ids_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        template = "{} = ANY(ARRAY{})" if connection.vendor == "postgresql" else "{} IN {}"
        return template.format(column, ids), (*column_params, *ids_params)


@dataclass(frozen=True)
class Statement:
    """SQL that a builder of compiled_once returns instead of a values() QuerySet: ``sql`` has
    a %s for each of ``params`` (a Param, or a constant of ours), a literal % written %%; its
    rows are dicts of ``names``, each value as the database adapter returns it (no field
    converts it: text, numbers, dates). Written whole, or made by ``statement`` around the
    ORM's SQL. ``sql`` is empty when a part can match nothing (the ORM's EmptyResultSet): then
    so does the statement."""

    sql: str
    params: tuple
    names: tuple[str, ...]
    # [(position in names, (converters, expression))]: the columns converted as a part's (statement).
    converters: tuple = ()


_PLACES = re.compile(r"\{(\w+)\}|%\((\w+)\)s|%%")


def statement(sql: str, names: tuple[str, ...], *, converted_from: str | None = None, **parts: QuerySet) -> Statement:
    """A Statement from ``sql`` in which ``{part}`` is the SQL of the QuerySet ``parts[part]``
    (with its Params: compile it with Params, never with a request's values) and ``%(name)s``
    the place of Param(name)'s value; a literal % is written %%. For the rows of a shape the
    ORM cannot write, its filters (the selectors' scoping) still written by the ORM:

        statement("SELECT p.id FROM ({page}) p LIMIT %(limit)s", ("id",), page=visible.values("id"))

    ``converted_from`` names a part, a values() QuerySet: each of the statement's ``names`` that
    is one of its columns, selected as it is, is converted as its values() converts it (SQLite
    gives dates as text, booleans as numbers); the other names as the database adapter gives them.
    """
    compiled: dict[str, tuple[str, tuple]] = {}
    converters: tuple = ()
    try:
        for name, queryset in parts.items():
            compiler = queryset.query.get_compiler(queryset.db)
            compiled[name] = compiler.as_sql()
            if name == converted_from:
                converters = _converters_by_name(queryset, compiler, names)
    except EmptyResultSet:
        return Statement("", (), tuple(names))
    text, params = [], []
    position = 0
    for match in _PLACES.finditer(sql):
        text.append(sql[position:match.start()])
        position = match.end()
        part, param = match.group(1), match.group(2)
        if part:
            part_sql, part_params = compiled[part]
            text.append(part_sql)
            params.extend(part_params)
        elif param:
            text.append("%s")
            params.append(_Slot(param))
        else:
            text.append("%%")
    text.append(sql[position:])
    return Statement("".join(text), tuple(params), tuple(names), converters)


def column_names(query) -> list[str]:
    """A values() query's (``queryset.query``) column names, in the order of its SELECT."""
    return list(query.selected) if query.selected else [
        *query.extra_select, *query.values_select, *query.annotation_select
    ]


def _converters_by_name(queryset: QuerySet, compiler, names: tuple[str, ...]) -> tuple:
    """statement's converters for the ``names`` that are columns of ``queryset`` (compiled by
    ``compiler``): (position in names, its column's (converters, expression))."""
    if queryset._iterable_class is not ValuesIterable:
        raise TypeError("converted_from needs a values() QuerySet")
    fields = [column[0] for column in compiler.select[:compiler.col_count]]
    by_column = compiler.get_converters(fields)
    columns = column_names(queryset.query)
    by_name = {columns[position]: converter for position, converter in by_column.items()}
    return tuple((position, by_name[name]) for position, name in enumerate(names) if name in by_name)


_numbers, _attempts = itertools.count(1), itertools.count(1)


def _prepares(connection) -> bool:
    """Whether statements are prepared on this connection's server: PostgreSQL through
    psycopg2 (psycopg 3 binds on the server already and sends no two statements at once),
    unless settings.PREPARED_STATEMENTS is off (behind a pooler that hands a session's
    connection to others between transactions)."""
    return connection.vendor == "postgresql" and not is_psycopg3 and settings.PREPARED_STATEMENTS


def plan_once(sender, connection, **kwargs) -> None:
    """On each new PostgreSQL connection that prepares statements (connection_created): plan
    each of them once, for any values (a generic plan), as this module means to. Left to
    choose (plan_cache_mode "auto"), PostgreSQL plans each of the first five executions for
    their values, then keeps planning afresh any statement whose plan for the values looks
    cheaper than the generic one: what is expiring on the home pages was planned on every
    visit (0.5 ms), for a plan that reads the day's expiring versions in every organisation
    when there are few, where the generic plan reads the person's trainees' own (0.3 ms, and
    the same at any size). Sent on the driver's own cursor: no query of the page's (nor of a
    test's count), and in autocommit, so that no rollback undoes it."""
    if _prepares(connection):
        with connection.connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_generic_plan")


def _prepared_on(connection) -> dict[int, str]:
    """{Compiled number: the name it is prepared under} for the connection's current database
    session: a new session (the connection closed and opened again) starts with none."""
    raw = connection.connection
    session = getattr(connection, "_ladder_prepared", None)
    if session is None or session[0]() is not raw:
        session = (weakref.ref(raw), {})
        connection._ladder_prepared = session
    return session[1]


@dataclass(frozen=True)
class Paged:
    """What a builder returns for a list read a page at a time (see paged)."""

    queryset: QuerySet


def paged(queryset: QuerySet) -> Paged:
    """``queryset`` (ordered, not sliced) compiled with ``LIMIT`` Param("limit") ``OFFSET``
    Param("offset") at its end, as a slice would be (PostgreSQL and SQLite write both so)."""
    query = queryset.query
    if query.is_sliced or not queryset.ordered or query.select_for_update or query.combinator:
        raise TypeError("paged needs an ordered queryset, not sliced, locked or combined")
    return Paged(queryset)


class Compiled:
    """One statement's SQL, its parameters (constants and slots), and how to turn its rows into
    the dicts ``values()`` gives."""

    def __init__(self, queryset: QuerySet | Paged | Statement, label: str = "statement"):
        self.label = re.sub(r"\W", "_", label)[:40]  # in the prepared statement's name, for logs
        if isinstance(queryset, Statement):
            self._written(queryset)
        else:
            self._compile(queryset)
        self.slots = frozenset(p.name for p in self.params if isinstance(p, _Slot))
        self.number = next(_numbers)

    def _written(self, statement: Statement) -> None:
        if statement.sql.replace("%%", "").count("%s") != len(statement.params):
            raise ValueError("a Statement needs a %s for each of its params")
        self.alias = DEFAULT_DB_ALIAS
        self.sql, self.names = statement.sql, list(statement.names)
        self.params = tuple(_Slot(p.name) if isinstance(p, Param) else p for p in statement.params)
        self.width, self.converters = len(self.names), list(statement.converters)
        self.columns = None  # their types unknown: as the database adapter gives them

    def _compile(self, queryset: QuerySet | Paged) -> None:
        is_paged = isinstance(queryset, Paged)
        if is_paged:
            queryset = queryset.queryset
        if queryset._iterable_class is not ValuesIterable:
            raise TypeError("compiled_once needs a values() QuerySet or a Statement")
        self.alias = queryset.db
        query = queryset.query
        compiler = query.get_compiler(self.alias)
        try:
            self.sql, self.params = compiler.as_sql()
            if is_paged:
                self.sql += " LIMIT %s OFFSET %s"
                self.params = (*self.params, _Slot("limit"), _Slot("offset"))
        except EmptyResultSet:  # nothing can match, whatever the values
            self.sql, self.params = "", ()
            self.names, self.width, self.converters, self.columns = [], 0, [], []
        else:
            self.names = column_names(query)
            self.width = compiler.col_count
            self.columns = [column[0] for column in compiler.select[:self.width]]  # their expressions
            self.converters = list(compiler.get_converters(self.columns).items())

    def _new_name(self) -> str:
        """A name for the statement prepared on a connection: never one used before, so that a
        PREPARE whose EXECUTE failed (and which is kept all the same: PREPARE is not undone
        by a rollback) is never prepared again under the same name."""
        return f"{self.label}_{self.number}_{next(_attempts)}"

    def _dollar_sql(self, connection) -> str:
        """The SQL for PREPARE: each Param's place is $1, $2, ... (each place its own, so
        PostgreSQL deduces each one's type from where it stands), the ORM's own constants
        written in as the driver quotes them. Still to go through the driver's interpolation
        (with the EXECUTE's values), so every % stays doubled."""
        params, places, sql = iter(self.params), itertools.count(1), []
        for part in re.split(r"(%s|%%)", self.sql):
            if part == "%s":
                param = next(params)
                sql.append(f"${next(places)}" if isinstance(param, _Slot)
                           else connection.ops.compose_sql("%s", [param]).replace("%", "%%"))
            else:
                sql.append(part)
        return "".join(sql)

    def rows(self, **values: Any) -> list[dict]:
        missing = self.slots - set(values)
        if missing:
            raise TypeError(f"this statement takes {sorted(self.slots)}: {sorted(missing)} missing")
        for name in self.slots:
            value = values[name]
            if not isinstance(value, BINDABLE) or isinstance(value, bool):
                raise TypeError(f"{name}: {value!r} is not a value to bind")
        if not self.sql:
            return []
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            if _prepares(connection):
                prepared = _prepared_on(connection)
                slots = [values[p.name] for p in self.params if isinstance(p, _Slot)]
                name = prepared.get(self.number)
                first = name is None
                if first:
                    name = self._new_name()
                execute = f"EXECUTE {name}" + (f"({', '.join(['%s'] * len(slots))})" if slots else "")
                if first:  # once a session: prepared and run in one round trip
                    execute = f"PREPARE {name} AS {self._dollar_sql(connection)}; {execute}"
                cursor.execute(execute, slots)
                if first:
                    prepared[self.number] = name
            else:
                cursor.execute(self.sql, [values[p.name] if isinstance(p, _Slot) else p for p in self.params])
            fetched = cursor.fetchall()
        return self.dicts(fetched, connection)

    def dicts(self, fetched, connection, from_json: tuple = ()) -> list[dict]:
        """The statement's rows as values() gives them, from the rows the database adapter gave
        (or read_together's: each column first made what the adapter would give, ``from_json``)."""
        names, width = self.names, self.width
        result = []
        for row in fetched:
            row = list(row[:width])
            for position, made in from_json:
                if row[position] is not None:
                    row[position] = made(row[position])
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            result.append(dict(zip(names, row, strict=True)))
        return result


def instance_of(model: type[Model], row: dict, fields: dict[str, str]) -> Model:
    """A model instance from a row, as ``only()`` would load it: ``fields`` maps each field's
    attname to its name in the row; every other field deferred (reading it costs a query)."""
    return instances_of(model, fields)(row)


def instances_of(model: type[Model], fields: dict[str, str]) -> Callable[[dict], Model]:
    """instance_of(model, row, fields) for the rows of one list: what it works out from the
    model, the fields and the signals heard worked out once for the list, not once a row (the
    cohort page builds 135 instances a request)."""
    loaded = _loaded_fields(model, tuple(fields))
    names = [fields[name] for name in loaded]  # in the fields' order
    if not _plainly_set(model, loaded) or _init_heard(model):
        return lambda row: model.from_db(DEFAULT_DB_ALIAS, loaded, [row[name] for name in names])

    def instance(row: dict) -> Model:
        # What Model.__init__ and from_db would leave, without their loop over every concrete
        # field (the deferred ones too) and their signals, which nobody hears: that loop was a
        # third of a millisecond of the cohort page.
        made = model.__new__(model)
        made._state = state = ModelState()
        state.adding, state.db = False, DEFAULT_DB_ALIAS
        made.__dict__.update(zip(loaded, [row[name] for name in names], strict=True))
        return made

    return instance


@cache
def _loaded_fields(model: type[Model], names: tuple[str, ...]) -> tuple[str, ...]:
    """The attnames of ``names`` in the model's concrete fields' order (ValueError for a name
    that is none of them)."""
    loaded = tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)
    if len(loaded) != len(set(names)):
        raise ValueError(f"not fields of {model.__name__}: {sorted(set(names) - set(loaded))}")
    return loaded


@cache
def _plainly_set(model: type[Model], loaded: tuple[str, ...]) -> bool:
    """Whether Model.__init__ sets each of these fields by writing it into the instance's
    __dict__: its class attribute has no __set__, or is a foreign key's id (whose __set__ only
    forgets a cached related object, which a new instance has not got)."""
    return all(
        not hasattr(type(attribute := getattr(model, name, None)), "__set__")
        or type(attribute) is ForeignKeyDeferredAttribute
        for name in loaded
    )


def _init_heard(model: type[Model]) -> bool:
    """Whether anything may listen for the model's pre_init or post_init signals (which then
    go through Model.__init__): as ModelSignal.send decides, from its cache of senders heard."""
    return any(
        signal.receivers and signal.sender_receivers_cache.get(model) is not NO_RECEIVERS
        for signal in (pre_init, post_init)
    )


def compiled_once(build: Callable[..., QuerySet | Paged | Statement]) -> Callable[..., Compiled]:
    """``build(*shape)`` returns a values() QuerySet (or one made paged, or a Statement) with
    Params for every request's values; the decorated function returns its Compiled statement,
    built and compiled once per shape and database alias' vendor (see the module docstring
    for the rules)."""

    # Room for every shape in use (roles x list lengths): one evicted is compiled and prepared
    # on each connection again.
    @lru_cache(maxsize=128)
    def compiled(vendor: str, *shape) -> Compiled:
        return Compiled(build(*shape), label=build.__name__.strip("_"))

    @wraps(build)
    def wrapper(*shape) -> Compiled:
        return compiled(connections[DEFAULT_DB_ALIAS].vendor, *shape)

    wrapper.cache_clear = compiled.cache_clear
    return wrapper


@dataclass(frozen=True)
class Read:
    """A selector's statement (compiled_once), the values to run it with, and what makes its
    rows the selector's result: to run alone (``read``) or with others in one round trip
    (``read_together``), the selector still the one that knows its statement and its rows."""

    compiled: Compiled
    values: dict
    result: Callable[[list[dict]], Any] = list


def read(one: Read) -> Any:
    return one.result(one.compiled.rows(**one.values))


def read_together(*reads: Read) -> list:
    """Each read's result, as ``read`` gives it, in the reads' order. On PostgreSQL in one
    statement, so one round trip (a small statement costs a round trip's wait more than its
    work: 0.85 ms against 0.14 under load): each read's rows as JSON, made again what the
    database adapter gives for each column (its field's type), then what its values() gives.
    Elsewhere (SQLite) one by one. Only statements of values() QuerySets, whose columns' fields
    are known (a Statement's are not)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql" or len(reads) < 2:
        return [read(one) for one in reads]
    together = _together(*(one.compiled for one in reads))
    values = {f"{name}__{n}": value for n, one in enumerate(reads) for name, value in one.values.items()}
    (row,) = together.rows(**values)
    results = []
    for n, (one, from_json) in enumerate(zip(reads, _from_json_of(*(one.compiled for one in reads)), strict=True)):
        found = row[f"part{n}"]
        rows = one.compiled.dicts(json.loads(found) if found else [], connection, from_json)
        results.append(one.result(rows))
    return results


@lru_cache(maxsize=32)
def _together(*parts: Compiled) -> Compiled:
    """read_together's statement for these statements: one row, a column for each, the JSON
    array of its rows (each row an array of its columns, in its order: json_agg keeps the order
    of the ordered subquery it reads, as PostgreSQL does for an aggregate over a subquery alone),
    or NULL for none. Each part's Params renamed ``name__<its position>``."""
    columns, params = [], []
    for n, part in enumerate(parts):
        if part.columns is None:
            raise TypeError("read_together reads statements of values() QuerySets only")
        if not part.sql:  # it matches nothing
            columns.append("NULL")
            continue
        aliases = [f"c{position}" for position in range(part.width)]
        selected = [f"p.{alias}{_as_json(expression.output_field)[0]}"
                    for alias, expression in zip(aliases, part.columns, strict=True)]
        columns.append(f"(SELECT json_agg(json_build_array({', '.join(selected)}))::text "  # noqa: S608  # nosec B608
                       f"FROM ({part.sql}) AS p({', '.join(aliases)}))")  # (the ORM's SQL; every value a parameter)
        params += [_Slot(f"{p.name}__{n}") if isinstance(p, _Slot) else p for p in part.params]
    names = tuple(f"part{n}" for n in range(len(parts)))
    return Compiled(Statement(f"SELECT {', '.join(columns)}", tuple(params), names), label="together")


@lru_cache(maxsize=32)
def _from_json_of(*parts: Compiled) -> list[tuple]:
    """For each part: [(position, what makes its JSON value what the adapter gives)]."""
    return [
        tuple((position, made) for position, expression in enumerate(part.columns)
              if (made := _as_json(expression.output_field)[1]) is not None)
        for part in parts
    ]


def _as_json(field: Field) -> tuple[str, Callable | None]:
    """How read_together writes a column of this field into JSON (a cast after it) and what
    makes the JSON value what psycopg2 gives for the column (None: the same already)."""
    while isinstance(field, ForeignKey):
        field = field.target_field
    if isinstance(field, DateTimeField):  # ISO 8601, in the connection's time zone (UTC)
        return "", datetime.fromisoformat
    if isinstance(field, DateField):
        return "", date.fromisoformat
    if isinstance(field, DecimalField):  # as text: every digit kept
        return "::text", Decimal
    if isinstance(field, JSONField):  # psycopg2 gives jsonb as its text, for the field to load
        return "::text", None
    if isinstance(field, FloatField):
        return "", float
    if isinstance(field, (BooleanField, IntegerField, CharField, TextField)):
        return "", None
    raise TypeError(f"read_together cannot read a {type(field).__name__} column")
