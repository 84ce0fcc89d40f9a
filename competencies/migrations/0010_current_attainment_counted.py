"""An index of CurrentAttainment by pair carrying what is counted and shown (issue 15), on
PostgreSQL: the matrix's totals over a cohort (10,000 pairs of 200 trainees) and its page's
cells read the index alone (an index-only scan) rather than each row of the table too; the
same at any size, as each read is by the trainees' ids. SQLite (the embedded default) has no
such index (no INCLUDE): its reads are the same, through the unique pair."""

from django.db import migrations

CREATE = (
    "CREATE INDEX current_attainment_counted ON competencies_currentattainment"
    " (trainee_id, competency_id) INCLUDE (level, kind, valid_until, target_level)"
)
DROP = "DROP INDEX IF EXISTS current_attainment_counted"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('competencies', '0009_home_page_indexes'),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
