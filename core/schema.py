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
