from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    """Open Badges 3.0 credentials, issuer keys, did:web documents, the status list and public
    verification. Above competencies and delegation; told of changes by signals sent after commit."""

    name = "credentials"
    verbose_name = "Credentials"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import checks, models, receivers  # noqa: F401 (deploy checks, signal handlers)

        # Issuing, revoking and suspending a trainee's credential is part of their record. The
        # name and the signed token are copies of the trainee's record (audited there): kept
        # out of the trail, so erasure leaves none behind.
        auditlog.register(models.Credential, include_fields=[
            f.name for f in models.Credential._meta.concrete_fields
            if f.name not in ("id", "subject_name", "token")
        ])
        # Keys: who made or retired one, never the (encrypted) key material.
        auditlog.register(models.IssuerKey, include_fields=["organisation", "kid", "retired_at"])
