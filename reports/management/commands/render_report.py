"""Render a report synchronously, with the same code the Celery task runs, for scripts and tests:

    manage.py render_report case-study --programme inpatient-assistant-practitioner -o study.pdf
    manage.py render_report case-study --programme inpatient-assistant-practitioner --format docx -o study.docx
    manage.py render_report cohort-progress --cohort 3 -o cohort.pdf
    manage.py render_report trainee-portfolio --enrolment 12 -o portfolio.pdf
    manage.py render_report export --organisation westmoor --format xlsx -o data.xlsx

A programme is named by the slug of its title (or its id); give --organisation when two
organisations have a programme of that name. The report shows what --as USERNAME may see in the
subject's organisation (by default, one of its training leads).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.text import slugify

from programmes.models import Membership, Organisation, Programme, Role
from programmes.selectors import get_cohort_for, get_programme_for
from trainees.selectors import get_enrolment_for

from ... import builders
from ...exports import DATASETS

KINDS = ("case-study", "cohort-progress", "trainee-portfolio", "export")


class Command(BaseCommand):
    help = "Render a case study, cohort progress report, trainee portfolio or data export to a file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("-o", "--output", required=True, help="The file to write.")
        parser.add_argument("--programme", help="case-study: the programme's slug (of its title) or id.")
        parser.add_argument("--cohort", type=int, help="cohort-progress: the cohort's id.")
        parser.add_argument("--enrolment", type=int, help="trainee-portfolio: an enrolment id of the trainee.")
        parser.add_argument("--organisation", help="The organisation's slug (to tell programmes apart; export).")
        parser.add_argument(
            "--format", dest="file_format", choices=("pdf", "docx", "csv", "xlsx"),
            help="case-study: pdf (the default) or docx (Word); export: xlsx (the default) or csv.",
        )
        parser.add_argument(
            "--datasets", default=",".join(DATASETS), help=f"export: comma-separated, from {', '.join(DATASETS)}."
        )
        parser.add_argument("--as", dest="username", help="Produce it as this person sees it.")

    def handle(self, *args, kind: str, output: str, **options):
        try:
            result = self._render(kind, options)
        except Http404 as exc:
            raise CommandError(f"Not found, or not visible to the person it is produced for: {exc}") from exc
        except (builders.CannotProduce, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        path = Path(output)
        path.write_bytes(result.content)
        pages = f", {result.page_count} pages" if result.page_count else ""
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({len(result.content):,} bytes{pages})."))

    def _render(self, kind: str, options: dict) -> builders.Output:
        if kind == "case-study":
            programme = self._programme(options["programme"], options["organisation"])
            membership = self._membership(programme.organisation, options["username"])
            programme = get_programme_for(membership=membership, pk=programme.pk)
            file_format = options["file_format"] or "pdf"
            if file_format not in builders.CASE_STUDY_FORMATS:
                offered = " or ".join(builders.CASE_STUDY_FORMATS)
                raise CommandError(f"A case study is produced as {offered}, not {file_format}.")
            return builders.CASE_STUDY_FORMATS[file_format](programme, membership=membership)
        if kind == "cohort-progress":
            if options["cohort"] is None:
                raise CommandError("cohort-progress needs --cohort ID.")
            organisation = Organisation.objects.filter(programmes__cohorts__pk=options["cohort"]).first()
            if organisation is None:
                raise CommandError(f"No cohort has id {options['cohort']}.")
            membership = self._membership(organisation, options["username"])
            cohort = get_cohort_for(membership=membership, pk=options["cohort"])
            return builders.cohort_progress_output(cohort, membership=membership)
        if kind == "trainee-portfolio":
            if options["enrolment"] is None:
                raise CommandError("trainee-portfolio needs --enrolment ID.")
            organisation = Organisation.objects.filter(trainees__enrolments__pk=options["enrolment"]).first()
            if organisation is None:
                raise CommandError(f"No enrolment has id {options['enrolment']}.")
            membership = self._membership(organisation, options["username"])
            enrolment = get_enrolment_for(membership=membership, pk=options["enrolment"])
            trainee = type(enrolment.trainee).objects.select_related(
                "organisation", "clinical_area", "line_manager", "mentor").get(pk=enrolment.trainee_id)
            return builders.portfolio_output(trainee, membership=membership)
        if not options["organisation"]:
            raise CommandError("export needs --organisation SLUG.")
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        datasets = [name.strip() for name in options["datasets"].split(",") if name.strip()]
        file_format = options["file_format"] or "xlsx"
        if file_format not in ("csv", "xlsx"):
            raise CommandError(f"An export is produced as xlsx or csv, not {file_format}.")
        return builders.export_output(
            file_format=file_format, datasets=datasets,
            membership=self._membership(organisation, options["username"]),
        )

    def _programme(self, name: str | None, organisation_slug: str | None) -> Programme:
        if not name:
            raise CommandError("case-study needs --programme SLUG.")
        programmes = Programme.objects.select_related("organisation")
        if organisation_slug:
            programmes = programmes.filter(organisation__slug=organisation_slug)
        if name.isdigit():
            found = list(programmes.filter(pk=int(name)))
        else:
            found = [p for p in programmes if slugify(p.title) == name]
        if not found:
            raise CommandError(f"No programme is called {name!r}.")
        if len(found) > 1:
            raise CommandError(f"More than one organisation has a programme called {name!r}: give --organisation.")
        return found[0]

    def _membership(self, organisation: Organisation, username: str | None) -> Membership:
        memberships = Membership.objects.select_related("organisation", "user").filter(
            organisation=organisation, is_active=True, user__is_active=True,
        )
        if username:
            membership = memberships.filter(user__username=username).order_by("role").first()
            if membership is None:
                raise CommandError(f"{username} has no role in {organisation.name}.")
            return membership
        membership = memberships.filter(role=Role.TRAINING_LEAD).order_by("pk").first()
        if membership is None:
            raise CommandError(f"{organisation.name} has no training lead to produce it as: give --as USERNAME.")
        return membership
