"""Personal API tokens: a person's key for scripts and HR integrations.

Only a SHA-256 hash of the key is stored (the key has 256 bits of randomness, so a fast hash is
enough: nobody can guess it, and a database dump does not reveal it), plus a short prefix the
owner can recognise it by. The key is shown once, when it is made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from programmes.models import Membership


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    # A token acts as one of its owner's memberships (an organisation and a role), chosen when
    # it is made, so what it may see is never ambiguous.
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'ESR feed'.")
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
