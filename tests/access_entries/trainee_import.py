"""Who may use the bulk enrolment import (CSV) pages: the training leads of the organisation
whose programme the cohort belongs to. Everyone else of Acme gets 403; the outsider (a training
lead elsewhere) gets 404 for Acme's cohort and imports."""

from django.core.files.uploadedfile import SimpleUploadedFile

from programmes.models import Role

from ..access_table import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, REDIRECT, Entry, only


def _an_import(world) -> dict:
    """A previewed import of one new trainee into Acme's cohort, made through the service."""
    from trainees.enrolment_import.services import enrolment_import_upload

    upload = SimpleUploadedFile(
        "new-starters.csv", b"employee_number,first_name,last_name\r\nE9001,Ada,Lovelace\r\n"
    )
    outcome = enrolment_import_upload(
        cohort=world.cohort, actor=world.person(Role.TRAINING_LEAD), upload=upload
    )
    assert outcome.job is not None, outcome
    return {"pk": outcome.job.pk}


def _cohort(world) -> dict:
    return {"cohort_pk": world.cohort.pk}


ENTRIES: dict[str, Entry] = {
    "enrolment_import:upload": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_cohort),
    "enrolment_import:example": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_cohort),
    "enrolment_import:preview": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_an_import),
    "enrolment_import:progress": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_an_import),
    # POST only. The role is checked before the method, so a GET still shows who is refused;
    # tests/trainee_import/test_access.py POSTs as each actor.
    "enrolment_import:confirm": Entry(
        anonymous=REDIRECT,
        members=FORBIDDEN,
        outsider=NOT_ALLOWED,
        roles={Role.TRAINING_LEAD: NOT_ALLOWED},
        kwargs=_an_import,
    ),
}
