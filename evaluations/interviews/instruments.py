"""The ready-made interview instruments, after account 003 (shared/domain): trainees were
interviewed shortly after starting (their background, why they applied, how it felt so far),
again mid-way and on qualification; their managers on what they expected of the role, their
experience of the programme and its impact on service delivery. Covering protected learning
time was a real difficulty, and trainees reported mixed views on pay and unclear professional
responsibility, so the questions ask about those too.

``ensure_ready_made_instruments(organisation)`` gives an organisation its own copy of each on
first use; from then on the organisation edits its copy (a new version once it has answers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from programmes.models import Organisation

from ..models import Instrument, Question, Subject

K = Question.Kind


@dataclass(frozen=True)
class Q:
    key: str
    text: str
    kind: str = K.TEXT
    help_text: str = ""
    low: str = ""
    high: str = ""
    choices: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class ReadyMade:
    family: str
    name: str
    subject: str
    description: str
    questions: tuple[Q, ...] = field(default_factory=tuple)


CONFIDENCE = ("Not at all confident", "Very confident")
SUPPORT = ("Not supported at all", "Very well supported")

TRAINEE_START = "trainee-start"
TRAINEE_MIDWAY = "trainee-midway"
TRAINEE_QUALIFICATION = "trainee-qualification"
MANAGER = "manager"

READY_MADE: tuple[ReadyMade, ...] = (
    ReadyMade(
        family=TRAINEE_START,
        name="Trainee interview: starting the programme",
        subject=Subject.TRAINEE,
        description=(
            "Held in the first weeks of the programme: the trainee's background, why they "
            "applied and how they feel about it so far."
        ),
        questions=(
            Q("background", "Tell us about your background: your current job, where you work "
              "and the qualifications you already hold.", required=True),
            Q("years_in_care", "How many years have you worked in health or social care?",
              K.NUMBER, help_text="Roughly is fine, for example 6."),
            Q("why_applied", "Why did you apply for the trainee post?", required=True,
              help_text="For example job satisfaction, a step towards nurse training, "
              "the chance to learn new skills."),
            Q("hoped_next_step", "Where do you hope the role will take you?", K.CHOICE,
              choices=("Staying in the new role", "Nurse training",
                       "Training for another registered profession", "Not sure yet")),
            Q("pay_effect", "How does moving into the trainee post affect your pay?", K.CHOICE,
              choices=("I will earn more", "About the same", "I will earn less",
                       "Prefer not to say")),
            Q("feels_so_far", "How do you feel about your experience of the programme so far?",
              required=True),
            Q("confidence_start", "How confident do you feel about taking on the new role?",
              K.SCALE, low=CONFIDENCE[0], high=CONFIDENCE[1], required=True),
            Q("support_start", "How well supported do you feel by your ward team and mentor?",
              K.SCALE, low=SUPPORT[0], high=SUPPORT[1]),
            Q("study_time_agreed", "Have you and your manager agreed when you will take your "
              "protected study time?", K.YES_NO),
        ),
    ),
    ReadyMade(
        family=TRAINEE_MIDWAY,
        name="Trainee interview: mid-way",
        subject=Subject.TRAINEE,
        description="Half-way through: what is working, what is not, and protected study time.",
        questions=(
            Q("going_well", "What is going well for you on the programme?", required=True),
            Q("difficulties", "What has been difficult, at work or in your studies?"),
            Q("study_time_received", "Are you getting your protected study time as agreed?",
              K.YES_NO, required=True),
            Q("study_hours_lost", "About how many hours of study time have you lost in the "
              "last month?", K.NUMBER, help_text="Enter 0 if none."),
            Q("role_clarity", "How clear is it where professional responsibility rests for the "
              "tasks you now carry out?", K.SCALE, low="Not at all clear",
              high="Completely clear"),
            Q("confidence_mid", "How confident do you feel in the new role now?", K.SCALE,
              low=CONFIDENCE[0], high=CONFIDENCE[1], required=True),
            Q("mentor_support", "How well supported do you feel by your mentor?", K.SCALE,
              low=SUPPORT[0], high=SUPPORT[1]),
            Q("change_one_thing", "If you could change one thing about the programme, what "
              "would it be?"),
        ),
    ),
    ReadyMade(
        family=TRAINEE_QUALIFICATION,
        name="Trainee interview: on qualification",
        subject=Subject.TRAINEE,
        description="On qualifying: looking back, and what comes next.",
        questions=(
            Q("overall_experience", "Looking back, how would you describe your experience of "
              "the programme?", required=True),
            Q("confidence_end", "How confident do you feel in the role now you have qualified?",
              K.SCALE, low=CONFIDENCE[0], high=CONFIDENCE[1], required=True),
            Q("job_satisfaction", "Compared with before the programme, how satisfied are you "
              "with your job?", K.SCALE, low="Much less satisfied", high="Much more satisfied"),
            Q("next_step", "What is your next step?", K.CHOICE, required=True,
              choices=("Working in the new role", "Starting nurse training",
                       "Other further training", "Returning to my previous role",
                       "Not decided yet")),
            Q("pay_and_conditions", "How has the role affected your pay and conditions?"),
            Q("recommend", "Would you recommend the programme to a colleague?", K.YES_NO),
            Q("advice_next_cohort", "What advice would you give to the next cohort?"),
        ),
    ),
    ReadyMade(
        family=MANAGER,
        name="Manager interview",
        subject=Subject.MANAGER,
        description=(
            "For the line managers of the trainees: what they expect of the new role, their "
            "experience of the programme, and its impact on service delivery."
        ),
        questions=(
            Q("expectations", "What do you expect the new role to bring to your ward or team?",
              required=True),
            Q("experience", "How have you found your experience of the programme so far?",
              required=True),
            Q("impact_on_service", "What impact has the programme had on service delivery in "
              "your area?", required=True,
              help_text="For example, access to physical healthcare or therapeutic activities."),
            Q("impact_rating", "Overall, how has the trainees' development affected care in "
              "your area?", K.SCALE, low="Made it worse", high="Greatly improved it"),
            Q("supports_registered_staff", "Is the role freeing registered nurses to use their "
              "higher-level skills?", K.YES_NO),
            Q("cover_difficulty", "How difficult has it been to cover trainees during their "
              "protected learning time?", K.SCALE, low="Not at all difficult",
              high="Very difficult", required=True),
            Q("cover_how", "How have you covered trainees' protected learning time, and what "
              "got in the way?"),
            Q("staffing_balance", "How are you keeping the right balance of staffing while the "
              "role is introduced?"),
            Q("career_incentive", "Has the role encouraged other support staff to think about "
              "their own career progression?", K.YES_NO),
        ),
    ),
)

BY_FAMILY = {ready.family: ready for ready in READY_MADE}


def _create(organisation: Organisation, ready: ReadyMade) -> Instrument:
    instrument = Instrument.objects.create(
        organisation=organisation, family=ready.family, version=1, is_current=True,
        name=ready.name, subject=ready.subject, description=ready.description,
    )
    Question.objects.bulk_create([
        Question(
            instrument=instrument, key=q.key, order=position, text=q.text, help_text=q.help_text,
            kind=q.kind, scale_low_label=q.low, scale_high_label=q.high,
            choices=list(q.choices), required=q.required,
        )
        for position, q in enumerate(ready.questions, start=1)
    ])
    return instrument


def ensure_ready_made_instruments(organisation: Organisation) -> dict[str, Instrument]:
    """Give the organisation its copy of each ready-made instrument it does not have yet, and
    return the current version of each ready-made family (family -> Instrument).

    Idempotent. One query when they all exist; otherwise it locks the organisation row, so two
    requests arriving at once cannot both create the same family."""
    wanted = set(BY_FAMILY)

    def current() -> dict[str, Instrument]:
        return {
            i.family: i for i in Instrument.objects.filter(
                organisation=organisation, family__in=wanted, is_current=True
            )
        }

    found = current()
    if set(found) == wanted:
        return found
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        existing = set(
            Instrument.objects.filter(organisation=organisation, family__in=wanted)
            .values_list("family", flat=True)
        )
        for ready in READY_MADE:
            if ready.family not in existing:
                _create(organisation, ready)
        return current()
