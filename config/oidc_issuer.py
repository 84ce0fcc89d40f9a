"""Which OpenID Connect issuers Ladder will talk to: https, or plain http on a loopback address
only (a provider started for development or by the tests). Read by the settings at start-up and
by people.sso for every endpoint the provider's discovery document names."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, as a Content Security Policy source."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def check_issuer(url: str, *, name: str = "OIDC_ISSUER") -> None:
    """Raise ImproperlyConfigured, with the reason, unless ``url`` is https, or http on a
    loopback address."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and _loopback(parts.hostname):
        return
    raise ImproperlyConfigured(
        f"{name}={url!r} is refused: an identity provider must be reached over https "
        "(plain http only on a loopback address, 127.0.0.1 or localhost, for development)."
    )
