"""manage.py rotate_issuer_key --organisation SLUG: a new signing key for the organisation's
credentials. The old key is retired, not deleted: it stays in the organisation's DID document,
so every credential it signed still verifies.

--reencrypt re-encrypts every stored private key with the first LADDER_KEY_ENCRYPTION_KEY
(after adding a new encryption key in front of the old one)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from credentials import keys, services
from credentials.models import IssuerKey
from programmes.models import Organisation


class Command(BaseCommand):
    help = "Retire an organisation's credential signing key and make a new one."

    def add_arguments(self, parser):
        parser.add_argument("--organisation", metavar="SLUG", help="The organisation's slug.")
        parser.add_argument(
            "--reencrypt", action="store_true",
            help="Re-encrypt every stored key with the first LADDER_KEY_ENCRYPTION_KEY.",
        )

    def handle(self, *args, organisation=None, reencrypt=False, **options):
        if reencrypt:
            count = 0
            for key in IssuerKey.objects.all():
                IssuerKey.objects.filter(pk=key.pk).update(
                    private_key_encrypted=keys.reencrypt(key.private_key_encrypted)
                )
                count += 1
            self.stdout.write(f"Re-encrypted {count} key{'s' if count != 1 else ''}.")
            if not organisation:
                return
        if not organisation:
            raise CommandError("Name the organisation: --organisation SLUG.")
        found = Organisation.objects.filter(slug=organisation).first()
        if found is None:
            raise CommandError(f"No organisation has the slug {organisation!r}.")
        key = services.issuer_key_rotate(organisation=found)
        self.stdout.write(
            f"{found.name} now signs with {keys.verification_method_id(found, key.kid)}; "
            "earlier keys stay in its DID document."
        )
