from django.utils.cache import add_never_cache_headers

from .access import SESSION_KEY, choose_membership


class ActiveMembershipMiddleware:
    """Sets ``request.membership``: the organisation and role the person is acting as, or None.

    Anonymous requests cost no query; signed-in ones one (the person's memberships).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.membership = (
            choose_membership(user, request.session.get(SESSION_KEY))
            if user.is_authenticated
            else None
        )
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages for a signed-in person carry personal data: no browser or proxy may keep them
    (Cache-Control: no-store), so the back button on a shared ward PC shows nothing after
    logging out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
