"""Reads for credentials, scoped to the acting membership, and the public look-ups.

Who sees a credential in Ladder: whoever sees the trainee it was issued to
(trainees.selectors.trainees_visible_to). Anyone at all may check one by its public address
(its ``public_id``: 128 random bits), and read the DID documents and status lists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.access import get_scoped_or_404
from programmes.models import Membership, Organisation, Role
from trainees.selectors import visible_trainees_q

from .models import STATUS_LIST_SIZE, Credential, IssuerKey  # noqa: F401


def credentials_visible_to(*, membership: Membership | None) -> QuerySet[Credential]:
    """Credentials of the trainees the person sees, newest first, with what lists show. One
    query a page."""
    if membership is None:
        return Credential.objects.none()
    return (
        Credential.objects.filter(visible_trainees_q(membership=membership))
        .select_related("organisation", "trainee")
        .order_by("-issued_at", "-pk")
    )


def may_suspend(membership: Membership | None, trainee) -> bool:
    """Whether the person may suspend the trainee's credentials and lift a suspension: a
    training lead of the holder's own organisation (not a partner's). No query."""
    return (
        membership is not None and membership.role == Role.TRAINING_LEAD
        and membership.organisation_id == trainee.organisation_id
    )


def get_credential_for(*, membership: Membership | None, pk, write: bool = False) -> Credential:
    """A credential the person sees (404 otherwise); ``write``: one they may suspend (403)."""
    credential = get_scoped_or_404(credentials_visible_to(membership=membership), membership, None, pk=pk)
    if write and not may_suspend(membership, credential.trainee):
        raise PermissionDenied(
            "Only a training lead of the holder's organisation can suspend a credential or lift its suspension."
        )
    return credential


def credentials_of_trainee(*, trainee) -> QuerySet[Credential]:
    """The trainee's credentials (the caller has checked the trainee is visible). One query."""
    return Credential.objects.filter(trainee=trainee).select_related("organisation").order_by(
        "-issued_at", "-pk"
    )


def is_holder(membership: Membership | None, trainee) -> bool:
    return (
        membership is not None and membership.role == Role.TRAINEE
        and trainee.user_id == membership.user_id
    )


def credential_by_public_id(public_id: str) -> Credential:
    """The credential at a public address, with its issuer and key: one query, or 404."""
    return get_object_or_404(
        Credential.objects.select_related("organisation", "key"), public_id=public_id
    )


def issuer(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def issuer_keys(organisation: Organisation) -> list[IssuerKey]:
    """Every key the organisation has signed with, current and retired, oldest first."""
    return list(IssuerKey.objects.filter(organisation=organisation).order_by("created_at", "pk"))


def status_bits(organisation: Organisation, *, purpose: str, number: int) -> list[int]:
    """The set indexes of one of the organisation's status lists: revoked credentials for
    "revocation", suspended (and not revoked) ones for "suspension". One query."""
    credentials = Credential.objects.filter(organisation=organisation, status_list=number)
    if purpose == "revocation":
        credentials = credentials.filter(revoked_at__isnull=False)
    elif purpose == "suspension":
        credentials = credentials.filter(suspended_at__isnull=False)
    else:
        raise Http404("No such status purpose.")
    return list(credentials.values_list("status_index", flat=True))


def status_list_exists(organisation: Organisation, number: int) -> bool:
    return number == 1 or Credential.objects.filter(organisation=organisation, status_list=number).exists()
