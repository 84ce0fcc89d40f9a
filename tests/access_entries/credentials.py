"""Who may use the credential pages. The public ones (a credential's check page, its download
and QR code, the DID documents and status lists) answer everyone, signed in or not, from any
organisation: checking a credential must not need Ladder. A trainee's credentials list is for
whoever sees the trainee (every role of Acme sees world.trainee); the outsider gets 404.
Suspending a credential and lifting a suspension is for Acme's training leads only (the
holder's organisation): other roles get 403, the outsider 404."""

from programmes.models import Role

from ..access_table import NOT_FOUND, OK, REDIRECT, Entry, only


def issued_credential(world):
    """A credential for world.trainee: a delegated task signed off at target by their mentor."""
    from credentials import services
    from credentials.models import Credential

    existing = Credential.objects.filter(trainee=world.trainee).first()
    if existing:
        return existing
    from ..credentials.helpers import delegated_task
    from ..evidence.factories import sign_off, submit

    task = delegated_task(world)
    sign_off(submit(world.trainee, [task]), {task.pk: 1})
    return services.credential_issue_for_competency(trainee=world.trainee, competency=task)


def _public_id(world):
    return {"public_id": issued_credential(world).public_id}


def _held(world):
    return {"trainee_pk": world.trainee.pk, "pk": issued_credential(world).pk}


def _suspended(world):
    """The credential suspended, so lifting it has a page to show (not a redirect)."""
    from credentials import services

    credential = issued_credential(world)
    services.credential_suspend(credential=credential, reason="An incident is being reviewed.")
    return {"trainee_pk": world.trainee.pk, "pk": credential.pk}


def _public(kwargs) -> Entry:
    return Entry(anonymous=OK, members=OK, outsider=OK, kwargs=kwargs)


ENTRIES: dict[str, Entry] = {
    "credentials:did_document": _public(lambda world: {"slug": world.organisation.slug}),
    "credentials:status_list": _public(
        lambda world: {"slug": world.organisation.slug, "purpose": "revocation", "number": 1}
    ),
    "credentials:public": _public(_public_id),
    "credentials:download": _public(_public_id),
    "credentials:qr": _public(_public_id),
    "credentials:trainee_list": Entry(
        anonymous=REDIRECT, members=OK, outsider=NOT_FOUND, kwargs=lambda world: {"pk": world.trainee.pk}
    ),
    "credentials:suspend": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_held),
    "credentials:unsuspend": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_suspended),
}
