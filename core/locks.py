"""A lock on a name, held until the transaction ends: for a check-then-save that no database
constraint can express (a registration number may be one person's at two organisations).

On PostgreSQL a transaction-level advisory lock on the name's hash. On SQLite, the embedded
default of `make run`, nothing: SQLite lets one transaction write at a time already."""

from __future__ import annotations

from django.db import connection


def lock_until_commit(name: str) -> None:
    """Wait for, then hold, the lock called ``name`` until the current transaction ends. Call
    inside transaction.atomic."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
