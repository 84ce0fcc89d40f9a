from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from competencies.demo import seed_competencies
from competencies.frameworks.bundled import load_bundled_frameworks
from delegation.demo import seed_delegation
from evaluations.demo import seed_evaluations
from programmes.demo.people import logins_table
from programmes.demo.seed import seed_people, seed_programmes
from reports.demo import seed_case_study
from trainees.demo import complete_first_cohort, seed_trainees


class Command(BaseCommand):
    help = "Load the demo organisations, people and programmes (idempotent) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--logins-only", action="store_true", help="Only print the logins.")
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")
        parser.add_argument(
            "--force", action="store_true", help="Allow seeding with DJANGO_ENV=production."
        )

    def handle(self, *args, logins_only=False, quiet=False, force=False, **options):
        if not logins_only:
            if settings.PRODUCTION and not force:
                raise CommandError("Refusing to load demo data in production (use --force).")
            # Each app seeds its own floor, lowest first; all or nothing.
            with transaction.atomic():
                seed_people()
                load_bundled_frameworks()
                seed_programmes()
                seed_trainees()
                seed_competencies()
                seed_evaluations()
                complete_first_cohort()
                seed_delegation()
                seed_case_study()
            self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        if quiet:
            return
        self.stdout.write(logins_table())
        self.stdout.write("Ladder is at http://127.0.0.1:8000/\n")
