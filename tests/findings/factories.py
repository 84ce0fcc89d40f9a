"""Evaluation rows for the findings tests, made directly with the ORM: instruments, stages and
interviews belong to evaluations.interviews (another part of the app), which these tests do not
depend on. Coding goes through the real services."""

from __future__ import annotations

from datetime import date
from itertools import count

from evaluations.findings import services
from evaluations.models import Answer, Instrument, Interview, Question, Stage, Subject, Theme
from programmes.models import Role
from trainees import services as trainee_services

from ..conftest import make_person

_numbers = count(2000)

TRAINEE_QUESTIONS = (
    ("why_applied", "Why did you apply for the programme?", Question.Kind.TEXT),
    ("experience", "How is the programme going for you?", Question.Kind.TEXT),
    ("confidence", "How confident do you feel in the role?", Question.Kind.SCALE),
)
MANAGER_QUESTIONS = (
    ("expectations", "What do you expect of the new role?", Question.Kind.TEXT),
    ("impact", "What impact has it had on the service?", Question.Kind.TEXT),
)


def instrument(organisation, *, family="trainee-interview", subject=Subject.TRAINEE, version=1,
               questions=TRAINEE_QUESTIONS, name=None, is_current=True) -> Instrument:
    if is_current:
        Instrument.objects.filter(organisation=organisation, family=family, is_current=True).update(is_current=False)
    made = Instrument.objects.create(
        organisation=organisation, family=family, version=version, is_current=is_current,
        name=name or ("Trainee interview" if subject == Subject.TRAINEE else "Manager interview"),
        subject=subject,
    )
    for order, (key, text, kind) in enumerate(questions, start=1):
        Question.objects.create(instrument=made, key=key, order=order, text=text, kind=kind)
    return made


def stage(cohort, *, name="Start", order=1, opens_on=date(2026, 1, 12), due_on=date(2026, 2, 13),
          trainee_instrument=None, manager_instrument=None) -> Stage:
    return Stage.objects.create(
        cohort=cohort, name=name, order=order, opens_on=opens_on, due_on=due_on,
        status=Stage.Status.OPEN, trainee_instrument=trainee_instrument,
        manager_instrument=manager_instrument,
    )


def enrolment(world, *, first_name="Trainee", last_name=None):
    """Another trainee of Acme, enrolled on world.cohort."""
    number = next(_numbers)
    lead = world.person(Role.TRAINING_LEAD)
    trainee = trainee_services.trainee_create(
        organisation=world.organisation, actor=lead, first_name=first_name,
        last_name=last_name or f"Number{number}", employee_number=f"E{number}", clinical_area=world.ward,
        line_manager=world.person(Role.MANAGER),
    )
    return trainee_services.enrolment_create(
        trainee=trainee, cohort=world.cohort, actor=lead, enrolled_on=world.cohort.starts_on, status="active",
    )


def manager(world, username=None):
    return make_person(world.organisation, Role.MANAGER, username or f"manager{next(_numbers)}.acme")


def interview(the_stage, the_instrument, *, enrolment=None, manager=None, answers=None, consent=False,
              status=Interview.Status.DONE, held_on=date(2026, 1, 20), interviewer=None) -> Interview:
    subject = Subject.TRAINEE if enrolment is not None else Subject.MANAGER
    # A trainee enrolled while the stage is open already has a due interview (the evaluations
    # app adds late joiners): record on that one rather than make a second.
    made, _ = Interview.objects.update_or_create(
        stage=the_stage, subject=subject, enrolment=enrolment, manager=manager,
        defaults=dict(
            responsible=interviewer or manager, instrument=the_instrument, status=status,
            interviewer=interviewer, held_on=held_on if status == Interview.Status.DONE else None,
            consent_to_quote=consent,
        ),
    )
    questions = {q.key: q for q in the_instrument.questions.all()}
    for key, value in (answers or {}).items():
        question = questions[key]
        if question.kind in (Question.Kind.SCALE, Question.Kind.NUMBER):
            Answer.objects.create(interview=made, question=question, value=str(value), number=value)
        else:
            Answer.objects.create(interview=made, question=question, value=value)
    return made


def answer(the_interview, key) -> Answer:
    return the_interview.answers.get(question__key=key)


def theme(programme, name) -> Theme:
    return Theme.objects.get_or_create(programme=programme, name=name)[0]


def code(the_interview, key, theme_name, *, excerpt="", quote=False, actor=None):
    the_theme = theme(the_interview.stage.cohort.programme, theme_name)
    return services.coding_add(
        answer=answer(the_interview, key), theme=the_theme, excerpt=excerpt, is_quote=quote, actor=actor,
    )
