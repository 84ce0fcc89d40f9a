"""The documents Ladder signs: Open Badges 3.0 credentials and Bitstring Status Lists, secured
as VC-JWT (compact JWS, EdDSA with Ed25519).

- Open Badges 3.0 (1EdTech), section 8.2 "JSON Web Token Proof Format": the JWT payload is the
  credential itself, plus the registered claims ``iss`` (issuer id), ``nbf`` (validFrom), ``exp``
  (validUntil), ``jti`` (the credential id) and ``sub`` (the subject id, when it has one).
- VC-JOSE-COSE: the header's ``typ`` is ``vc+jwt``, ``cty`` is ``vc``, ``kid`` names a
  verification method of the issuer's DID document.
- Bitstring Status List v1.0: ``encodedList`` is the GZIP-compressed bitstring, base64url with
  no padding, with the multibase prefix ``u``; bit 0 is the most significant bit of byte 0.

Pure functions: no queries, no clock (callers pass times).
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterable
from datetime import UTC, datetime

from jwcrypto import jwk, jws

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
STATUS_LIST_CONTEXTS = ["https://www.w3.org/ns/credentials/v2"]
MEDIA_TYPE = "application/vc+jwt"
PURPOSES = ("revocation", "suspension")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def with_jwt_claims(credential: dict) -> dict:
    """The payload: the credential, and the JWT claims OB 3.0 section 8.2.4.1 maps from it."""
    payload = dict(credential)
    issuer = credential["issuer"]
    payload["iss"] = issuer["id"] if isinstance(issuer, dict) else issuer
    payload["jti"] = credential["id"]
    payload["nbf"] = epoch(datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00")))
    if credential.get("validUntil"):
        payload["exp"] = epoch(datetime.fromisoformat(credential["validUntil"].replace("Z", "+00:00")))
    subject_id = (credential.get("credentialSubject") or {}).get("id")
    if subject_id:
        payload["sub"] = subject_id
    return payload


def sign(credential: dict, *, key: jwk.JWK, kid: str) -> str:
    """The compact JWS of the credential, signed with ``key`` and naming ``kid``."""
    token = jws.JWS(json.dumps(with_jwt_claims(credential), separators=(",", ":"), ensure_ascii=False).encode())
    token.add_signature(
        key, alg="EdDSA", protected=json.dumps({"alg": "EdDSA", "kid": kid, "typ": "vc+jwt", "cty": "vc"})
    )
    return token.serialize(compact=True)


def verify(token: str, public_jwk: dict) -> dict:
    """The payload if the signature holds (jwcrypto's check; used by Ladder's own pages).
    Raises jwcrypto.jws.InvalidJWSSignature / InvalidJWSObject otherwise."""
    checked = jws.JWS()
    checked.deserialize(token)
    checked.verify(jwk.JWK(**public_jwk), alg="EdDSA")
    return json.loads(checked.payload)


def payload_of(token: str) -> dict:
    """The payload without checking the signature: for showing what a stored token says."""
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


# --- Bitstring Status List ---------------------------------------------------------------------


def encode_bits(set_indexes: Iterable[int], size: int) -> str:
    bits = bytearray(size // 8)
    for index in set_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode_bits(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url (prefix 'u').")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit_is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(
    *, url: str, issuer: str, purpose: str, set_indexes: Iterable[int], size: int, now: datetime
) -> dict:
    return {
        "@context": STATUS_LIST_CONTEXTS,
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": iso(now),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_bits(set_indexes, size),
        },
    }


def status_entries(*, list_urls: dict[str, str], index: int) -> list[dict]:
    """One BitstringStatusListEntry per purpose, all at the same index of their list."""
    return [
        {
            "id": f"{list_urls[purpose]}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(index),
            "statusListCredential": list_urls[purpose],
        }
        for purpose in PURPOSES
    ]
