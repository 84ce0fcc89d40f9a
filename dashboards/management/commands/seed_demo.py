import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from competencies.demo import seed_competencies
from competencies.frameworks.bundled import load_bundled_frameworks
from credentials.demo import seed_credentials
from delegation.demo import seed_delegation
from evaluations.demo import seed_evaluations
from people.demo import seed_invitations
from programmes.demo.people import DEMO_PASSWORD, logins_table
from programmes.demo.seed import seed_people, seed_programmes
from reports.demo import seed_case_study
from trainees.demo import complete_first_cohort, seed_trainees


class Command(BaseCommand):
    help = "Load the demo organisations, people and programmes (idempotent) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--logins-only", action="store_true", help="Only print the logins.")
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")
        parser.add_argument(
            "--address", default="http://127.0.0.1:8000/",
            help="Where Ladder will be served, to print after the logins (make run passes its own).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Allow seeding with DJANGO_ENV=production."
        )

    def handle(self, *args, logins_only=False, quiet=False, force=False,
               address="http://127.0.0.1:8000/", **options):
        changed: list[tuple[str, str]] = []
        if not logins_only:
            if settings.PRODUCTION and not force:
                raise CommandError("Refusing to load demo data in production (use --force).")
            # Each app seeds its own floor, lowest first; all or nothing. The emails the demo's
            # story sends (a partnership asked and accepted, tasks delegated) are kept back.
            with emails_kept_back() as kept, transaction.atomic():
                seed_people()
                load_bundled_frameworks()
                seed_programmes()
                seed_trainees()
                seed_competencies()
                seed_evaluations()
                complete_first_cohort()
                seed_delegation()
                seed_case_study()
                seed_invitations()
                seed_credentials()
                if settings.PRODUCTION:
                    # No login anyone could guess from the README: each demo login still on
                    # the published password gets a random one, in the same transaction, and
                    # it is printed below, once (a rerun prints only logins it changed).
                    changed = randomise_demo_passwords()
            self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
            if kept:
                self.stdout.write(
                    f"The demo made {len(kept)} notification email{'s' if len(kept) != 1 else ''} "
                    "as it went; none was sent or printed."
                )
        if quiet:
            return
        if settings.PRODUCTION:
            self.stdout.write(production_logins_table(changed))
            return
        self.stdout.write(logins_table())
        self.stdout.write(f"Ladder is at {address}\n")


@contextmanager
def emails_kept_back() -> Iterator[list]:
    """Email sent inside goes to Django's in-memory backend, not the configured one: the
    demo's own notifications reach no inbox and, with the console backend of `make run`, are
    not printed where they would push the logins table off the screen (the server keeps the
    console backend). Yields a list that holds the messages kept back once the block is over
    (a transaction ending inside sends its on-commit emails inside)."""
    kept: list = []
    # override_settings is Django's documented way to change a setting for a while; the
    # command runs alone in its process.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        if not hasattr(mail, "outbox"):  # the locmem backend's list (under tests, the test's)
            mail.outbox = []
        outbox = mail.outbox
        already = len(outbox)
        try:
            yield kept
        finally:
            kept.extend(outbox[already:])


DEMO_EMAIL_DOMAIN = "@example.org"  # every demo login's (a domain reserved for examples)


def randomise_demo_passwords() -> list[tuple[str, str]]:
    """Give every demo login that still has the published demo password (the superuser
    included) a random one. Returns [(username, new password)], to be printed once."""
    changed = []
    users = get_user_model().objects.filter(email__iendswith=DEMO_EMAIL_DOMAIN).order_by("username")
    for user in users:
        if user.check_password(DEMO_PASSWORD):
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
            changed.append((user.get_username(), password))
    return changed


def production_logins_table(changed: list[tuple[str, str]]) -> str:
    if not changed:
        return (
            "\nNo demo login has the published demo password: each was given a random one "
            "when it was first seeded (printed then). Use manage.py changepassword to set one.\n"
        )
    width = max(len(username) for username, _ in changed)
    lines = [
        "",
        "Demo logins with their new random passwords. They are shown only this once:",
        "keep them somewhere safe, or set others with manage.py changepassword.",
        "",
    ]
    lines += [f"  {username:<{width}}  {password}" for username, password in changed]
    lines.append("")
    return "\n".join(lines)
