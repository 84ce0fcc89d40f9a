"""python manage.py import_framework PATH [--organisation SLUG]: import a Moodle competency
framework CSV file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from competencies.frameworks.moodle_csv import MoodleCsvError, read_framework
from competencies.frameworks.services import framework_import
from programmes.models import Organisation


class Command(BaseCommand):
    help = (
        "Import a Moodle competency-framework CSV file as a national framework, or as an "
        "organisation's own with --organisation. Every problem is listed with its line, and "
        "nothing is imported unless the whole file is."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The Moodle CSV file.")
        parser.add_argument(
            "--organisation",
            metavar="SLUG",
            help="The organisation the framework belongs to (default: national, for everyone).",
        )
        parser.add_argument(
            "--encoding", default="utf-8", help="The file's encoding (default utf-8)."
        )
        parser.add_argument("--delimiter", default=",", help="The column separator (default ,).")

    def handle(
        self, *args, path: Path, organisation: str | None, encoding: str, delimiter: str, **options
    ):
        owner = None
        if organisation:
            owner = Organisation.objects.filter(slug=organisation).first()
            if owner is None:
                raise CommandError(f"No organisation has the slug {organisation!r}.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc

        try:
            parsed = read_framework(data, encoding=encoding, delimiter=delimiter)
        except (MoodleCsvError, LookupError, ValueError) as exc:
            problems = (
                [str(p) for p in exc.problems] if isinstance(exc, MoodleCsvError) else [str(exc)]
            )
            self._fail(path, problems)
        for warning in parsed.warnings:
            self.stderr.write(f"Warning: {warning}")

        try:
            framework = framework_import(parsed=parsed, organisation=owner)
        except ValidationError as exc:
            self._fail(path, exc.messages)
        count = len(parsed.competencies)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {framework.short_name} ({framework.id_number}): "
                f"{count} compet{'ency' if count == 1 else 'encies'}"
                + (f" for {owner.name}." if owner else " as a national framework.")
            )
        )

    def _fail(self, path: Path, problems: list[str]) -> NoReturn:
        for problem in problems:
            self.stderr.write(f"{path}: {problem}")
        raise CommandError(
            f"Nothing was imported: {len(problems)} problem{'s' if len(problems) != 1 else ''}."
        )
