"""Indexes for the role home pages (issue #15): what is expiring, by trainee and date; evidence
by trainee through evidence_by_trainee_status alone."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('competencies', '0008_current_attainment'),
        ('programmes', '0003_partnership_by_consent'),
        ('trainees', '0003_drop_indexes_a_unique_index_covers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='evidence',
            name='trainee',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='evidence', to='trainees.trainee'),
        ),
        migrations.AddIndex(
            model_name='attainmentdecision',
            index=models.Index(fields=['trainee', 'valid_until'], name='attainment_decision_expiring'),
        ),
    ]
