"""Each signed-off evidence claim becomes a version of attainment (as the sign-off service now
records), oldest first; a later sign-off at a lower level than the one then current is evidence
only, as the service treats it. Valid until: the competency's period, else its framework's, else
a year for a delegated task."""

import calendar

from django.db import migrations


def _add_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def forwards(apps, schema_editor):
    Claim = apps.get_model("competencies", "EvidenceClaim")
    Decision = apps.get_model("competencies", "AttainmentDecision")
    current: dict = {}
    claims = (
        Claim.objects.filter(evidence__status="signed_off", level_awarded__isnull=False)
        .select_related("evidence", "competency__framework")
        .order_by("evidence__assessed_at", "pk")
    )
    batch = []
    for claim in claims.iterator(chunk_size=2000):
        evidence, competency = claim.evidence, claim.competency
        key = (evidence.trainee_id, claim.competency_id)
        if key in current and claim.level_awarded < current[key]:
            continue
        current[key] = claim.level_awarded
        months = competency.reassessment_months or competency.framework.validity_months or (
            12 if competency.is_delegated_task else None
        )
        decided_at = evidence.assessed_at or evidence.updated_at
        batch.append(Decision(
            trainee_id=evidence.trainee_id, competency_id=claim.competency_id, kind="signed_off",
            level=claim.level_awarded, evidence_id=evidence.pk, decided_by_id=evidence.assessed_by_id,
            decided_at=decided_at,
            valid_until=_add_months(decided_at.date(), months) if months else None,
        ))
        if len(batch) >= 2000:
            Decision.objects.bulk_create(batch)
            batch = []
    Decision.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("competencies", "0002_attainment_versions_self_assessment_validity")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
