"""Who may use the trainee, enrolment, contract, study-time and review pages (trainees app).

Object URLs point at Acme's records: world.trainee (Sam Trainee, managed by the manager,
mentored by the mentor, the trainee person's own record) actively enrolled on world.cohort,
which the lecturer teaches, so every Acme role may see them; the outsider gets 404.

Actions posted from the enrolment page check access first (404 for the outsider, 403 for
someone who may not act), then answer a GET with 405.
"""

from programmes.models import Role

from ..access_table import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Entry, only


def _cohort(world):
    return {"pk": world.cohort.pk}


def _trainee(world):
    return {"pk": world.trainee.pk}


def _enrolment(world):
    return {"pk": world.enrolment.pk}


def _everyone_sees(kwargs) -> Entry:
    return Entry(anonymous=REDIRECT, members=OK, outsider=NOT_FOUND, kwargs=kwargs)


def _lead_only(kwargs, lead=OK) -> Entry:
    """Training leads of Acme; other roles 403; the outsider (a lead elsewhere) 404."""
    return Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND,
        roles={Role.TRAINING_LEAD: lead}, kwargs=kwargs,
    )


def _post_only_for(*roles, kwargs) -> Entry:
    return Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND,
        roles={role: NOT_ALLOWED for role in roles}, kwargs=kwargs,
    )


ENTRIES: dict[str, Entry] = {
    # Cohorts
    "trainees:cohort_detail": _everyone_sees(_cohort),
    "trainees:enrol": _lead_only(_cohort),
    # Trainees: a trainee has "Your record" instead of the list
    "trainees:list": only(Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER, Role.MENTOR, Role.LECTURER),
    "trainees:create": only(Role.TRAINING_LEAD),
    "trainees:detail": _everyone_sees(_trainee),
    "trainees:edit": _lead_only(_trainee),
    # Enrolments
    "trainees:enrolment_detail": _everyone_sees(_enrolment),
    "trainees:enrolment_transition": _lead_only(_enrolment, lead=NOT_ALLOWED),
    "trainees:contract_edit": _lead_only(_enrolment),
    "trainees:plan_edit": _lead_only(_enrolment),
    # The four parties sign; leads and planners do not
    "trainees:contract_sign": _post_only_for(
        Role.TRAINEE, Role.MENTOR, Role.MANAGER, Role.LECTURER, kwargs=_enrolment
    ),
    "trainees:study_session_create": _post_only_for(
        Role.TRAINING_LEAD, Role.MANAGER, Role.TRAINEE, kwargs=_enrolment
    ),
    "trainees:review_create": _post_only_for(
        Role.TRAINING_LEAD, Role.MANAGER, Role.LECTURER, kwargs=_enrolment
    ),
    # Overviews and each role's own screens
    "trainees:study_time_by_ward": only(Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER),
    "trainees:my_trainees": only(Role.MANAGER),
    "trainees:study_week": only(Role.MANAGER),
    "trainees:my_mentees": only(Role.MENTOR),
    "trainees:my_record": only(Role.TRAINEE),
}
