"""Who may use evidence, sign-off, the progress matrix and delegation readiness (competencies.evidence).

Evidence is seen by whoever sees the trainee (every role of Acme sees world.trainee: the lead
and planner the whole organisation, the manager and mentor as theirs, the lecturer through the
cohort, the trainee as themself). Only the trainee changes it; only their mentor assesses it.
The outsider gets 404 on every object of Acme's.
"""

from programmes.models import Role

from ..access_table import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Entry, only

EVERYONE_BUT_TRAINEES = (Role.TRAINING_LEAD, Role.PLANNER, Role.LECTURER, Role.MANAGER, Role.MENTOR)


def _evidence(world):
    from ..evidence.factories import evidence_for_world

    return {"pk": evidence_for_world(world).pk}


def _file(world):
    from ..evidence.factories import evidence_for_world, pdf

    return {"pk": evidence_for_world(world, files=[pdf()]).files.get().pk}


def _cohort(world):
    from ..evidence.factories import make_competency, make_framework, make_profile

    framework = make_framework(short_name="Care Certificate")
    make_profile(world.programme, [(make_competency(framework, "Duty of care"), 1)])
    return {"cohort_pk": world.cohort.pk}


def _trainee(world):
    return {"trainee_pk": world.trainee.pk}


def _post_only(*roles: str):
    """An action posted from the evidence page: 405 on GET for those who may do it, 403 for
    the others who see the evidence, 404 for the outsider."""
    return Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND,
        roles={role: NOT_ALLOWED for role in roles}, kwargs=_evidence,
    )


ENTRIES: dict[str, Entry] = {
    # Lists scoped to the person: the outsider sees their own organisation's (none).
    "evidence:list": Entry(anonymous=REDIRECT, members=OK, outsider=OK),
    "evidence:create": only(Role.TRAINEE),
    "evidence:detail": Entry(anonymous=REDIRECT, members=OK, outsider=NOT_FOUND, kwargs=_evidence),
    "evidence:edit": Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=NOT_FOUND, roles={Role.TRAINEE: OK},
        kwargs=_evidence,
    ),
    "evidence:sign_off": _post_only(Role.MENTOR),
    "evidence:return": _post_only(Role.MENTOR),
    "evidence:reply": _post_only(Role.TRAINEE, Role.MENTOR),
    "evidence:file": Entry(anonymous=REDIRECT, members=OK, outsider=NOT_FOUND, kwargs=_file),
    "evidence:matrix": only(*EVERYONE_BUT_TRAINEES, outsider=NOT_FOUND, kwargs=_cohort),
    "evidence:portfolio": Entry(anonymous=REDIRECT, members=OK, outsider=NOT_FOUND, kwargs=_trainee),
    "evidence:my_portfolio": Entry(
        anonymous=REDIRECT, members=FORBIDDEN, outsider=FORBIDDEN, roles={Role.TRAINEE: REDIRECT}
    ),
    "evidence:delegation": only(*EVERYONE_BUT_TRAINEES),
}
