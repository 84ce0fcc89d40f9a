"""Reads for instruments, evaluation stages and interviews, scoped to the acting membership.

Who sees what:
- Instruments and stages belong to the programme's lead organisation: its training leads and
  workforce planners see them (partners and other roles do not); only its training leads
  change them.
- Interviews, with their answers, are seen by the organisation's training leads and planners,
  by the person responsible for getting one done and by the person who held it. A line
  manager therefore sees their own manager interviews (and any they were named to hold).
- Trainees see nothing of interviews, not even their own: they are interviewed, the evaluator
  records it, and no trainee can reach another trainee's or any manager's answers. Mentors and
  lecturers see nothing of interviews either.
- Recording: a manager their own manager interview; the responsible evaluator or any training
  lead of the organisation a trainee interview; training leads may also record a manager
  interview they held with the manager in person.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, QuerySet, Value, When

from core.access import get_scoped_or_404, scoped
from programmes.models import Cohort, Membership, Role
from programmes.selectors import EVALUATION_READERS, check_programme_access, cohorts_visible_to

from ..models import Answer, Instrument, Interview, Question, Stage
from .instruments import READY_MADE

ORGANISATION_WIDE = EVALUATION_READERS  # training leads and planners of the organisation
PENDING = (Interview.Status.DUE, Interview.Status.DRAFT)


def _is_lead_of(membership: Membership | None, organisation_id: int) -> bool:
    return (
        membership is not None
        and membership.role == Role.TRAINING_LEAD
        and membership.organisation_id == organisation_id
    )


# --- Instruments -------------------------------------------------------------------------------

def instruments_visible_to(*, membership: Membership | None) -> QuerySet[Instrument]:
    if membership is None or membership.role not in ORGANISATION_WIDE:
        return Instrument.objects.none()
    return scoped(Instrument.objects.all(), membership, "organisation")


def current_instruments(*, membership: Membership | None) -> QuerySet[Instrument]:
    """The list page: current versions, each with its number of questions. One query."""
    return (
        instruments_visible_to(membership=membership)
        .filter(is_current=True)
        .annotate(
            question_count=Count("questions"),
            # The ready-made ones in the order they are used, then any others by name.
            position=Case(
                *(When(family=ready.family, then=Value(n)) for n, ready in enumerate(READY_MADE)),
                default=Value(len(READY_MADE)),
            ),
        )
        .order_by("position", "name")
    )


def get_instrument_for(*, membership: Membership | None, pk, write: bool = False) -> Instrument:
    """The instrument, or 404 (another organisation's, or a role that does not see
    instruments); ``write`` also needs a training lead (403)."""
    instrument = get_scoped_or_404(instruments_visible_to(membership=membership), membership, None, pk=pk)
    if write and not _is_lead_of(membership, instrument.organisation_id):
        raise PermissionDenied("Only the organisation's training leads can change its instruments.")
    return instrument


def instrument_versions(instrument: Instrument) -> QuerySet[Instrument]:
    """Every version of the instrument's family, newest first, with how many interviews use
    each. One query."""
    return (
        Instrument.objects.filter(organisation_id=instrument.organisation_id, family=instrument.family)
        .annotate(interview_count=Count("interviews"))
        .order_by("-version")
    )


def instrument_choices(*, organisation_id: int, subject: str) -> QuerySet[Instrument]:
    return Instrument.objects.filter(
        organisation_id=organisation_id, subject=subject, is_current=True
    ).order_by("name")


def current_version_of(instrument: Instrument) -> Instrument:
    if instrument.is_current:
        return instrument
    return Instrument.objects.get(
        organisation_id=instrument.organisation_id, family=instrument.family, is_current=True
    )


# --- Cohorts, programmes and stages ---------------------------------------------------------------

def stages_visible_to(*, membership: Membership | None) -> QuerySet[Stage]:
    if membership is None or membership.role not in ORGANISATION_WIDE:
        return Stage.objects.none()
    return scoped(Stage.objects.all(), membership, "cohort__programme__organisation").select_related(
        "cohort", "cohort__programme", "trainee_instrument", "manager_instrument", "opened_by"
    )


def get_stage_for(*, membership: Membership | None, pk, write: bool = False) -> Stage:
    """The one access path to an evaluation stage, for pages, findings and the API: 404 unless
    its cohort is visible to the membership (core.access's rule: what cannot be seen does not
    exist); 403 unless they may read the programme's evaluation (its lead organisation's
    training leads and planners: a partner sees the cohort, not what was said in it), or with
    write=True change it (its training leads). One query."""
    stage = get_scoped_or_404(
        Stage.objects.filter(cohort__in=cohorts_visible_to(membership=membership).values("pk"))
        .select_related(
            "cohort", "cohort__programme", "cohort__programme__organisation",
            "trainee_instrument", "manager_instrument", "opened_by",
        ),
        membership, None, pk=pk,
    )
    check_programme_access(
        membership, stage.cohort.programme, write=write, evaluation=True, noun="stage"
    )
    return stage


def cohort_stages(*, cohort: Cohort) -> QuerySet[Stage]:
    """The cohort's stages in date order, each with counts of its interviews by status. One
    query."""
    S = Interview.Status
    return (
        Stage.objects.filter(cohort=cohort)
        .select_related("trainee_instrument", "manager_instrument")
        .annotate(
            due_count=Count("interviews", filter=Q(interviews__status__in=PENDING)),
            done_count=Count("interviews", filter=Q(interviews__status=S.DONE)),
            cancelled_count=Count("interviews", filter=Q(interviews__status=S.CANCELLED)),
        )
        .order_by("opens_on", "order", "pk")
    )


def stage_interviews(*, stage: Stage) -> QuerySet[Interview]:
    """The stage page's rows, trainees first. One query."""
    return (
        Interview.objects.filter(stage=stage)
        .select_related("enrolment__trainee", "manager", "responsible", "interviewer", "instrument")
        .order_by("-subject", "enrolment__trainee__last_name", "manager__last_name", "pk")
    )


# --- Interviews --------------------------------------------------------------------------------

INTERVIEW_RELATED = (
    "stage", "stage__cohort", "stage__cohort__programme", "enrolment", "enrolment__trainee",
    "manager", "responsible", "interviewer", "instrument",
)


def interviews_visible_to(*, membership: Membership | None) -> QuerySet[Interview]:
    if membership is None:
        return Interview.objects.none()
    interviews = scoped(Interview.objects.all(), membership, "stage__cohort__programme__organisation")
    if membership.role in ORGANISATION_WIDE:
        return interviews
    if membership.role == Role.MANAGER:
        user = membership.user_id
        return interviews.filter(Q(responsible_id=user) | Q(interviewer_id=user) | Q(manager_id=user))
    return Interview.objects.none()


def get_interview_for(*, membership: Membership | None, pk) -> Interview:
    return get_scoped_or_404(
        interviews_visible_to(membership=membership).select_related(*INTERVIEW_RELATED),
        membership, None, pk=pk,
    )


def can_record(membership: Membership | None, interview: Interview) -> bool:
    """May this person record (save or complete) the interview? Not once done or cancelled."""
    return interview.status in PENDING and may_record(membership, interview)


def may_record(membership: Membership | None, interview: Interview) -> bool:
    """Is this person one who records this interview (whatever its status)?"""
    if membership is None:
        return False
    organisation_id = interview.stage.cohort.programme.organisation_id
    if membership.organisation_id != organisation_id:
        return False
    if membership.role == Role.TRAINING_LEAD:
        return True
    if interview.subject == "manager":
        return membership.role == Role.MANAGER and interview.manager_id == membership.user_id
    return membership.role == Role.MANAGER and interview.responsible_id == membership.user_id


def subject_name(interview: Interview) -> str:
    if interview.subject == "manager":
        person = interview.manager
        return person.get_full_name() or person.get_username()
    return interview.enrolment.trainee.full_name


@dataclass(frozen=True)
class AnsweredQuestion:
    question: Question
    answer: Answer | None

    @property
    def display(self) -> str:
        return answer_display(self.question, self.answer)


def answer_display(question: Question, answer: Answer | None) -> str:
    if answer is None or answer.value == "":
        return ""
    if question.kind == Question.Kind.YES_NO:
        return {"yes": "Yes", "no": "No"}.get(answer.value, answer.value)
    if question.kind == Question.Kind.SCALE:
        ends = ""
        if question.scale_low_label or question.scale_high_label:
            low = question.scale_low_label or "lowest"
            high = question.scale_high_label or "highest"
            ends = f" (1 = {low}, 5 = {high})"
        return f"{answer.value} out of 5{ends}"
    return answer.value


def answered_questions(interview: Interview) -> list[AnsweredQuestion]:
    """Each question as it was asked (the interview's own instrument version) with its answer,
    if any. Two queries."""
    answers = {a.question_id: a for a in Answer.objects.filter(interview=interview)}
    return [
        AnsweredQuestion(question=q, answer=answers.get(q.pk))
        for q in Question.objects.filter(instrument_id=interview.instrument_id).order_by("order", "pk")
    ]


def interviewer_choices(*, organisation_id: int):
    """People who may be named as the interviewer: the organisation's training leads, line
    managers and planners."""
    people = Membership.objects.active().filter(
        organisation_id=organisation_id,
        role__in=(Role.TRAINING_LEAD, Role.MANAGER, Role.PLANNER),
    )
    return (
        get_user_model().objects.filter(pk__in=people.values("user_id"))
        .order_by("last_name", "first_name", "username")
    )


def my_interviews(*, membership: Membership | None) -> QuerySet[Interview]:
    """Interviews this person must get done or has held, in the acting organisation (not the
    cancelled ones). One query."""
    if membership is None:
        return Interview.objects.none()
    user = membership.user_id
    return (
        interviews_visible_to(membership=membership)
        .filter(Q(responsible_id=user) | Q(interviewer_id=user))
        .exclude(status=Interview.Status.CANCELLED)
        .select_related(*INTERVIEW_RELATED)
        .order_by("stage__due_on", "pk")
    )
