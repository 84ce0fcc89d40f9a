"""The benchmark's own PostgreSQL database: dropped and created afresh on every run, never the
development SQLite file or the test databases."""

from __future__ import annotations

import os
from contextlib import contextmanager

import dj_database_url
import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ladder_bench"


def bench_database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"make bench runs on PostgreSQL only; BENCH_DATABASE_URL is {url!r}.")
    return url


@contextmanager
def _server(url: str):
    """A cursor on the server's ``postgres`` database (autocommit: CREATE DATABASE cannot run in
    a transaction), and the name of the database ``url`` points at."""
    config = dj_database_url.parse(url)
    connection = psycopg2.connect(
        dbname="postgres", user=config["USER"] or None, password=config["PASSWORD"] or None,
        host=config["HOST"] or None, port=config["PORT"] or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            yield cursor, sql.Identifier(config["NAME"]), config["NAME"]
    finally:
        connection.close()


def recreate(url: str) -> None:
    """Drop the database named by ``url`` if it exists and create it empty."""
    with _server(url) as (cursor, name, _):
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))


def ensure_database(url: str) -> None:
    """Create the database named by ``url`` if it does not exist (never drop it)."""
    with _server(url) as (cursor, name, raw_name):
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [raw_name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))


def analyze() -> None:
    """Refresh the planner's statistics after seeding in bulk, as autovacuum would soon after on
    a real server: without them PostgreSQL guesses one row per table and picks nested loops
    that cost 5-10x (the matrix took 288 ms before, 53 ms after). VACUUM too, as autovacuum
    would: it marks the new rows' pages all-visible, without which an index-only scan (the
    matrix's totals over current_attainment_counted) reads every row from the table as well.
    VACUUM cannot run in a transaction: inside one, ANALYZE alone."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
