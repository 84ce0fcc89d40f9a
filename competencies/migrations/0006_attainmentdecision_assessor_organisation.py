"""Each version of attainment records the organisation its assessor acted for. Existing
versions: a sign-off or progress record takes its evidence's assessor organisation (a partner's
practitioner's, on a joint programme) when the same person decided both; every other version
was decided within the trainee's own organisation (its mentors and leads are the only others
who decide)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def forwards(apps, schema_editor):
    Decision = apps.get_model("competencies", "AttainmentDecision")
    Evidence = apps.get_model("competencies", "Evidence")
    Trainee = apps.get_model("trainees", "Trainee")
    Decision.objects.filter(
        kind__in=["signed_off", "progress"], evidence__assessor_organisation__isnull=False,
        evidence__assessed_by=F("decided_by"),
    ).update(assessor_organisation_id=Subquery(
        Evidence.objects.filter(pk=OuterRef("evidence_id")).values("assessor_organisation_id")[:1]
    ))
    Decision.objects.filter(assessor_organisation__isnull=True).update(assessor_organisation_id=Subquery(
        Trainee.objects.filter(pk=OuterRef("trainee_id")).values("organisation_id")[:1]
    ))


class Migration(migrations.Migration):

    dependencies = [
        ('competencies', '0005_evidence_declaration'),
        ('programmes', '0003_partnership_by_consent'),
        ('trainees', '0002_enrolmentimport'),
    ]

    operations = [
        migrations.AddField(
            model_name='attainmentdecision',
            name='assessor_organisation',
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+',
                to='programmes.organisation',
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
