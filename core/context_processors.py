from .access import memberships_for


def membership(request):
    """The acting membership and the others the person could switch to, for the header."""
    user = getattr(request, "user", None)
    return {
        "membership": getattr(request, "membership", None),
        "other_memberships": [
            m for m in memberships_for(user) if m != getattr(request, "membership", None)
        ]
        if user is not None
        else [],
    }
