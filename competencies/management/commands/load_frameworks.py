"""python manage.py load_frameworks: load the national frameworks Ladder ships (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from competencies.frameworks.bundled import load_bundled_frameworks


class Command(BaseCommand):
    help = (
        "Load the bundled national frameworks (Care Certificate 2015 and 2025, NHS KSF, "
        "NOS selection, Core Skills Training Framework). Ones already there are left as they are."
    )

    def handle(self, *args, **options):
        for result in load_bundled_frameworks():
            state = "loaded" if result.created else "already there"
            self.stdout.write(
                f"{result.framework} ({result.framework.id_number}): "
                f"{result.competency_count} competencies, {state}"
            )
