"""The data version: a number PostgreSQL moves on when a transaction that wrote to Ladder's
tables commits, so a cached page fragment keyed on it can never show data older than the last
commit, whatever wrote it (the ORM, ``bulk_create``, ``update()``, raw SQL, a Celery worker,
a management command or psql).

How: each table has a statement-level trigger that, once per transaction, inserts a marker row
into ``core_datachange``; a trigger deferred to commit on that table then moves the version on
and deletes the marker. Deferred, the version row is locked only for the instant before the
commit (after every other deferred check), so writers never wait on each other for long and
cannot deadlock on it; and a reader that sees the new number also sees the new data, as both
become visible at the same commit. A fragment rendered just before a commit but stored after
it is stored under the old number, which no later request asks for.

Not on SQLite (the embedded default): ``data_version()`` is None there and nothing is cached.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection
from django.db.models import Subquery

# Tables whose rows no cached fragment shows, written on requests that change nothing a page
# shows: sessions (refreshed as people browse), sign-in attempts, the audit trail (written with
# the change it records, which moves the version on by itself), and the version's own tables.
UNWATCHED = {
    "django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog",
    "auditlog_logentry", "core_dataversion", "core_datachange",
}

FUNCTIONS = """
CREATE TABLE IF NOT EXISTS core_datachange (txid bigint PRIMARY KEY);

CREATE OR REPLACE FUNCTION core_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('ladder.data_changed_in', true) IS DISTINCT FROM txid_current()::text THEN
        INSERT INTO core_datachange (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
        PERFORM set_config('ladder.data_changed_in', txid_current()::text, true);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION core_data_version_next() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE core_dataversion SET version = version + 1 WHERE id = 1;
    DELETE FROM core_datachange WHERE txid = NEW.txid;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS core_data_version_next ON core_datachange;
CREATE CONSTRAINT TRIGGER core_data_version_next AFTER INSERT ON core_datachange
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION core_data_version_next();

-- Starting from the time in milliseconds, not 0: were the row ever emptied (a flush, as the
-- test suite does) and made again, its numbers still would not repeat ones that cached
-- fragments were stored under (fewer than one commit a millisecond since the row was made).
INSERT INTO core_dataversion (id, version)
    VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint) ON CONFLICT (id) DO NOTHING;
"""

WATCH = """
DROP TRIGGER IF EXISTS core_data_changed ON {table};
CREATE TRIGGER core_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION core_data_changed();
"""


def watched_tables() -> list[str]:
    """Every installed model's table that exists, but the UNWATCHED ones."""
    existing = set(connection.introspection.table_names())
    tables = {
        model._meta.db_table for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables & existing - UNWATCHED)


def install_triggers(**kwargs) -> None:
    """post_migrate: (re)install the function and a trigger on every watched table, so a table
    added by a later migration is watched too. Idempotent."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(FUNCTIONS)
        cursor.execute("".join(WATCH.format(table=quote(table)) for table in watched_tables()))


def data_version_subquery() -> Subquery:
    """The current version as a column of another statement: core.access.memberships_for reads
    it with the person's memberships, the first statement of a signed-in request."""
    return Subquery(apps.get_model("core", "DataVersion").objects.filter(pk=1).values("version")[:1])


def data_version(read_with=None) -> int | None:
    """The current version, or None where there is none (SQLite): then cache nothing.

    ``read_with``: a membership of core.access.memberships_for, whose ``data_version`` was read
    with it earlier in the request: used as is, a round trip spared. Earlier is safe: what the
    fragment then reads is at least as new as that version (a commit that writes moves the
    version on in the same commit), so a fragment is never older than the version it is kept
    under; at worst it is kept under a version already gone, which no later request asks for."""
    if connection.vendor != "postgresql":
        return None
    version = getattr(read_with, "data_version", None)
    if version is not None:
        return version
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM core_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None
