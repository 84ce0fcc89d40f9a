"""Evidence by trainee and status: what waits for a mentor, what was returned to a trainee."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('competencies', '0006_attainmentdecision_assessor_organisation'),
        ('programmes', '0003_partnership_by_consent'),
        ('trainees', '0002_enrolmentimport'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='evidence',
            index=models.Index(fields=['trainee', 'status'], name='evidence_by_trainee_status'),
        ),
    ]
