from .navigation import menu_for


def navigation(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"navigation": []}
    return {"navigation": menu_for(membership.role, request.path)}


def session_end(request):
    """When the signed-in person's session ends unless they do something (epoch seconds), for
    the warning in base.html."""
    from django.conf import settings

    from core.sessions import session_expires_at

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"session_ends_at": session_expires_at(request),
            "session_warning_seconds": settings.SESSION_WARNING_SECONDS}
