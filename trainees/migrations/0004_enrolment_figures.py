"""An enrolment's figures kept by triggers (models.EnrolmentFigures): its last review, the study
hours taken and who has signed its learning contract, worked out again in the same transaction
whenever a review, a study session or a signature of the enrolment is added, changed or deleted,
however it was written. PostgreSQL: one trigger a statement, over the rows it touched (transition
tables). SQLite (the embedded default, one writer at a time): one a row.
"""

import django.db.models.deletion
from django.db import migrations, models

from core.schema import triggers

FIGURES = "trainees_enrolmentfigures"
REVIEWS = "trainees_progressreview"
SESSIONS = "trainees_studysession"
SIGNATURES = "trainees_contractsignature"
CONTRACTS = "trainees_learningcontract"


def _figures_of(enrolment: str, joined: str, *, named: bool = False) -> str:
    """The three figures of the enrolment whose id is ``enrolment`` (as the due lists' subqueries
    worked them out: trainees.selectors.with_last_review, with_hours_taken, with_signers), each
    under its column's name when ``named``."""
    figures = {
        "last_review_on": f"(SELECT MAX(r.held_on) FROM {REVIEWS} r WHERE r.enrolment_id = {enrolment})",
        "hours_taken": f"(SELECT SUM(s.hours) FROM {SESSIONS} s WHERE s.enrolment_id = {enrolment} AND s.outcome = 'taken')",
        "signers": f"""(SELECT {joined} FROM {SIGNATURES} g JOIN {CONTRACTS} c ON c.id = g.contract_id
         WHERE c.enrolment_id = {enrolment})""",
    }
    return ",\n        ".join(f"{sql} AS {name}" if named else sql for name, sql in figures.items())


POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION trainees_enrolment_figures_refresh(enrolment_ids bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Each enrolment's row, locked: first waiting for a transaction writing the same enrolment's
    -- figures to end.
    INSERT INTO {FIGURES} AS f (enrolment_id)
    SELECT DISTINCT id FROM unnest(enrolment_ids) AS id ORDER BY id
    ON CONFLICT (enrolment_id) DO UPDATE SET enrolment_id = EXCLUDED.enrolment_id;
    -- Then worked out in a new statement, whose snapshot (READ COMMITTED, Django's level) has
    -- what that transaction committed meanwhile: its hours are added, not overwritten.
    UPDATE {FIGURES} AS f SET (last_review_on, hours_taken, signers) = ({_figures_of("f.enrolment_id", "STRING_AGG(g.party, ',')")})
    WHERE f.enrolment_id = ANY(enrolment_ids);
    -- An enrolment with none of those rows has no figures (and its row goes before it does).
    DELETE FROM {FIGURES} AS f
    WHERE f.enrolment_id = ANY(enrolment_ids)
        AND f.last_review_on IS NULL AND f.hours_taken IS NULL AND f.signers IS NULL;
END $$;

CREATE OR REPLACE FUNCTION trainees_enrolment_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE ids bigint[];
BEGIN
    -- The enrolments of the rows the statement touched, before and after. A signature's is
    -- its contract's (which outlives its signatures: they are deleted first).
    IF TG_TABLE_NAME = '{SIGNATURES}' THEN
        IF TG_OP = 'INSERT' THEN
            SELECT array_agg(DISTINCT c.enrolment_id) INTO ids FROM {CONTRACTS} c WHERE c.id IN (SELECT contract_id FROM new_rows);
        ELSIF TG_OP = 'DELETE' THEN
            SELECT array_agg(DISTINCT c.enrolment_id) INTO ids FROM {CONTRACTS} c WHERE c.id IN (SELECT contract_id FROM old_rows);
        ELSE
            SELECT array_agg(DISTINCT c.enrolment_id) INTO ids FROM {CONTRACTS} c
            WHERE c.id IN (SELECT contract_id FROM old_rows UNION SELECT contract_id FROM new_rows);
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT enrolment_id) INTO ids FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT enrolment_id) INTO ids FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT enrolment_id) INTO ids
        FROM (SELECT enrolment_id FROM old_rows UNION SELECT enrolment_id FROM new_rows) AS touched;
    END IF;
    IF ids IS NOT NULL THEN PERFORM trainees_enrolment_figures_refresh(ids); END IF;
    RETURN NULL;
END $$;
""" + "".join(
    f"""
CREATE TRIGGER trainees_enrolment_figures_{event.lower()} AFTER {event} ON {table}
    REFERENCING {transition}
    FOR EACH STATEMENT EXECUTE FUNCTION trainees_enrolment_figures_changed();"""
    for table in (REVIEWS, SESSIONS, SIGNATURES)
    for event, transition in (
        ("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
        ("DELETE", "OLD TABLE AS old_rows"),
    )
) + """
SELECT trainees_enrolment_figures_refresh(ARRAY(SELECT id FROM trainees_enrolment));
"""

POSTGRESQL_REVERSE = "".join(
    f"DROP TRIGGER IF EXISTS trainees_enrolment_figures_{event} ON {table};\n"
    for table in (REVIEWS, SESSIONS, SIGNATURES) for event in ("insert", "update", "delete")
) + """
DROP FUNCTION IF EXISTS trainees_enrolment_figures_changed();
DROP FUNCTION IF EXISTS trainees_enrolment_figures_refresh(bigint[]);
"""


def _sqlite_refresh(enrolment: str) -> str:
    """SQLite's statements working out again the figures of the enrolment whose id is ``enrolment``."""
    return f"""
    DELETE FROM {FIGURES} WHERE enrolment_id = {enrolment};
    INSERT INTO {FIGURES} (enrolment_id, last_review_on, hours_taken, signers)
        SELECT * FROM (SELECT {enrolment} AS enrolment_id, {_figures_of(enrolment, "GROUP_CONCAT(g.party, ',')", named=True)}) AS n
        WHERE n.last_review_on IS NOT NULL OR n.hours_taken IS NOT NULL OR n.signers IS NOT NULL;"""


def _sqlite_enrolment(table: str, row: str) -> str:
    """The enrolment of ``row`` (NEW or OLD) of ``table``: a signature's is its contract's."""
    if table == SIGNATURES:
        return f"(SELECT c.enrolment_id FROM {CONTRACTS} c WHERE c.id = {row}.contract_id)"
    return f"{row}.enrolment_id"


SQLITE = [
    f"""CREATE TRIGGER trainees_enrolment_figures_{event.lower()}_{table} AFTER {event} ON {table}
    BEGIN {"".join(_sqlite_refresh(_sqlite_enrolment(table, row)) for row in rows)}
    END"""
    for table in (REVIEWS, SESSIONS, SIGNATURES)
    for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["OLD", "NEW"]), ("DELETE", ["OLD"]))
] + [
    f"""INSERT INTO {FIGURES} (enrolment_id, last_review_on, hours_taken, signers)
    SELECT * FROM (SELECT e.id AS enrolment_id, {_figures_of("e.id", "GROUP_CONCAT(g.party, ',')", named=True)}
                   FROM trainees_enrolment e) AS n
    WHERE n.last_review_on IS NOT NULL OR n.hours_taken IS NOT NULL OR n.signers IS NOT NULL"""
]

SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS trainees_enrolment_figures_{event}_{table}"
    for table in (REVIEWS, SESSIONS, SIGNATURES) for event in ("insert", "update", "delete")
]


class Migration(migrations.Migration):

    dependencies = [
        ('trainees', '0003_drop_indexes_a_unique_index_covers'),
    ]

    operations = [
        migrations.CreateModel(
            name='EnrolmentFigures',
            fields=[
                ('enrolment', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='kept_figures', serialize=False, to='trainees.enrolment')),
                ('last_review_on', models.DateField(null=True)),
                ('hours_taken', models.DecimalField(decimal_places=1, max_digits=9, null=True)),
                ('signers', models.CharField(max_length=100, null=True)),
            ],
        ),
        triggers("trainees.EnrolmentFigures", postgresql=POSTGRESQL, postgresql_reverse=POSTGRESQL_REVERSE,
                 sqlite=SQLITE, sqlite_reverse=SQLITE_REVERSE),
    ]
