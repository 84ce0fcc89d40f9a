"""Deploy checks for credentials (``manage.py check --deploy``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def credential_keys_configured(app_configs=None, **kwargs):
    errors = []
    if getattr(settings, "PRODUCTION", False):
        if not settings.LADDER_KEY_ENCRYPTION_KEY:
            errors.append(Error(
                "LADDER_KEY_ENCRYPTION_KEY (or LADDER_KEY_ENCRYPTION_KEY_FILE) is not set: "
                "the organisations' credential signing keys cannot be encrypted.",
                hint='python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"',
                id="credentials.E001",
            ))
        if urlsplit(settings.LADDER_PUBLIC_URL).scheme != "https":
            errors.append(Error(
                "LADDER_PUBLIC_URL must be the https:// address people reach Ladder at: did:web "
                "documents are fetched over HTTPS.",
                id="credentials.E002",
            ))
    return errors
