"""python manage.py export_framework ID_NUMBER -o PATH [--organisation SLUG]: write a framework
as a Moodle competency-framework CSV file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from competencies.frameworks.moodle_csv import MoodleCsvError
from competencies.frameworks.services import framework_export
from competencies.models import Framework


class Command(BaseCommand):
    help = "Write a framework as a Moodle competency-framework CSV file (UTF-8)."

    def add_arguments(self, parser):
        parser.add_argument("id_number", help="The framework's ID number.")
        parser.add_argument("-o", "--output", required=True, type=Path, help="The file to write.")
        parser.add_argument(
            "--organisation",
            metavar="SLUG",
            help="The organisation whose framework it is (default: the national one).",
        )

    def handle(self, *args, id_number: str, output: Path, organisation: str | None, **options):
        frameworks = Framework.objects.select_related("scale").filter(id_number=id_number)
        if organisation:
            frameworks = frameworks.filter(organisation__slug=organisation)
        else:
            frameworks = frameworks.filter(organisation__isnull=True)
        framework = frameworks.first()
        if framework is None:
            owner = f"organisation {organisation!r}" if organisation else "the national frameworks"
            raise CommandError(f"No framework with the ID number {id_number!r} in {owner}.")
        try:
            text = framework_export(framework=framework)
        except MoodleCsvError as exc:
            raise CommandError(str(exc)) from exc
        try:
            with output.open("w", encoding="utf-8", newline="") as file:
                file.write(text)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Wrote {framework} to {output}."))
