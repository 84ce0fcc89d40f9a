"""The one permission every API view needs: a signed-in caller acting through a membership."""

from __future__ import annotations

from rest_framework import permissions


class ActsThroughMembership(permissions.BasePermission):
    """Signed in (session or token) and acting as a role in an organisation. What they may see
    or change is then decided by the selectors and services, object by object."""

    message = "You do not have a role in any organisation in Ladder."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return getattr(request._request, "membership", None) is not None


def roles_only(*roles: str) -> type[permissions.BasePermission]:
    """A permission for an endpoint only some roles may use (403 with the reason otherwise)."""

    class OnlyRoles(ActsThroughMembership):
        message = "This is not available to your role."

        def has_permission(self, request, view) -> bool:
            return (
                super().has_permission(request, view) and request._request.membership.role in roles
            )

    return OnlyRoles
