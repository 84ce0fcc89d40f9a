"""How an API caller is recognised: a personal token (``Authorization: Bearer <key>``), or the
browser's session (with its CSRF check on writes, as DRF's SessionAuthentication does).

Either way the caller acts through one membership, exactly as on the pages: the token's own, or
the one the session has chosen (ActiveMembershipMiddleware). Access rules are then the same
selectors the pages use, so a token can never see more than its owner could in that role.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .tokens import token_for_key


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    keywords = (b"bearer", b"token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer <key>'."
            )
        try:
            key = parts[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("The token is not valid.") from exc
        token = token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is not valid, or it was revoked.")
        # The acting membership for this request is the token's, whatever a session says.
        request._request.membership = token.membership
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403 to a caller with no token.
        return 'Bearer realm="api"'


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, made on the account's API tokens page.",
        }
