"""Who may use themes, findings, audits, satisfaction and exports (evaluations.findings).

Reading the evaluation (code list, findings, audits, satisfaction, exports): the lead
organisation's training leads and workforce planners. Coded answers are sensitive even where the
quotes are consented, so line managers, mentors, lecturers and trainees get 403. Changing it
(themes, coding, audit rounds and tools, satisfaction results and imports): training leads only.
The outsider (a training lead elsewhere) gets 404 on Acme's objects and sees their own
organisation's audit tools.
"""

from datetime import date

from programmes.models import Role

from ..access_table import NOT_FOUND, Entry, only


def _programme(world):
    return {"programme_pk": world.programme.pk}


def _cohort(world):
    return {"cohort_pk": world.cohort.pk}


def _stage(world):
    from evaluations.models import Stage

    stage = Stage.objects.create(
        cohort=world.cohort, name="Start", order=1, opens_on=date(2026, 1, 12), due_on=date(2026, 2, 13)
    )
    return {"stage_pk": stage.pk}


def _theme(world):
    from evaluations.models import Theme

    return {"pk": Theme.objects.create(programme=world.programme, name="Job satisfaction").pk}


def _export(world):
    from evaluations.models import Instrument, Subject

    Instrument.objects.create(
        organisation=world.organisation, family="trainee-interview", name="Trainee interview",
        subject=Subject.TRAINEE,
    )
    return {"cohort_pk": world.cohort.pk, "family": "trainee-interview"}


READ = (Role.TRAINING_LEAD, Role.PLANNER)

ENTRIES: dict[str, Entry] = {
    "findings:themes": only(*READ, outsider=NOT_FOUND, kwargs=_programme),
    "findings:theme_edit": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_theme),
    "findings:theme_delete": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_theme),
    "findings:coding": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_stage),
    "findings:stage_findings": only(*READ, outsider=NOT_FOUND, kwargs=_stage),
    "findings:cohort_findings": only(*READ, outsider=NOT_FOUND, kwargs=_cohort),
    # The outsider sees (and gets the ready-made tool for) their own organisation.
    "findings:audit_tools": only(Role.TRAINING_LEAD),
    "findings:audit_round_create": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_programme),
    "findings:programme_audits": only(*READ, outsider=NOT_FOUND, kwargs=_programme),
    "findings:satisfaction": only(*READ, outsider=NOT_FOUND, kwargs=_programme),
    "findings:satisfaction_import": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, kwargs=_programme),
    "findings:instrument_export": only(*READ, outsider=NOT_FOUND, kwargs=_export),
}
