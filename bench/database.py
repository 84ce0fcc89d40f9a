"""The benchmark's own PostgreSQL database: dropped and created afresh on every run, never the
development SQLite file or the test databases."""

from __future__ import annotations

import os

import dj_database_url
import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ladder_bench"


def bench_database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"make bench runs on PostgreSQL only; BENCH_DATABASE_URL is {url!r}.")
    return url


def recreate(url: str) -> None:
    """Drop the database named by ``url`` if it exists and create it empty."""
    config = dj_database_url.parse(url)
    name = config["NAME"]
    connection = psycopg2.connect(
        dbname="postgres", user=config["USER"] or None, password=config["PASSWORD"] or None,
        host=config["HOST"] or None, port=config["PORT"] or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()
