"""What every API view shares: the acting membership, the audit actor, role checks."""

from __future__ import annotations

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied
from django.utils.cache import add_never_cache_headers
from rest_framework import viewsets

from programmes.models import Membership


class LadderViewSet(viewsets.GenericViewSet):
    """Views stay thin: a selector gives the queryset (scoped to the acting membership), a
    serializer validates, a service writes."""

    # Writes needing a role: {"create": (roles...), ...}; others answer 403 before any input is
    # read, as the pages do.
    write_roles: dict[str, tuple[str, ...]] = {}
    lookup_value_converter = "int"  # ids are whole numbers (and typed so in the schema)

    @property
    def membership(self) -> Membership:
        return self.request._request.membership

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        roles = self.write_roles.get(self.action)
        if roles is not None:
            if self.detail:
                # Someone else's object is 404 whatever the caller's role: look it up first.
                self.get_object()
            if self.membership.role not in roles:
                raise PermissionDenied("This is not available to your role.")
        # Token requests are not signed in when the audit middleware runs: attribute every
        # audited change in this request to the caller here.
        self._actor = set_actor(request.user)
        self._actor.__enter__()

    def _forget_actor(self) -> None:
        actor = getattr(self, "_actor", None)
        if actor is not None:
            actor.__exit__(None, None, None)
            self._actor = None

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:  # even if an error escapes: the next request on this thread starts clean
            self._forget_actor()

    def finalize_response(self, request, response, *args, **kwargs):
        self._forget_actor()
        response = super().finalize_response(request, response, *args, **kwargs)
        # Personal data: no browser or proxy keeps it. (The middleware that does this for the
        # pages sees a token caller as anonymous, so the API says it itself.)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    def lookup_pk(self):
        return self.kwargs[self.lookup_url_kwarg or self.lookup_field]
