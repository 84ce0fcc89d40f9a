"""Sending new rows to PostgreSQL with ``COPY ... FROM STDIN``, for core.bulk.insert_columns.

COPY writes a batch of rows a page at a time (one WAL record a page, not one a row) and parses
plain text, no expressions: the 9,000 rows of a 1,000-row enrolment import (4,000 of them audit
entries) reach the tables in about half the server time of ``INSERT ... SELECT FROM UNNEST``.
It fires the same triggers (the foreign keys' checks, the statements' triggers) and enforces
the same constraints. It returns nothing, so the primary keys a caller needs are taken from
the table's sequence first, in one query, and written with the rows.

The rows go in COPY's text format: a tab between values, a line a row, ``\\N`` for NULL, and
backslash, tab and line breaks in a value escaped. A column holding a value of another type
than those written here is refused (copy_texts returns None): the caller sends it otherwise.
The statement goes through Django's cursor wrappers, as an ``execute`` does: it is counted and
logged with the queries, database errors arrive as Django's, and execute_wrappers see it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

# The text of each type of value (exactly these types: a subclass of str, such as a choice,
# is text too). A date and time only when aware: a naive one is refused.
_TEXT: dict[type, Callable[[object], str | None]] = {
    int: str,
    bool: lambda value: "t" if value else "f",
    Decimal: str,
    date: date.isoformat,
    datetime: lambda value: value.isoformat() if value.tzinfo is not None else _REFUSED,
    UUID: str,
    type(None): lambda value: None,
}
_REFUSED = object()


def copy_texts(values: list, *, json_encoder: json.JSONEncoder | None = None) -> list[str] | None:
    """Each of ``values`` as COPY's text format writes it (None as NULL), or None if one is of a
    type not written here. With ``json_encoder``, each value is a JSON column's (None: NULL)."""
    if json_encoder is not None:
        texts = [None if value is None else json_encoder.encode(value) for value in values]
    else:
        kinds = set(map(type, values))
        texts = values
        if kinds == {int}:
            texts = list(map(str, values))
        elif not all(kind is str or kind is type(None) or issubclass(kind, str) for kind in kinds):
            writers = {kind: _writer(kind) for kind in kinds}
            if None in writers.values():
                return None
            # Each distinct value written once (a column of times is often one moment).
            keys = list(zip(map(type, values), values, strict=True))
            written = {key: writers[key[0]](key[1]) for key in set(keys)}
            if _REFUSED in written.values():
                return None
            texts = list(map(written.__getitem__, keys))
    has_null = None in texts
    joined = "".join([text for text in texts if text is not None] if has_null else texts)
    if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
        texts = [None if text is None else text.translate(_ESCAPES) for text in texts]
    return [NULL if text is None else text for text in texts] if has_null else texts


def _writer(kind: type) -> Callable[[object], str | None] | None:
    """How a value of ``kind`` is written (None: it is not): _TEXT's, text as it is, or
    psycopg2's Inet (how GenericIPAddressField prepares an address) as its address."""
    if kind in _TEXT:
        return _TEXT[kind]
    if issubclass(kind, str):
        return str
    try:
        from psycopg2.extras import Inet
    except ImportError:  # pragma: no cover - psycopg2 is the driver
        return None
    return (lambda value: value.addr) if issubclass(kind, Inet) else None


class _Lines:
    """The file copy_expert reads: ``chunk`` rows a read, each made when it is read (so the
    server writes the first rows while the next are made)."""

    def __init__(self, columns: list[list[str]], chunk: int):
        self.columns, self.chunk, self.start = columns, chunk, 0
        self.rows = len(columns[0]) if columns else 0

    def read(self, size: int = -1) -> str:
        start, self.start = self.start, self.start + self.chunk
        if start >= self.rows:
            return ""
        part = [column[start:self.start] for column in self.columns]
        return "\n".join(map("\t".join, zip(*part, strict=True))) + "\n"


def copy_rows(cursor, table: str, columns: list[str], texts: list[list[str]], *, chunk: int = 1000) -> None:
    """``COPY table (columns) FROM STDIN`` of the rows whose values ``texts`` holds a column
    at a time (as copy_texts writes them), on a Django cursor, through its execute wrappers."""
    quote = cursor.db.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
    lines = _Lines(texts, chunk)

    def copy(sql, params, many, context) -> None:
        cursor.db.validate_no_broken_transaction()
        with cursor.db.wrap_database_errors:
            cursor.cursor.copy_expert(sql, lines)

    logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else nullcontext()
    with logged:
        cursor._execute_with_wrappers(sql, None, many=False, executor=copy)


def can_copy(cursor) -> bool:
    """Whether the cursor's driver takes COPY FROM STDIN (psycopg2's copy_expert)."""
    return hasattr(cursor.cursor, "copy_expert")


def new_keys(cursor, table: str, pk_column: str, count: int) -> list[int] | None:
    """``count`` new values of the table's primary-key sequence, in increasing order (one
    query), or None if the column has no sequence."""
    cursor.execute(
        # OFFSET 0 keeps the sequence's lookup in its subquery, done once (pulled up into
        # the outer query it was done for each row: ten times the cost of the nextvals).
        "SELECT nextval(s) FROM (SELECT pg_get_serial_sequence(%s, %s)::regclass AS s OFFSET 0) AS sequence, "
        "generate_series(1, %s)",
        [cursor.db.ops.quote_name(table), pk_column, count],
    )
    keys = [key for (key,) in cursor.fetchall()]
    return None if None in keys else keys

