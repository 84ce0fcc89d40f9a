"""The current version of each pair's attainment, kept by triggers (models.CurrentAttainment).

The newest decision of a (trainee, competency) pair that is not a self-rating is its current
version; these triggers keep it, in the same transaction, whenever one of the pair's decisions
is added, changed or deleted, however it was written. PostgreSQL: one trigger a statement, over
the rows the statement touched (transition tables): an insert compares the newest version added
with the current one; a change or a deletion reads the pairs' versions again. SQLite (the
embedded default, one writer at a time): one a row, reading the pair again.
"""

import django.db.models.deletion
from django.db import migrations, models

from core.schema import triggers

DECISIONS = "competencies_attainmentdecision"
CURRENT = "competencies_currentattainment"
COLUMNS = "trainee_id, competency_id, decision_id, kind, level, target_level, decided_at, valid_until"

# Each given pair's newest version but for self-ratings (the rule of
# competencies.evidence.selectors.current_decisions), as rows of COLUMNS.
_NEWEST = f"""
    SELECT n.trainee_id, n.competency_id, n.id, n.kind, n.level, n.target_level, n.decided_at, n.valid_until
    FROM (SELECT DISTINCT p.t, p.c FROM unnest(trainee_ids, competency_ids) AS p (t, c)) AS pair
    CROSS JOIN LATERAL (
        SELECT d.id, d.trainee_id, d.competency_id, d.kind, d.level, d.target_level, d.decided_at, d.valid_until
        FROM {DECISIONS} d
        WHERE d.trainee_id = pair.t AND d.competency_id = pair.c AND d.kind <> 'self_rated'
        ORDER BY d.decided_at DESC, d.id DESC LIMIT 1
    ) AS n
"""

POSTGRESQL = f"""
-- A change or a deletion may make an older version current: the pairs are worked out again
-- from all their versions.
CREATE OR REPLACE FUNCTION competencies_current_attainment_refresh(trainee_ids bigint[], competency_ids bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Each pair's newest version as this statement sees it. Writing the pair's row locks it,
    -- or first waits for a transaction writing the same pair to end (ON CONFLICT then sees
    -- that transaction's row, committed after this statement began).
    INSERT INTO {CURRENT} AS cur ({COLUMNS}) {_NEWEST}
    ORDER BY n.trainee_id, n.competency_id
    ON CONFLICT (trainee_id, competency_id) DO UPDATE SET
        decision_id = EXCLUDED.decision_id, kind = EXCLUDED.kind, level = EXCLUDED.level,
        target_level = EXCLUDED.target_level, decided_at = EXCLUDED.decided_at, valid_until = EXCLUDED.valid_until;
    -- Again, holding the rows: a new statement sees what was committed while it waited (each
    -- statement of a function reads a new snapshot under READ COMMITTED, Django's level), so a
    -- version another transaction added meanwhile is not overwritten by an older one.
    UPDATE {CURRENT} AS cur SET
        decision_id = n.id, kind = n.kind, level = n.level, target_level = n.target_level,
        decided_at = n.decided_at, valid_until = n.valid_until
    FROM ({_NEWEST}) AS n (trainee_id, competency_id, id, kind, level, target_level, decided_at, valid_until)
    WHERE cur.trainee_id = n.trainee_id AND cur.competency_id = n.competency_id
        AND (cur.decision_id, cur.kind, cur.level, cur.target_level, cur.decided_at, cur.valid_until)
            IS DISTINCT FROM (n.id, n.kind, n.level, n.target_level, n.decided_at, n.valid_until);
    -- A pair with no version left (its decisions deleted) has no current one.
    DELETE FROM {CURRENT} AS cur
    USING (SELECT DISTINCT p.t, p.c FROM unnest(trainee_ids, competency_ids) AS p (t, c)) AS pair
    WHERE cur.trainee_id = pair.t AND cur.competency_id = pair.c AND NOT EXISTS (
        SELECT 1 FROM {DECISIONS} d
        WHERE d.trainee_id = pair.t AND d.competency_id = pair.c AND d.kind <> 'self_rated');
END $$;

CREATE OR REPLACE FUNCTION competencies_current_attainment_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Versions only added: a pair's current one is the newer of the one it had and the
    -- newest added (a self-rating never is). Compared with the row as last committed: ON
    -- CONFLICT waits for a transaction writing the same pair and then reads its row, so of
    -- two writers the newest version wins, not the last to commit. No reading of the pairs'
    -- other versions: a bulk insert of 10,000 costs a few times the insert, not ten.
    INSERT INTO {CURRENT} AS cur ({COLUMNS})
    SELECT DISTINCT ON (trainee_id, competency_id)
        trainee_id, competency_id, id, kind, level, target_level, decided_at, valid_until
    FROM new_rows WHERE kind <> 'self_rated'
    ORDER BY trainee_id, competency_id, decided_at DESC, id DESC
    ON CONFLICT (trainee_id, competency_id) DO UPDATE SET
        decision_id = EXCLUDED.decision_id, kind = EXCLUDED.kind, level = EXCLUDED.level,
        target_level = EXCLUDED.target_level, decided_at = EXCLUDED.decided_at, valid_until = EXCLUDED.valid_until
    WHERE (EXCLUDED.decided_at, EXCLUDED.decision_id) > (cur.decided_at, cur.decision_id);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION competencies_current_attainment_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE t bigint[]; c bigint[];
BEGIN
    -- The pairs, before and after, of the rows whose facts changed (not the expiry
    -- announcement, nor a comment scrubbed on erasure).
    SELECT array_agg(p.trainee_id), array_agg(p.competency_id) INTO t, c FROM (
        SELECT o.trainee_id, o.competency_id FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.trainee_id, o.competency_id, o.kind, o.level, o.target_level, o.decided_at, o.valid_until)
            IS DISTINCT FROM (n.trainee_id, n.competency_id, n.kind, n.level, n.target_level, n.decided_at, n.valid_until)
        UNION
        SELECT n.trainee_id, n.competency_id FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.trainee_id, o.competency_id, o.kind, o.level, o.target_level, o.decided_at, o.valid_until)
            IS DISTINCT FROM (n.trainee_id, n.competency_id, n.kind, n.level, n.target_level, n.decided_at, n.valid_until)
    ) AS p;
    IF t IS NOT NULL THEN PERFORM competencies_current_attainment_refresh(t, c); END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION competencies_current_attainment_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE t bigint[]; c bigint[];
BEGIN
    SELECT array_agg(trainee_id), array_agg(competency_id) INTO t, c FROM old_rows WHERE kind <> 'self_rated';
    IF t IS NOT NULL THEN PERFORM competencies_current_attainment_refresh(t, c); END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER competencies_current_attainment_inserted AFTER INSERT ON {DECISIONS}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_current_attainment_inserted();
CREATE TRIGGER competencies_current_attainment_updated AFTER UPDATE ON {DECISIONS}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_current_attainment_updated();
CREATE TRIGGER competencies_current_attainment_deleted AFTER DELETE ON {DECISIONS}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION competencies_current_attainment_deleted();

INSERT INTO {CURRENT} ({COLUMNS})
    SELECT DISTINCT ON (trainee_id, competency_id)
        trainee_id, competency_id, id, kind, level, target_level, decided_at, valid_until
    FROM {DECISIONS} WHERE kind <> 'self_rated'
    ORDER BY trainee_id, competency_id, decided_at DESC, id DESC;
"""

POSTGRESQL_REVERSE = f"""
DROP TRIGGER IF EXISTS competencies_current_attainment_inserted ON {DECISIONS};
DROP TRIGGER IF EXISTS competencies_current_attainment_updated ON {DECISIONS};
DROP TRIGGER IF EXISTS competencies_current_attainment_deleted ON {DECISIONS};
DROP FUNCTION IF EXISTS competencies_current_attainment_inserted();
DROP FUNCTION IF EXISTS competencies_current_attainment_updated();
DROP FUNCTION IF EXISTS competencies_current_attainment_deleted();
DROP FUNCTION IF EXISTS competencies_current_attainment_refresh(bigint[], bigint[]);
"""


def _sqlite_refresh(row: str) -> str:
    """SQLite's statements working out the pair of ``row`` (NEW or OLD) again."""
    return f"""
    DELETE FROM {CURRENT} WHERE trainee_id = {row}.trainee_id AND competency_id = {row}.competency_id;
    INSERT INTO {CURRENT} ({COLUMNS})
        SELECT trainee_id, competency_id, id, kind, level, target_level, decided_at, valid_until
        FROM {DECISIONS}
        WHERE trainee_id = {row}.trainee_id AND competency_id = {row}.competency_id AND kind <> 'self_rated'
        ORDER BY decided_at DESC, id DESC LIMIT 1;"""


SQLITE = [
    f"""CREATE TRIGGER competencies_current_attainment_inserted AFTER INSERT ON {DECISIONS}
    WHEN NEW.kind <> 'self_rated' BEGIN {_sqlite_refresh("NEW")}
    END""",
    f"""CREATE TRIGGER competencies_current_attainment_updated
    AFTER UPDATE OF trainee_id, competency_id, kind, level, target_level, decided_at, valid_until ON {DECISIONS}
    BEGIN {_sqlite_refresh("OLD")} {_sqlite_refresh("NEW")}
    END""",
    f"""CREATE TRIGGER competencies_current_attainment_deleted AFTER DELETE ON {DECISIONS}
    WHEN OLD.kind <> 'self_rated' BEGIN {_sqlite_refresh("OLD")}
    END""",
    f"""INSERT INTO {CURRENT} ({COLUMNS})
    SELECT trainee_id, competency_id, id, kind, level, target_level, decided_at, valid_until FROM {DECISIONS} d
    WHERE kind <> 'self_rated' AND id = (
        SELECT n.id FROM {DECISIONS} n
        WHERE n.trainee_id = d.trainee_id AND n.competency_id = d.competency_id AND n.kind <> 'self_rated'
        ORDER BY n.decided_at DESC, n.id DESC LIMIT 1)""",
]

SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS competencies_current_attainment_{event}" for event in ("inserted", "updated", "deleted")
]


class Migration(migrations.Migration):

    dependencies = [
        ('competencies', '0007_evidence_by_trainee_status'),
        ('trainees', '0003_drop_indexes_a_unique_index_covers'),
    ]

    operations = [
        migrations.CreateModel(
            name='CurrentAttainment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('self_rated', 'Self-assessment'), ('signed_off', 'Signed off'), ('progress', 'Progress recorded: not yet at target'), ('confirmed', 'Self-assessment confirmed'), ('corrected', 'Self-assessment confirmed at a lower level'), ('reassessed', 'Reassessed'), ('withdrawn', 'Sign-off withdrawn')], max_length=20)),
                ('level', models.PositiveSmallIntegerField(null=True)),
                ('target_level', models.PositiveSmallIntegerField(null=True)),
                ('decided_at', models.DateTimeField()),
                ('valid_until', models.DateField(null=True)),
                ('competency', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='competencies.competency')),
                ('decision', models.ForeignKey(on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='competencies.attainmentdecision')),
                ('trainee', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='trainees.trainee')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('trainee', 'competency'), name='current_attainment_one_per_pair')],
            },
        ),
        triggers("competencies.CurrentAttainment", postgresql=POSTGRESQL, postgresql_reverse=POSTGRESQL_REVERSE,
                 sqlite=SQLITE, sqlite_reverse=SQLITE_REVERSE),
    ]
