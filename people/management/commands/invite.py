"""Invite a person from a script: ``manage.py invite EMAIL --organisation SLUG --role ROLE``."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from programmes.models import Organisation, Role
from trainees.models import Trainee

from ...services import invitation_create


class Command(BaseCommand):
    help = (
        "Invite EMAIL into an organisation in a role (emailed as the app does). With --trainee, "
        "accepting links the login to that trainee record. Prints the link as its last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--trainee", metavar="EMPLOYEE_NUMBER",
            help="Link the login to the trainee with this employee number (role trainee).",
        )

    def handle(self, *args, email, organisation, role, trainee=None, **options):
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"No organisation has the slug “{organisation}”.")
        record = None
        if trainee:
            record = Trainee.objects.filter(organisation=org, employee_number=trainee).first()
            if record is None:
                raise CommandError(f"No trainee of {org.name} has the employee number “{trainee}”.")
        try:
            invitation, link = invitation_create(
                organisation=org, email=email, role=role, invited_by=None, trainee=record
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"Invited {invitation.email} to {org.name} as {invitation.get_role_display().lower()}"
            f"{f', linked to {record.full_name}' if record else ''}; the link works until "
            f"{invitation.expires_at:%Y-%m-%d %H:%M %Z}."
        )
        self.stdout.write(link)
