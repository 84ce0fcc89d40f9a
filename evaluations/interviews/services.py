"""Writes for instruments, evaluation stages and interviews.

Each function runs in a transaction, checks its input and raises ValidationError with a message
a person can act on (keyed by the form field where there is one). Callers (views, scripts, the
demo data) check that the actor may do it: see selectors.py. Interviews and answers are audited
by django-auditlog with the actor set here, so changes made by scripts are attributed too.

For a script, the whole story is:

    stages = stages_create_defaults(cohort=cohort, actor=lead)
    stage_open(stage=stages[1], actor=lead)
    interview_save(interview=interview, actor=lead, answers={"going_well": "..."},
                   held_on=date(2026, 7, 1), consent_to_quote=True, complete=True)
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator, slugify

from core.audit import audit_log_created
from core.bulk import bulk_insert
from core.errors import StaleEdit
from programmes.models import Cohort, Membership, Programme, Role
from trainees.models import Enrolment, EnrolmentTransition

from ..models import (
    Answer,
    Instrument,
    Interview,
    ProgrammeStage,
    Question,
    Stage,
    Subject,
)
from .instruments import (
    MANAGER,
    TRAINEE_MIDWAY,
    TRAINEE_QUALIFICATION,
    TRAINEE_START,
    ensure_ready_made_instruments,
)

PENDING = (Interview.Status.DUE, Interview.Status.DRAFT)
K = Question.Kind


def answer_field_name(key: str) -> str:
    """The form field (and error key) of the answer to the question with this key."""
    return f"q_{key}"


# --- Instruments -------------------------------------------------------------------------------

QUESTION_FIELDS = (
    "text", "kind", "help_text", "scale_low_label", "scale_high_label", "choices", "required",
)


def _key_for(text: str, taken: set[str]) -> str:
    base = slugify(text).replace("-", "_")[:40].strip("_") or "question"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _clean_questions(questions: list[dict], known_keys: set[str]) -> list[dict]:
    """Normalise the questions as given (order = list order) and give new ones a key. A key the
    instrument already has is kept (it is what exports and findings follow across versions)."""
    errors, cleaned, taken = [], [], set()
    for position, raw in enumerate(questions, start=1):
        text = (raw.get("text") or "").strip()
        kind = raw.get("kind") or K.TEXT
        if not text:
            errors.append(f"Question {position}: enter the question.")
            continue
        if kind not in K.values:
            errors.append(f"Question {position}: choose what kind of answer it takes.")
            continue
        choices = list(dict.fromkeys(
            str(c).strip() for c in (raw.get("choices") or []) if str(c).strip()
        )) if kind == K.CHOICE else []
        if kind == K.CHOICE and len(choices) < 2:
            errors.append(f"Question {position}: a choice question needs at least two choices, one a line.")
        key = (raw.get("key") or "").strip()
        if key and key in taken:
            errors.append(f"Question {position}: this question appears twice.")
            continue
        if not key or key not in known_keys:
            key = _key_for(text, taken | known_keys)
        taken.add(key)
        cleaned.append({
            "key": key,
            "text": text,
            "kind": kind,
            "help_text": (raw.get("help_text") or "").strip()[:300],
            "scale_low_label": (raw.get("scale_low_label") or "").strip()[:60] if kind == K.SCALE else "",
            "scale_high_label": (raw.get("scale_high_label") or "").strip()[:60] if kind == K.SCALE else "",
            "choices": choices,
            "required": bool(raw.get("required")),
        })
    if not cleaned and not errors:
        errors.append("An instrument needs at least one question.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _as_compared(question: Question) -> dict:
    return {"key": question.key, **{f: getattr(question, f) for f in QUESTION_FIELDS}}


def _create_questions(instrument: Instrument, cleaned: list[dict]) -> None:
    questions = [Question(instrument=instrument, order=n, **q) for n, q in enumerate(cleaned, start=1)]
    for question in questions:
        question.full_clean(exclude=["instrument"])
    Question.objects.bulk_create(questions)


@transaction.atomic
def instrument_update(
    *, instrument: Instrument, actor, name: str, questions: list[dict], description: str | None = None
) -> Instrument:
    """Change an instrument's name and questions (each a dict of ``key`` (omit for a new
    question), ``text``, ``kind``, ``help_text``, ``scale_low_label``, ``scale_high_label``,
    ``choices`` (a list) and ``required``, in the order wanted).

    If any interview has answered this version, the change makes a new version (a copy with
    the changes; ``is_current`` moves to it, and stages not yet closed switch to it); the old
    version, and the interviews answered with it, stay exactly as they were. Without answers the
    version is changed in place. Nothing changes when nothing differs. Returns the current
    version. Locks the instrument row, so two leads editing at once make two versions, not a
    muddle."""
    locked = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if not locked.is_current:
        raise ValidationError(
            "This is an old version of the instrument. Change the current version instead."
        )
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the instrument."})
    existing = list(locked.questions.order_by("order", "pk"))
    cleaned = _clean_questions(questions, {q.key for q in existing})
    description = locked.description if description is None else description.strip()
    unchanged = (
        name == locked.name and description == locked.description
        and cleaned == [_as_compared(q) for q in existing]
    )
    if unchanged:
        return locked

    if Answer.objects.filter(question__instrument=locked).exists():
        Instrument.objects.filter(pk=locked.pk).update(is_current=False)
        latest = Instrument.objects.filter(
            organisation_id=locked.organisation_id, family=locked.family
        ).aggregate(v=Max("version"))["v"]
        new = Instrument(
            organisation_id=locked.organisation_id, family=locked.family, version=latest + 1,
            is_current=True, name=name, subject=locked.subject, description=description,
        )
        new.full_clean(validate_constraints=False)
        new.save()
        _create_questions(new, cleaned)
        open_stages = Stage.objects.exclude(status=Stage.Status.CLOSED)
        open_stages.filter(trainee_instrument=locked).update(trainee_instrument=new)
        open_stages.filter(manager_instrument=locked).update(manager_instrument=new)
        return new

    locked.name, locked.description = name, description
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=["name", "description"])
    by_key = {q.key: q for q in existing}
    wanted = {q["key"] for q in cleaned}
    Question.objects.filter(instrument=locked).exclude(key__in=wanted).delete()
    new_questions = []
    for order, data in enumerate(cleaned, start=1):
        question = by_key.get(data["key"])
        if question is None:
            new_questions.append(data)
            continue
        for field, value in data.items():
            setattr(question, field, value)
        question.order = order
        question.full_clean(exclude=["instrument"], validate_constraints=False)
        question.save()
    if new_questions:
        orders = {q["key"]: n for n, q in enumerate(cleaned, start=1)}
        created = [Question(instrument=locked, order=orders[q["key"]], **q) for q in new_questions]
        for question in created:
            question.full_clean(exclude=["instrument"])
        Question.objects.bulk_create(created)
    return locked


def _current_of_family(organisation_id: int, family: str, subject: str) -> Instrument | None:
    if not family:
        return None
    return Instrument.objects.filter(
        organisation_id=organisation_id, family=family, subject=subject, is_current=True
    ).first()


# --- Stages ------------------------------------------------------------------------------------

# A stage's window lies around its cohort's dates: it may open a little before the cohort
# starts (a manager's expectations), and fall due up to a year after its expected end.
STAGE_BEFORE_COHORT = timedelta(weeks=8)
STAGE_AFTER_COHORT = timedelta(weeks=52)
# How long before its opening date a stage may be opened (interviews fall due at once).
STAGE_OPEN_EARLY = timedelta(weeks=4)


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _check_stage(stage: Stage) -> None:
    errors = {}
    if not stage.name.strip():
        errors["name"] = "Enter a name for the stage, for example Mid-way."
    if stage.opens_on and stage.due_on and stage.due_on < stage.opens_on:
        errors["due_on"] = "The due date must be on or after the opening date."
    cohort = stage.cohort
    earliest = cohort.starts_on - STAGE_BEFORE_COHORT
    latest = cohort.ends_on + STAGE_AFTER_COHORT
    if stage.opens_on and stage.opens_on < earliest:
        errors["opens_on"] = (
            f"Opening date must be no earlier than {_day(earliest)}: the cohort starts on "
            f"{_day(cohort.starts_on)}"
        )
    if stage.due_on and stage.due_on > latest and "due_on" not in errors:
        errors["due_on"] = (
            f"Due date must be no later than {_day(latest)}, a year after the cohort's expected "
            f"end ({_day(cohort.ends_on)})"
        )
    organisation_id = stage.cohort.programme.organisation_id
    for field, subject in (("trainee_instrument", Subject.TRAINEE),
                           ("manager_instrument", Subject.MANAGER)):
        instrument = getattr(stage, field)
        if instrument is None:
            continue
        if instrument.organisation_id != organisation_id or instrument.subject != subject:
            errors[field] = f"Choose one of your organisation's {subject} instruments."
    if errors:
        raise ValidationError(errors)
    stage.full_clean(exclude=["cohort", "trainee_instrument", "manager_instrument", "opened_by"])


@transaction.atomic
def stage_create(
    *, cohort: Cohort, actor, name: str, opens_on: date, due_on: date,
    trainee_instrument: Instrument | None = None, manager_instrument: Instrument | None = None,
) -> Stage:
    """Add a stage to a cohort's evaluation (planned: nothing is due until it is opened)."""
    order = (Stage.objects.filter(cohort=cohort).aggregate(m=Max("order"))["m"] or 0) + 1
    stage = Stage(
        cohort=cohort, name=(name or "").strip(), order=order, opens_on=opens_on, due_on=due_on,
        trainee_instrument=trainee_instrument, manager_instrument=manager_instrument,
    )
    _check_stage(stage)
    with set_actor(actor):
        stage.save()
    return stage


@transaction.atomic
def stage_update(
    *, stage: Stage, actor, name: str, opens_on: date, due_on: date,
    trainee_instrument: Instrument | None, manager_instrument: Instrument | None,
) -> Stage:
    """Change a stage's name, dates and instruments. Once a stage is open its interviews exist,
    so its instruments can no longer be changed (change the instrument itself instead)."""
    locked = Stage.objects.select_for_update().select_related("cohort__programme").get(pk=stage.pk)
    if locked.status != Stage.Status.PLANNED and (
        locked.trainee_instrument_id != getattr(trainee_instrument, "pk", None)
        or locked.manager_instrument_id != getattr(manager_instrument, "pk", None)
    ):
        raise ValidationError(
            "This stage has been opened, so its interviews already use these instruments. "
            "Change the instrument itself to ask different questions."
        )
    locked.name, locked.opens_on, locked.due_on = (name or "").strip(), opens_on, due_on
    locked.trainee_instrument, locked.manager_instrument = trainee_instrument, manager_instrument
    _check_stage(locked)
    with set_actor(actor):
        locked.save()
    return locked


def default_plan(cohort: Cohort) -> list[dict]:
    """The stages account 003 describes, dated for this cohort: shortly after starting (4 weeks
    in), mid-way (half the cohort's length) and on qualification (2 weeks before the expected
    end), each due 4 weeks after it opens."""
    length = cohort.ends_on - cohort.starts_on
    window = timedelta(weeks=4)
    plan = [
        ("Start", cohort.starts_on + timedelta(weeks=4), TRAINEE_START),
        ("Mid-way", cohort.starts_on + length / 2, TRAINEE_MIDWAY),
        ("Qualification", cohort.ends_on - timedelta(weeks=2), TRAINEE_QUALIFICATION),
    ]
    return [
        {"name": name, "opens_on": opens, "due_on": opens + window,
         "trainee_family": family, "manager_family": MANAGER}
        for name, opens, family in plan
    ]


def _programme_plan(cohort: Cohort) -> list[dict]:
    return [
        {
            "name": row.name,
            "opens_on": cohort.starts_on + timedelta(weeks=row.weeks_after_start),
            "due_on": cohort.starts_on + timedelta(weeks=row.weeks_after_start + row.window_weeks),
            "trainee_family": row.trainee_instrument_family,
            "manager_family": row.manager_instrument_family,
        }
        for row in ProgrammeStage.objects.filter(programme_id=cohort.programme_id).order_by("order", "pk")
    ]


@transaction.atomic
def stages_create_defaults(*, cohort: Cohort, actor) -> list[Stage]:
    """Set up a cohort's evaluation stages: from its programme's own plan (ProgrammeStage rows)
    if it has one, else the defaults (see ``default_plan``), with the current version of the
    matching instruments (the ready-made ones are given to the organisation first).

    Idempotent: a cohort that already has stages keeps them, and they are returned. Locks the
    cohort row, so two clicks cannot set up two sets."""
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    existing = list(Stage.objects.filter(cohort=cohort).order_by("opens_on", "order", "pk"))
    if existing:
        return existing
    organisation_id = cohort.programme.organisation_id
    ensure_ready_made_instruments(cohort.programme.organisation)
    plan = _programme_plan(cohort) or default_plan(cohort)
    stages = []
    for order, row in enumerate(plan, start=1):
        stage = Stage(
            cohort=cohort, name=row["name"], order=order, opens_on=row["opens_on"],
            due_on=row["due_on"],
            trainee_instrument=_current_of_family(organisation_id, row["trainee_family"], Subject.TRAINEE),
            manager_instrument=_current_of_family(organisation_id, row["manager_family"], Subject.MANAGER),
        )
        _check_stage(stage)
        with set_actor(actor):
            stage.save()
        stages.append(stage)
    return stages


@transaction.atomic
def programme_stage_plan_save(*, programme: Programme, actor, stages: list[dict]) -> list[ProgrammeStage]:
    """Replace the programme's own evaluation plan. Each stage is a dict of ``name``,
    ``weeks_after_start``, ``window_weeks`` and the instrument families for trainees and
    managers (``trainee_instrument_family``, ``manager_instrument_family``; blank for none).
    New cohorts' stages are set up from it; existing cohorts keep theirs. An empty list removes
    the plan (new cohorts get the defaults)."""
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    ensure_ready_made_instruments(programme.organisation)
    families = {
        subject: set(Instrument.objects.filter(
            organisation_id=programme.organisation_id, subject=subject
        ).values_list("family", flat=True))
        for subject in (Subject.TRAINEE, Subject.MANAGER)
    }
    errors, rows = [], []
    for order, raw in enumerate(stages, start=1):
        name = (raw.get("name") or "").strip()
        if not name:
            errors.append(f"Stage {order}: enter a name.")
            continue
        row = ProgrammeStage(
            programme=programme, name=name, order=order,
            weeks_after_start=raw.get("weeks_after_start"),
            window_weeks=raw.get("window_weeks") or 4,
            trainee_instrument_family=raw.get("trainee_instrument_family") or "",
            manager_instrument_family=raw.get("manager_instrument_family") or "",
        )
        for field, subject in (("trainee_instrument_family", Subject.TRAINEE),
                               ("manager_instrument_family", Subject.MANAGER)):
            family = getattr(row, field)
            if family and family not in families[subject]:
                errors.append(f"Stage {order}: choose one of your organisation's {subject} instruments.")
        try:
            row.full_clean(exclude=["programme"])
        except ValidationError as error:
            errors.extend(f"Stage {order}: {m}" for m in error.messages)
            continue
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    ProgrammeStage.objects.filter(programme=programme).delete()
    return ProgrammeStage.objects.bulk_create(rows)


def _trainee_interview(stage: Stage, enrolment: Enrolment, responsible_id: int | None) -> Interview:
    return Interview(
        stage=stage, subject=Subject.TRAINEE, enrolment=enrolment,
        responsible_id=responsible_id, instrument=stage.trainee_instrument,
    )


def _manager_interview(stage: Stage, manager_id: int) -> Interview:
    return Interview(
        stage=stage, subject=Subject.MANAGER, manager_id=manager_id,
        responsible_id=manager_id, instrument=stage.manager_instrument,
    )


def _add_missing(stage: Stage, enrolments: list[Enrolment], actor) -> list[Interview]:
    """The interviews of these enrolments (and their line managers) the stage lacks. The caller
    holds the stage row lock, so nobody else adds the same ones meanwhile."""
    at_stage = Interview.objects.filter(stage=stage)
    have_trainees = set(
        at_stage.filter(subject=Subject.TRAINEE).values_list("enrolment_id", flat=True)
    )
    have_managers = set(
        at_stage.filter(subject=Subject.MANAGER).values_list("manager_id", flat=True)
    )
    created = []
    if stage.trainee_instrument_id:
        for enrolment in enrolments:
            if enrolment.pk not in have_trainees:
                created.append(_trainee_interview(stage, enrolment, stage.opened_by_id))
    if stage.manager_instrument_id:
        for manager_id in dict.fromkeys(e.trainee.line_manager_id for e in enrolments):
            if manager_id and manager_id not in have_managers:
                created.append(_manager_interview(stage, manager_id))
    # In one INSERT, with the audit entries each save would have written (an import or a
    # cohort's stage opening adds hundreds).
    bulk_insert(created)
    audit_log_created(created, actor=actor)
    return created


@transaction.atomic
def stage_open(*, stage: Stage, actor) -> list[Interview]:
    """Open a stage: the interviews that fall due are created, one for each active enrolment
    of the cohort (the trainee interview; the opening lead is responsible for it) and one for
    each distinct line manager of those trainees (the manager is responsible for their own).

    Idempotent: opening an open stage again creates only what is missing (nothing, usually).
    A closed stage cannot be reopened. Locks the stage row. Returns the interviews created."""
    locked = Stage.objects.select_for_update().select_related("cohort__programme").get(pk=stage.pk)
    if locked.status == Stage.Status.CLOSED:
        raise ValidationError("This stage is closed. Add a new stage to hold more interviews.")
    if not (locked.trainee_instrument_id or locked.manager_instrument_id):
        raise ValidationError(
            "Choose the instruments for this stage first: there is nothing to interview with."
        )
    if locked.status == Stage.Status.PLANNED:
        if locked.opens_on - timezone.localdate() > STAGE_OPEN_EARLY:
            raise ValidationError(
                f"This stage's window opens on {_day(locked.opens_on)}, so it cannot be opened "
                "yet (at most 4 weeks early). If it really starts now, change its opening date "
                "first."
            )
        locked.status = Stage.Status.OPEN
        locked.opened_at, locked.opened_by = timezone.now(), actor
        with set_actor(actor):
            locked.save()
    enrolments = list(
        Enrolment.objects.filter(cohort_id=locked.cohort_id, status=Enrolment.Status.ACTIVE)
        .select_related("trainee").order_by("pk")
    )
    created = _add_missing(locked, enrolments, actor)
    stage.status, stage.opened_at, stage.opened_by = locked.status, locked.opened_at, locked.opened_by
    return created


@transaction.atomic
def stage_close(*, stage: Stage, actor) -> Stage:
    """Close a stage: no more reminders and nothing more falls due at it. Interviews not yet
    done stay as they are (they can still be recorded, late)."""
    locked = Stage.objects.select_for_update().get(pk=stage.pk)
    if locked.status != Stage.Status.OPEN:
        raise ValidationError("Only an open stage can be closed.")
    locked.status = Stage.Status.CLOSED
    with set_actor(actor):
        locked.save()
    stage.status = locked.status
    return locked


# --- Enrolments changing: late joiners and withdrawals ---------------------------------------

def _last_actor(enrolment: Enrolment):
    transition = (
        EnrolmentTransition.objects.filter(enrolment=enrolment)
        .select_related("actor").order_by("-at", "-pk").first()
    )
    return transition.actor if transition else None


@transaction.atomic
def interviews_add_for_enrolment(*, enrolment: Enrolment, actor=None) -> list[Interview]:
    """A trainee became active while stages of their cohort are open (a late joiner): give them
    the trainee interview at each open stage, and their line manager a manager interview if
    the stage has none for them yet. The lead who opened the stage is responsible."""
    enrolment = Enrolment.objects.select_related("trainee").get(pk=enrolment.pk)
    if enrolment.status != Enrolment.Status.ACTIVE:
        return []
    actor = actor or _last_actor(enrolment)
    created = []
    stages = Stage.objects.select_for_update().filter(
        cohort_id=enrolment.cohort_id, status=Stage.Status.OPEN
    ).order_by("pk")
    for stage in stages:
        created += _add_missing(stage, [enrolment], actor)
    return created


@transaction.atomic
def interviews_add_for_enrolments(*, cohort_id: int, enrolments: list[Enrolment], actor=None) -> list[Interview]:
    """interviews_add_for_enrolment for many new enrolments of one cohort at once (an import):
    the active ones get the interviews of each open stage, in a constant number of queries.
    The stages first: an import into a new cohort, which has none open, reads no enrolments."""
    stages = list(Stage.objects.select_for_update(of=("self",)).filter(
        cohort_id=cohort_id, status=Stage.Status.OPEN
    ).select_related("trainee_instrument", "manager_instrument").order_by("pk"))
    if not stages:
        return []
    active = list(
        Enrolment.objects.select_related("trainee").filter(
            pk__in=[e.pk for e in enrolments], cohort_id=cohort_id, status=Enrolment.Status.ACTIVE
        ).order_by("pk")
    )
    if not active:
        return []
    created = []
    for stage in stages:
        created += _add_missing(stage, active, actor)
    return created


@transaction.atomic
def interviews_cancel_for_enrolment(*, enrolment: Enrolment, reason: str, actor=None) -> list[Interview]:
    """Cancel (never delete) the trainee's interviews not yet done, keeping why. Their line
    manager's interviews stay: a manager's view of the programme still counts."""
    actor = actor or _last_actor(enrolment)
    interviews = list(
        Interview.objects.select_for_update().filter(
            enrolment_id=enrolment.pk, subject=Subject.TRAINEE, status__in=PENDING
        ).order_by("pk")
    )
    with set_actor(actor):
        for interview in interviews:
            interview.status = Interview.Status.CANCELLED
            interview.cancelled_reason = reason[:200]
            interview.version += 1
            interview.save()
    return interviews


# --- Recording an interview --------------------------------------------------------------------

@transaction.atomic
def interview_start(*, interview: Interview, actor) -> Interview:
    """Recording starts: if the interview's instrument has a newer version and nothing has been
    answered yet, switch the interview to the current version (its version number moves on)."""
    locked = Interview.objects.select_for_update().select_related("instrument").get(pk=interview.pk)
    if locked.instrument.is_current or locked.status not in PENDING or locked.answers.exists():
        return locked
    current = Instrument.objects.filter(
        organisation_id=locked.instrument.organisation_id, family=locked.instrument.family,
        is_current=True,
    ).first()
    if current is None:
        return locked
    locked.instrument = current
    locked.version += 1
    with set_actor(actor):
        locked.save()
    return locked


def _convert(question: Question, raw) -> tuple[str, Decimal | None]:
    """An answer as stored: (value, number). Raises ValidationError with a message for the field."""
    if raw is None:
        return "", None
    if isinstance(raw, bool):
        raw = "yes" if raw else "no"
    text = str(raw).strip()
    if text == "":
        return "", None
    kind = question.kind
    if kind == K.TEXT:
        return text, None
    if kind == K.YES_NO:
        if text.lower() not in ("yes", "no"):
            raise ValidationError("Choose yes or no.")
        return text.lower(), None
    if kind == K.CHOICE:
        if text not in question.choices:
            raise ValidationError("Choose one of the options.")
        return text, None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError("Enter a number, like 3 or 2.5.") from None
    if not number.is_finite() or abs(number) >= Decimal("1e8"):
        raise ValidationError("Enter a number below 100,000,000.")
    if kind == K.SCALE:
        if number != number.to_integral_value() or not 1 <= number <= 5:
            raise ValidationError("Choose a point on the scale from 1 to 5.")
        number = number.to_integral_value()
        return str(int(number)), number
    number = number.quantize(Decimal("0.01"))
    return format(number.normalize(), "f"), number


@transaction.atomic
def interview_save(
    *, interview: Interview, actor, answers: dict[str, object], interviewer=None,
    held_on: date | None = None, consent_to_quote: bool = False, complete: bool = False,
    expected_version: int | None = None,
) -> Interview:
    """Save an interview's answers, as a draft or (``complete=True``) as done.

    ``answers`` maps question keys to values: text; 1-5 for a scale; "yes"/"no" (or a bool);
    a number; one of the choices. Keys not given keep their answer; an empty value clears it.
    A draft needs nothing; completing needs every required question answered, the date it was
    held (not in the future) and an interviewer (default: the actor). Errors are keyed by the
    form fields: ``answer_field_name(key)``, ``held_on``, ``interviewer``.

    Optimistic locking: with ``expected_version`` (the version the form was read at), a save
    after someone else's is refused with StaleEdit. Locks the interview row; bumps its version.
    A done or cancelled interview cannot be changed. Locks the instrument row as well, for the
    length of the save."""
    locked = Interview.objects.select_for_update().select_related(
        "stage__cohort__programme"
    ).get(pk=interview.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(
            "Someone else saved this interview while you were working on it, so your save was "
            "not made. Your answers are still in the form: check them against what was saved "
            "(shown below the form), then save again to keep yours."
        )
    if locked.status not in PENDING:
        raise ValidationError(
            f"This interview is {locked.get_status_display().lower()}, so it can no longer be changed."
        )
    # Lock the instrument too: instrument_update edits an unanswered version in place, so it
    # must not run between our reading its questions and saving the first answers to them.
    Instrument.objects.select_for_update().filter(pk=locked.instrument_id).values_list("pk").get()
    questions = {q.key: q for q in Question.objects.filter(instrument_id=locked.instrument_id)}
    unknown = set(answers) - set(questions)
    if unknown:
        raise ValidationError(f"These are not questions of this interview: {', '.join(sorted(unknown))}.")

    errors: dict[str, list[str]] = {}
    converted = {}
    for key, raw in answers.items():
        try:
            converted[key] = _convert(questions[key], raw)
        except ValidationError as error:
            errors[answer_field_name(key)] = error.messages

    today = timezone.localdate()
    if held_on is not None and held_on > today:
        errors["held_on"] = ["The date the interview was held cannot be in the future."]
    elif held_on is not None:
        starts_on, opens_on = locked.stage.cohort.starts_on, locked.stage.opens_on
        if held_on < min(starts_on, opens_on):
            when = (f"the cohort started ({_day(starts_on)})" if starts_on <= opens_on
                    else f"the stage opened ({_day(opens_on)})")
            errors["held_on"] = [
                f"The date the interview was held cannot be before {when}. Check the date."
            ]
    organisation_id = locked.stage.cohort.programme.organisation_id
    interviewer = interviewer or locked.interviewer or actor
    if interviewer is not None and not Membership.objects.active().filter(
        user_id=interviewer.pk, organisation_id=organisation_id,
        role__in=(Role.TRAINING_LEAD, Role.MANAGER, Role.PLANNER),
    ).exists():
        errors["interviewer"] = ["Choose someone of this organisation as the interviewer."]

    existing = {a.question_id: a for a in Answer.objects.filter(interview=locked)}
    if complete:
        for key, question in questions.items():
            if not question.required:
                continue
            if key in converted:
                value = converted[key][0]
            else:
                value = getattr(existing.get(question.pk), "value", "")
            if value == "" and answer_field_name(key) not in errors:
                errors[answer_field_name(key)] = [
                    f"Answer “{Truncator(question.text).chars(70)}” to complete the interview"
                ]
        if held_on is None:
            errors["held_on"] = errors.get("held_on") or ["Enter the date the interview was held."]
        if interviewer is None:
            errors["interviewer"] = ["Choose who held the interview."]
    if errors:
        raise ValidationError(errors)

    with set_actor(actor):
        for key, (value, number) in converted.items():
            question = questions[key]
            answer = existing.get(question.pk)
            if value == "":
                if answer is not None:
                    answer.delete()
                continue
            if answer is None:
                answer = Answer(interview=locked, question=question)
            elif answer.value == value and answer.number == number:
                continue
            answer.value, answer.number = value, number
            answer.save()
        locked.interviewer = interviewer
        locked.held_on = held_on
        locked.consent_to_quote = bool(consent_to_quote)
        locked.status = Interview.Status.DONE if complete else Interview.Status.DRAFT
        locked.completed_at = timezone.now() if complete else None
        locked.version += 1
        locked.save()
    return locked


