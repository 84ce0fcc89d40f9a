from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    """Open Badges 3.0 credentials, issuer keys, did:web documents, the status list and public verification. Above competencies and delegation; told of changes by signals sent after commit."""

    name = "credentials"
    verbose_name = "Credentials"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from programmes.audit import audit_register

        from . import models, receivers  # noqa: F401 (signal handlers)

        # Issuing, revoking and suspending a trainee's credential is part of their record.
        audit_register(models.Credential)
        # Keys: who made or retired one, never the (encrypted) key material.
        auditlog.register(models.IssuerKey, include_fields=["organisation", "kid", "retired_at"])
