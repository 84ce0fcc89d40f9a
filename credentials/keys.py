"""Issuer keys and did:web: generating keys, keeping them encrypted, and the DID documents.

Private keys never sit in a database row in clear: they are Fernet tokens made with
LADDER_KEY_ENCRYPTION_KEY (a MultiFernet: the first key encrypts, every key decrypts).
Outside production, with no key set, one is derived from SECRET_KEY so the embedded default
works with no set-up; production refuses to start without a real one (config/settings.py).

did:web (https://w3c-ccg.github.io/did-method-web/): the host of LADDER_PUBLIC_URL (a port
written %3A), then its path segments and ``organisations:<slug>``, each joined by ``:``. It
resolves to ``<LADDER_PUBLIC_URL>/organisations/<slug>/did.json``.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote, urlsplit

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from jwcrypto import jwk

from programmes.models import Organisation

ALGORITHM = "EdDSA"
DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jws/2020/v1"]


def _fernet() -> MultiFernet:
    configured = [k.strip() for k in (settings.LADDER_KEY_ENCRYPTION_KEY or "").split(",") if k.strip()]
    if not configured:
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured("LADDER_KEY_ENCRYPTION_KEY is not set.")
        derived = hashlib.sha256(f"ladder-issuer-keys:{settings.SECRET_KEY}".encode()).digest()
        configured = [base64.urlsafe_b64encode(derived).decode()]
    try:
        return MultiFernet([Fernet(k.encode()) for k in configured])
    except ValueError as error:
        raise ImproperlyConfigured(
            "LADDER_KEY_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes)."
        ) from error


def generate() -> tuple[dict, str]:
    """A new Ed25519 key: (its public JWK, the private key encrypted for storage)."""
    key = jwk.JWK.generate(kty="OKP", crv="Ed25519")
    private_pem = key.export_to_pem(private_key=True, password=None)
    public = key.export_public(as_dict=True)
    return public, _fernet().encrypt(private_pem).decode()


def private_key(encrypted: str) -> jwk.JWK:
    return jwk.JWK.from_pem(_fernet().decrypt(encrypted.encode()))


def reencrypt(encrypted: str) -> str:
    """The same key under the first LADDER_KEY_ENCRYPTION_KEY (after that key is rotated)."""
    return _fernet().rotate(encrypted.encode()).decode()


# --- did:web -------------------------------------------------------------------------------------


def _public_parts() -> tuple[str, list[str]]:
    url = urlsplit(settings.LADDER_PUBLIC_URL)
    host = url.hostname or "localhost"
    if url.port:
        host = f"{host}%3A{url.port}"
    return host, [quote(part, safe="") for part in url.path.split("/") if part]


def did_for(organisation: Organisation) -> str:
    host, path = _public_parts()
    return ":".join(["did:web", host, *path, "organisations", organisation.slug])


def public_url(path: str) -> str:
    """An absolute address under LADDER_PUBLIC_URL for a path from reverse()."""
    return settings.LADDER_PUBLIC_URL + path


def verification_method_id(organisation: Organisation, kid: str) -> str:
    return f"{did_for(organisation)}#{kid}"


def did_document(organisation: Organisation, keys) -> dict:
    """The organisation's DID document: every key it has signed with, current and retired
    (a retired key signs nothing new, but credentials it signed must still verify)."""
    did = did_for(organisation)
    methods = [
        {
            "id": f"{did}#{key.kid}",
            "type": "JsonWebKey2020",
            "controller": did,
            "publicKeyJwk": {**key.public_jwk, "kid": key.kid},
        }
        for key in keys
    ]
    ids = [method["id"] for method in methods]
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "alsoKnownAs": [],
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    }
