from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    """Open Badges 3.0 credentials, issuer keys, did:web documents, the status list and public verification. Above competencies and delegation; told of changes by signals sent after commit."""

    name = "credentials"
    verbose_name = "Credentials"
