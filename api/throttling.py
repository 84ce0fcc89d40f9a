"""Throttling per token and per person. The rates are in settings.REST_FRAMEWORK
(DEFAULT_THROTTLE_RATES "api_token" and "api_user") and read on each request, so a deployment
(or a test) can change them."""

from __future__ import annotations

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken

logger = logging.getLogger(__name__)


class _SettingsRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get(self.scope)

    def __init__(self):
        # SimpleRateThrottle reads the rate in __init__ from a class attribute fixed at import.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def allow_request(self, request, view):
        # The request history lives in the cache (Redis). With Redis down the pages still
        # work, so the API should too: let the request through unthrottled and say so.
        try:
            return super().allow_request(request, view)
        except Exception:  # any cache client error: redis-py's differ by version
            logger.warning("API throttling skipped: the cache is unavailable", exc_info=True)
            return True


class TokenRateThrottle(_SettingsRateThrottle):
    """Each token has its own budget: one runaway script does not starve its owner's others."""

    scope = "api_token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return None


class UserRateThrottle(_SettingsRateThrottle):
    """And each person a budget over all their tokens and their browser session."""

    scope = "api_user"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
        return None
