"""Who may use self-assessment, the assessor's queue, reassessment, withdrawal and the sign-off
statements (competencies.assessment).

A self-assessment is seen by whoever sees the trainee; only the trainee's mentor acts on it.
The queue is the mentor's own; reassessing is the mentor's; withdrawing the mentor's or a
training lead's. The outsider gets 404 on every object of Acme's.
"""

from programmes.models import Role

from ..access_table import FORBIDDEN, NOT_FOUND, OK, REDIRECT, SIGNED_IN, Entry, only


def _competency(world):
    from ..evidence.factories import make_competency, make_framework, make_profile

    framework = make_framework(short_name="Care Certificate")
    competency = make_competency(framework, "Duty of care")
    make_profile(world.programme, [(competency, 1)])
    return competency


def _self_assessment(world):
    from competencies.assessment.services import Rating, self_assessment_submit

    competency = _competency(world)
    [record] = self_assessment_submit(trainee=world.trainee, actor=world.trainee.user, ratings=[Rating(competency, 1)])
    return {"pk": record.pk}


def _signed_off_pair(world):
    from ..evidence.factories import sign_off, submit

    competency = _competency(world)
    sign_off(submit(world.trainee, [competency]), {competency.pk: 1})
    return {"trainee_pk": world.trainee.pk, "competency_pk": competency.pk}


ENTRIES: dict[str, Entry] = {
    "assessment:self_assess": only(Role.TRAINEE),
    "assessment:self_assessment": Entry(anonymous=REDIRECT, members=OK, outsider=NOT_FOUND, kwargs=_self_assessment),
    "assessment:queue": only(Role.MENTOR),
    "assessment:reassess": Entry(
        anonymous=REDIRECT,
        members=FORBIDDEN,
        outsider=NOT_FOUND,
        roles={Role.MENTOR: OK},
        kwargs=_signed_off_pair,
    ),
    "assessment:withdraw": Entry(
        anonymous=REDIRECT,
        members=FORBIDDEN,
        outsider=NOT_FOUND,
        roles={Role.MENTOR: OK, Role.TRAINING_LEAD: OK},
        kwargs=_signed_off_pair,
    ),
    "assessment:policy": only(Role.TRAINING_LEAD),
    # Everyone's own reminder choices (issue 13, the weekly digest), on the account page.
    "dashboards:reminders": SIGNED_IN,
}
