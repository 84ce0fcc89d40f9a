"""Who may use instruments, stages and interviews (evaluations.interviews).

Instruments and stages: the organisation's training leads and planners read them, its leads
change them. Interviews: leads and planners, and the person responsible or who held it; the
interview used here is Sam Trainee's (the lead who opened the stage is responsible), so the
manager gets 404, and so does the trainee: trainees see nothing of interviews. Mentors and
lecturers are refused every interview page (403).
"""

from programmes.models import Role

from ..access_table import Entry, only

LEAD, PLANNER, MANAGER, TRAINEE = Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER, Role.TRAINEE


def _post_only(kwargs) -> Entry:
    return Entry(anonymous=405, members=405, outsider=405, kwargs=kwargs)


def _instrument(world):
    from evaluations.interviews.instruments import TRAINEE_START, ensure_ready_made_instruments

    return ensure_ready_made_instruments(world.organisation)[TRAINEE_START]


def _midway(world, *, opened: bool = False):
    from evaluations.interviews import services

    lead = world.person(LEAD)
    stage = services.stages_create_defaults(cohort=world.cohort, actor=lead)[1]
    if opened:
        services.stage_open(stage=stage, actor=lead)
    return stage


def _trainee_interview(world):
    return _midway(world, opened=True).interviews.get(subject="trainee", enrolment=world.enrolment)


ENTRIES: dict[str, Entry] = {
    "interviews:instrument_list": only(LEAD, PLANNER),
    "interviews:instrument_detail": only(
        LEAD, PLANNER, outsider=404, kwargs=lambda w: {"pk": _instrument(w).pk}
    ),
    "interviews:instrument_edit": only(LEAD, outsider=404, kwargs=lambda w: {"pk": _instrument(w).pk}),
    "interviews:programme_plan": only(
        LEAD, outsider=404, kwargs=lambda w: {"programme_pk": w.programme.pk}
    ),
    "interviews:cohort_stages": only(
        LEAD, PLANNER, outsider=404, kwargs=lambda w: {"cohort_pk": w.cohort.pk}
    ),
    "interviews:stages_defaults": _post_only(lambda w: {"cohort_pk": w.cohort.pk}),
    "interviews:stage_create": only(LEAD, outsider=404, kwargs=lambda w: {"cohort_pk": w.cohort.pk}),
    "interviews:stage_detail": only(LEAD, PLANNER, outsider=404, kwargs=lambda w: {"pk": _midway(w).pk}),
    "interviews:stage_edit": only(LEAD, outsider=404, kwargs=lambda w: {"pk": _midway(w).pk}),
    "interviews:stage_open": _post_only(lambda w: {"pk": _midway(w).pk}),
    "interviews:stage_close": _post_only(lambda w: {"pk": _midway(w).pk}),
    "interviews:interview_detail": Entry(
        anonymous=302, members=403, outsider=404,
        roles={LEAD: 200, PLANNER: 200, MANAGER: 404, TRAINEE: 404},
        kwargs=lambda w: {"pk": _trainee_interview(w).pk},
    ),
    "interviews:interview_record": Entry(
        anonymous=302, members=403, outsider=404,
        roles={LEAD: 200, PLANNER: 403, MANAGER: 404, TRAINEE: 404},
        kwargs=lambda w: {"pk": _trainee_interview(w).pk},
    ),
    "interviews:my_interviews": only(LEAD, PLANNER, MANAGER),
}
