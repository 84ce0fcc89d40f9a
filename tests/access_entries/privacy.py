"""Who may use the personal-data pages (subject access export and erasure): training leads of
the trainee's organisation only. Other roles of Acme get 403 (a planner reads everything but
must not export or erase a person); the outsider, a lead elsewhere, gets 404.

world.trainee is actively enrolled, so the erasure page shows why they cannot be erased yet
(still a 200 for the lead: it is the page explaining the refusal)."""

from programmes.models import Role

from ..access_table import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Entry


def _trainee(world):
    return {"pk": world.trainee.pk}


def _leads(lead_status: int) -> Entry:
    return Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND,
        roles={Role.TRAINING_LEAD: lead_status}, kwargs=_trainee,
    )


ENTRIES: dict[str, Entry] = {
    "privacy:personal_data": _leads(OK),
    "privacy:export": _leads(NOT_ALLOWED),  # posted from the personal-data page
    "privacy:erase": _leads(OK),
}
