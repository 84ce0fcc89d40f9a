"""Who may use the programme, milestone and cohort pages (programmes app)."""

from programmes.models import Role

from ..access_table import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Entry, only

# Everyone but trainees reads programmes; only the lead organisation's training leads change them.
READERS = {Role.TRAINEE: FORBIDDEN}


def _programme(world):
    return {"pk": world.programme.pk}


def _milestone(world):
    return {"pk": world.milestone.pk}


def _cohort(world):
    return {"pk": world.cohort.pk}


ENTRIES: dict[str, Entry] = {
    "programmes:people": only(Role.TRAINING_LEAD, Role.PLANNER),
    # The outsider sees their own organisation's list.
    "programmes:list": Entry(anonymous=REDIRECT, members=OK, outsider=OK, roles=READERS),
    "programmes:detail": Entry(
        anonymous=REDIRECT, members=OK, outsider=NOT_FOUND, roles=READERS, kwargs=_programme
    ),
    # world.programme has no code of practice, so those who may see it get 404 ("no file");
    # tests/programmes/test_code_of_practice.py walks every actor with a real file.
    "programmes:code_of_practice": Entry(
        anonymous=REDIRECT,
        members=NOT_FOUND,
        outsider=NOT_FOUND,
        roles=READERS,
        kwargs=_programme,
    ),
    "programmes:create": only(Role.TRAINING_LEAD),
    "programmes:edit": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_programme),
    "programmes:milestone_create": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_programme),
    "programmes:milestone_edit": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_milestone),
    "programmes:milestone_delete": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_milestone),
    "programmes:cohort_create": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_programme),
    "programmes:cohort_edit": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_cohort),
}
