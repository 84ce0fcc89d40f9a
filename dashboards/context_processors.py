from .navigation import menu_for


def navigation(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"navigation": []}
    return {"navigation": menu_for(membership.role, request.path)}
