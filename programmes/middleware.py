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
