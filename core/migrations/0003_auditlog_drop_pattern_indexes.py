"""Drop the two LIKE-only indexes django-auditlog's table gets from Django on PostgreSQL.

Django gives every indexed varchar column two indexes there: a plain one and a
``varchar_pattern_ops`` one (``_like``) that only ``LIKE 'prefix%'`` queries need. Nothing
queries auditlog_logentry's object_pk or cid that way: auditlog's own queries (get_for_object,
get_for_objects, the admin's correlation-id filter) and ours (core.audit.history_for, the
privacy pages) compare them with = and IN, which the plain indexes answer. Every audit entry
written paid for both (the 4,000 entries of a 1,000-row enrolment import: about a seventh of
the server's time inserting them). The names are the ones Django derives from the table and
column; IF EXISTS, as Django itself drops them, so a later auditlog migration that alters
those columns still runs (and may make them again).
"""

from django.db import migrations

INDEXES = {
    "auditlog_logentry_object_pk_6e3219c0_like": "object_pk",
    "auditlog_logentry_cid_9f467263_like": "cid",
}


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # Django makes them only there
        for name in INDEXES:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def make_again(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in INDEXES.items():
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "auditlog_logentry" ("{column}" varchar_pattern_ops)'
            )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_data_version"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(drop, make_again)]
