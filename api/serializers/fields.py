"""Related fields whose choices are scoped to the acting membership: an id the caller may not
see is refused exactly like an id that does not exist."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from programmes.models import Membership


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """``scope(membership) -> queryset`` decides which ids are acceptable."""

    def __init__(self, *, scope, model, **kwargs):
        self.scope = scope
        self.model = model
        # Never used for lookups (get_queryset decides); tells the schema the id's type.
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        membership = getattr(request._request, "membership", None) if request else None
        if membership is None:
            return self.model.objects.none()
        return self.scope(membership)


def people_of_organisation(membership: Membership):
    """People with an active role in the acting organisation (managers, mentors, trainees)."""
    users = Membership.objects.active().filter(organisation_id=membership.organisation_id)
    return get_user_model().objects.filter(pk__in=users.values("user_id"))


def person_field(**kwargs) -> ScopedPrimaryKeyField:
    return ScopedPrimaryKeyField(scope=people_of_organisation, model=get_user_model(), **kwargs)
