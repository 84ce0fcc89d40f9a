"""Who may use the personal-data pages (subject access export and erasure): training leads of
the trainee's organisation only. Other roles of Acme get 403 (a planner reads everything but
must not export or erase a person); the outsider, a lead elsewhere, gets 404.

world.trainee is actively enrolled, so the erasure page shows why they cannot be erased yet
(still a 200 for the lead: it is the page explaining the refusal)."""

from programmes.models import Role

from ..access_table import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Entry


def _trainee(world):
    return {"pk": world.trainee.pk}


def _finished_export(world):
    from django.core.files.base import ContentFile

    from privacy.models import PrivacyEvent

    event = PrivacyEvent(
        organisation=world.organisation, trainee=world.trainee, kind=PrivacyEvent.Kind.EXPORT,
        actor=world.person(Role.TRAINING_LEAD), file_name="export.zip",
    )
    event.file.save("export.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    return {"pk": world.trainee.pk, "event_pk": event.pk}


def _leads(lead_status: int, kwargs=_trainee) -> Entry:
    return Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND,
        roles={Role.TRAINING_LEAD: lead_status}, kwargs=kwargs,
    )


ENTRIES: dict[str, Entry] = {
    "privacy:personal_data": _leads(OK),
    "privacy:export": _leads(NOT_ALLOWED),  # posted from the personal-data page
    "privacy:erase": _leads(OK),
    "privacy:export_download": _leads(OK, kwargs=_finished_export),
}
