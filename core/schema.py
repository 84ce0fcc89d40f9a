"""Schema operations for migrations that Django's own do not cover."""

from __future__ import annotations

from django.db import migrations


def drop_pattern_indexes(table: str, indexes: dict[str, str]) -> migrations.RunPython:
    """A migration operation dropping ``indexes`` (name: column), the ``varchar_pattern_ops``
    ("_like") indexes Django adds on PostgreSQL beside the plain index of every indexed or
    unique varchar column. Only ``LIKE 'prefix%'`` queries need them; a column only ever
    compared with = or IN pays for one on every insert for nothing. IF EXISTS, as Django itself
    drops them, so a later migration altering the column still runs (and may add it back);
    reversed, it makes them again. Nothing to do elsewhere (SQLite never had them)."""

    def drop(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for name in indexes:
                schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    def make_again(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for name, column in indexes.items():
                schema_editor.execute(
                    f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}" varchar_pattern_ops)'
                )

    return migrations.RunPython(drop, make_again)


def triggers(kept: str, *, postgresql: str, postgresql_reverse: str, sqlite: list[str],
             sqlite_reverse: list[str]) -> migrations.RunPython:
    """A migration operation installing the triggers that keep ``kept`` (a model, named in
    the error) up to date: on PostgreSQL one script, on SQLite one statement at a time (its
    driver runs one per call); reversed, dropping them. Any other database is refused, as
    the model would silently go stale there."""

    def install(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(postgresql)
        elif vendor == "sqlite":
            for statement in sqlite:
                schema_editor.execute(statement)
        else:
            raise NotImplementedError(f"{kept} has no triggers for {vendor}")

    def drop(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        for statement in [postgresql_reverse] if vendor == "postgresql" else sqlite_reverse:
            schema_editor.execute(statement)

    return migrations.RunPython(install, drop)
