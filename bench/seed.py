"""Synthetic data for the benchmark, written with bulk_create so the large size seeds in
about a minute on two cores.

The rows skip the audited services on purpose (the benchmark measures reading pages, not
writing them), but every row satisfies the models' constraints and the data is shaped like a
running programme: each role has a membership; managers and mentors have trainees; each
programme has a role profile of ``competencies`` items; trainees have evidence (mostly signed
off, with the attainment versions the sign-offs record; some waiting, some returned), learning
contracts with signatures, study sessions (one lost), a review; cohorts have evaluation stages
with interviews whose answers are coded into themes; programmes have milestones, audits and service-user satisfaction.

Each size is its own organisation, so sizes can share one database: pages are scoped to the
acting organisation, so the other size's rows are only extra rows in the tables, as they
would be for another trust on the same server.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from itertools import cycle

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from competencies.models import (
    AttainmentDecision,
    Competency,
    Course,
    Evidence,
    EvidenceClaim,
    EvidenceComment,
    Framework,
    Mapping,
    RoleProfile,
    RoleProfileItem,
    Scale,
)
from competencies.validity import valid_until_for
from evaluations.models import (
    Answer,
    AuditCriterion,
    AuditResult,
    AuditRound,
    AuditTool,
    Coding,
    Instrument,
    Interview,
    ProgrammeStage,
    Question,
    SatisfactionResult,
    Stage,
    Theme,
)
from programmes.models import ClinicalArea, Cohort, Membership, Milestone, Organisation, Partnership, Programme, Role
from reports.models import CaseStudyNarrative
from trainees.models import (
    ContractSignature,
    Enrolment,
    EnrolmentTransition,
    LearningContract,
    ProgressReview,
    StudySession,
    Trainee,
)

BATCH = 2000
WARDS = ("Larch Ward", "Oak Ward", "Ash Ward", "Rowan Ward", "Elm Ward", "Birch Ward")
THEMES = ("Job satisfaction", "Career progression", "Confidence", "Teamwork",
          "Protected study time", "Impact on service users")
STAGES = (("Start", 2), ("Mid-way", 26), ("Qualification", 60))
LEVELS = [{"name": f"Level {n}", "proficient": n >= 3} for n in range(1, 5)]
ANSWER_TEXT = (
    "I feel more confident taking physical observations and escalating early.",
    "Study time is often cancelled when the ward is short of staff.",
    "The team trusts me with more now, and the nurses ask for my help.",
    "I want to go on to the nursing degree after this.",
    "Service users notice that someone has time to explain their care.",
)


@dataclass(frozen=True)
class Size:
    """How much to seed. ``cohorts[p]`` lists the trainee count of each cohort of programme p;
    the featured cohort (the largest) is the one the cohort, matrix and findings pages show."""

    label: str
    cohorts: tuple[tuple[int, ...], ...]
    competencies: int = 60
    evidence_per_trainee: int = 20
    trainees_per_helper: int = 20  # one more manager, mentor and lead for each so many trainees

    @property
    def trainees(self) -> int:
        return sum(sum(p) for p in self.cohorts)

    @property
    def cohort_count(self) -> int:
        return sum(len(p) for p in self.cohorts)


SMALL = Size("small", cohorts=((20, 20),))


def _large() -> Size:
    # 10 programmes, 50 cohorts, 2,000 trainees: programme 1 has 10 cohorts of 40 (the case
    # study of issue 6), programme 2 the 200-trainee cohort of the matrix (issue 4) and three
    # of 50, and the other 1,250 trainees are spread over 36 cohorts of 8 programmes.
    rest = [1250 // 36 + (1 if n < 1250 % 36 else 0) for n in range(36)]
    others = tuple(tuple(rest[n * 36 // 8:(n + 1) * 36 // 8]) for n in range(8))
    return Size("large", cohorts=((40,) * 10, (200, 50, 50, 50)) + others)


LARGE = _large()


@dataclass
class Seeded:
    """What the benchmark needs from a seeded size: who to sign in as, and where to look."""

    size: Size
    organisation: Organisation
    people: dict[str, object] = field(default_factory=dict)  # role -> User
    featured_cohort: Cohort | None = None  # the largest cohort
    featured_programme: Programme | None = None  # the programme of the largest cohort
    case_study_programme: Programme | None = None  # the programme with the most cohorts
    manager_usernames: list[str] = field(default_factory=list)
    mentor_usernames: list[str] = field(default_factory=list)


def _bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH)


@transaction.atomic
def seed(size: Size, *, password: str = "", seed_value: int = 8) -> Seeded:
    """Seed one size as a new organisation (slug ``bench-<label>``). ``password`` (hashed once)
    is given to the six people who sign in; everyone else has an unusable password."""
    rng = random.Random(seed_value)  # noqa: S311  # nosec B311: synthetic data, repeatable per seed
    today = timezone.localdate()
    User = get_user_model()
    label = size.label
    org = Organisation.objects.create(
        name=f"Bench {label.title()} NHS Trust", slug=f"bench-{label}",
        description="Synthetic data for make bench.",
    )
    partner = Organisation.objects.create(
        name=f"Bench {label.title()} University", slug=f"bench-{label}-uni",
        kind=Organisation.Kind.EDUCATION,
    )
    seeded = Seeded(size=size, organisation=org)
    wards = _bulk(ClinicalArea, [ClinicalArea(organisation=org, name=n, setting="Inpatient mental health")
                                 for n in WARDS])

    # People: the six who sign in, then enough managers and mentors for everyone else.
    hashed = make_password(password) if password else make_password(None)
    unusable = make_password(None)
    n_helpers = max(1, size.trainees // size.trainees_per_helper)
    users = [User(username=f"{label}.{role}", first_name=role.replace("_", " ").title(),
                  last_name=label.title(), email=f"{label}.{role}@bench.example", password=hashed)
             for role in Role.values]
    users += [User(username=f"{label}.manager{n:03d}", first_name=f"Manager{n:03d}", last_name="Bench",
                   password=unusable) for n in range(n_helpers)]
    users += [User(username=f"{label}.mentor{n:03d}", first_name=f"Mentor{n:03d}", last_name="Bench",
                   password=unusable) for n in range(n_helpers)]
    users += [User(username=f"{label}.lead{n:03d}", first_name=f"Lead{n:03d}", last_name="Bench",
                   password=unusable) for n in range(n_helpers)]
    users += [User(username=f"{label}.lecturer{n:03d}", first_name=f"Lecturer{n:03d}", last_name="Bench",
                   password=unusable) for n in range(2)]
    users = _bulk(User, users)
    by_name = {u.username: u for u in users}
    seeded.people = {role: by_name[f"{label}.{role}"] for role in Role.values}
    helpers = {kind: [by_name[f"{label}.{kind}{n:03d}"] for n in range(n_helpers)]
               for kind in ("manager", "mentor", "lead")}
    other_lecturers = [by_name[f"{label}.lecturer{n:03d}"] for n in range(2)]
    seeded.manager_usernames = [u.username for u in helpers["manager"]]
    seeded.mentor_usernames = [u.username for u in helpers["mentor"]]
    memberships = [Membership(user=seeded.people[role], organisation=org, role=role) for role in Role.values]
    memberships += [Membership(user=u, organisation=org, role=Role.MANAGER) for u in helpers["manager"]]
    memberships += [Membership(user=u, organisation=org, role=Role.MENTOR) for u in helpers["mentor"]]
    memberships += [Membership(user=u, organisation=org, role=Role.TRAINING_LEAD) for u in helpers["lead"]]
    memberships += [Membership(user=u, organisation=partner, role=Role.LECTURER) for u in other_lecturers]
    memberships.append(Membership(user=seeded.people[Role.LECTURER], organisation=partner, role=Role.LECTURER))
    _bulk(Membership, memberships)
    lead = seeded.people[Role.TRAINING_LEAD]

    # Competencies: the trust's own framework (the role's competencies) and a national-style
    # one it maps to; a course that covers some of them.
    scale = Scale.objects.create(name=f"{label} four levels", levels=LEVELS, default_index=0)
    own = Framework.objects.create(organisation=org, id_number=f"{label}-role", short_name="Role competencies",
                                   version="1", scale=scale, taxonomies=["domain", "competency"])
    national = Framework.objects.create(organisation=org, id_number=f"{label}-care", short_name="Care standards",
                                        version="2025", scale=scale, taxonomies=["standard"])
    comps = _bulk(Competency, [
        Competency(framework=own, id_number=f"RC{n:03d}", short_name=f"Role competency {n}",
                   description=f"Demonstrates role competency {n} in practice.", depth=1, sort_order=n,
                   is_delegated_task=n % 10 == 0, reassessment_months=12 if n % 10 == 0 else None)
        for n in range(size.competencies)])
    standards = _bulk(Competency, [
        Competency(framework=national, id_number=f"CS{n:02d}", short_name=f"Care standard {n}", sort_order=n)
        for n in range(15)])
    _bulk(Mapping, [Mapping(organisation=org, source=c, target=standards[i % len(standards)],
                            strength=Mapping.Strength.PARTIAL if i % 3 else Mapping.Strength.EQUIVALENT,
                            created_by=lead)
                    for i, c in enumerate(comps[: size.competencies // 2])])
    course = Course.objects.create(organisation=org, name="Clinical skills week", provider="Bench University")
    course.covers.set(comps[::4])
    tool = AuditTool.objects.create(organisation=org, name="Physical healthcare assessment audit")
    criteria = _bulk(AuditCriterion, [AuditCriterion(tool=tool, order=n, text=f"Criterion {n + 1} recorded")
                                      for n in range(5)])
    instruments = {}
    for subject in ("trainee", "manager"):
        inst = Instrument.objects.create(organisation=org, family=f"{subject}-interview",
                                         name=f"{subject.title()} interview", subject=subject)
        questions = _bulk(Question, [
            Question(instrument=inst, key=f"q{n}", order=n, text=f"Question {n + 1} for the {subject}?",
                     kind=Question.Kind.SCALE if n == 0 else Question.Kind.TEXT,
                     scale_low_label="Not at all" if n == 0 else "", scale_high_label="Very" if n == 0 else "")
            for n in range(5)])
        instruments[subject] = (inst, questions)

    # Programmes, each with milestones, a role profile, stages, themes, audits, satisfaction.
    programmes, cohorts_plan = [], []
    for p, _sizes in enumerate(size.cohorts):
        programmes.append(Programme(
            organisation=org, title=f"{label.title()} programme {p + 1}: assistant practitioner",
            description="Developing an inpatient assistant practitioner role.",
            setting="Inpatient mental health", status=Programme.Status.RUNNING,
            intended_benefits=["Improve access to physical healthcare", "A career pathway for HCSWs"],
            education_route=Programme.EducationRoute.FOUNDATION_DEGREE,
            education_detail="Foundation degree, Bench University"))
    programmes = _bulk(Programme, programmes)
    for programme in programmes:
        Partnership.objects.create(programme=programme, organisation=partner, status="accepted")
        programme.clinical_areas.set(wards)
    _bulk(Milestone, [Milestone(programme=pr, title=f"Milestone {m + 1}", due_on=today + timedelta(days=60 * m - 300),
                                done_on=(today + timedelta(days=60 * m - 295)) if m < 4 else None)
                      for pr in programmes for m in range(8)])
    _bulk(CaseStudyNarrative, [CaseStudyNarrative(
        programme=pr, organisation_text="A synthetic mental health trust.", what_we_did_and_why="Built a new role.",
        how_we_did_it="With a foundation degree and protected study time.", results_and_next_steps="More cohorts.",
        tips_for_others="Protect study time.", contact_details="bench@example.org", updated_by=lead)
        for pr in programmes])
    profiles = _bulk(RoleProfile, [RoleProfile(programme=pr, summary="The role's competencies.") for pr in programmes])
    _bulk(RoleProfileItem, [
        RoleProfileItem(profile=prof, competency=c, sort_order=i, target_level=2 + (i % 2),
                        kind=RoleProfileItem.Kind.CORE if i % 3 else RoleProfileItem.Kind.ROLE_SPECIFIC)
        for prof in profiles for i, c in enumerate(comps)])
    _bulk(ProgrammeStage, [ProgrammeStage(programme=pr, name=name, order=o, weeks_after_start=weeks,
                                          trainee_instrument_family="trainee-interview",
                                          manager_instrument_family="manager-interview")
                           for pr in programmes for o, (name, weeks) in enumerate(STAGES)])
    themes = _bulk(Theme, [Theme(programme=pr, name=t) for pr in programmes for t in THEMES])
    themes_of = {pr.pk: [t for t in themes if t.programme_id == pr.pk] for pr in programmes}
    rounds = _bulk(AuditRound, [
        AuditRound(tool=tool, programme=pr, clinical_area=w, stage_name=name,
                   held_on=today - timedelta(days=300 - 100 * o), records_sampled=10, auditor=lead)
        for pr in programmes for w in wards[:3] for o, (name, _) in enumerate(STAGES)])
    _bulk(AuditResult, [AuditResult(round=r, criterion=c, records_met=rng.randint(4, 10))
                        for r in rounds for c in criteria])
    _bulk(SatisfactionResult, [
        SatisfactionResult(programme=pr, clinical_area=w, period_start=today - timedelta(days=90 * (q + 1)),
                           period_end=today - timedelta(days=90 * q + 1), responses=30,
                           score=Decimal(70 + q * 3 + rng.randint(0, 5)), entered_by=lead)
        for pr in programmes for w in wards[:3] for q in range(4)])

    # Cohorts and their evaluation stages.
    cohorts = []
    for pr, sizes in zip(programmes, size.cohorts, strict=True):
        for n, count in enumerate(sizes):
            start = today - timedelta(days=200 + 14 * n)
            cohorts.append(Cohort(programme=pr, name=f"Cohort {n + 1}", intake_number=n + 1,
                                  starts_on=start, ends_on=start + timedelta(days=600)))
            cohorts_plan.append(count)
    cohorts = _bulk(Cohort, cohorts)
    lecturer = seeded.people[Role.LECTURER]
    stages = _bulk(Stage, [
        Stage(cohort=c, name=name, order=o, opens_on=c.starts_on + timedelta(weeks=weeks),
              due_on=c.starts_on + timedelta(weeks=weeks + 4),
              status=(Stage.Status.CLOSED if o == 0 else Stage.Status.OPEN if o == 1 else Stage.Status.PLANNED),
              trainee_instrument=instruments["trainee"][0], manager_instrument=instruments["manager"][0],
              opened_at=timezone.now() if o < 2 else None, opened_by=lead if o < 2 else None)
        for c in cohorts for o, (name, weeks) in enumerate(STAGES)])
    stages_of = {c.pk: [s for s in stages if s.cohort_id == c.pk] for c in cohorts}

    featured = max(range(len(cohorts)), key=lambda i: cohorts_plan[i])
    seeded.featured_cohort = cohorts[featured]
    seeded.featured_programme = seeded.featured_cohort.programme
    seeded.case_study_programme = max(programmes, key=lambda pr: sum(1 for c in cohorts if c.programme_id == pr.pk))
    # The lecturer who signs in teaches the featured programme; the others the rest.
    for cohort in cohorts:
        taught_by = lecturer if cohort.programme_id == seeded.featured_programme.pk else other_lecturers[cohort.pk % 2]
        cohort.lecturers.add(taught_by)

    # Trainees: the featured cohort's are managed and mentored by the manager and mentor who
    # sign in (so their pages grow with the size); everyone else's by the helpers.
    manager, mentor = seeded.people[Role.MANAGER], seeded.people[Role.MENTOR]
    trainees, placement = [], []
    helper_managers, helper_mentors = cycle(helpers["manager"]), cycle(helpers["mentor"])
    number = 0
    for i, (cohort, count) in enumerate(zip(cohorts, cohorts_plan, strict=True)):
        for _ in range(count):
            number += 1
            mine = i == featured
            trainees.append(Trainee(
                organisation=org, first_name=f"Trainee{number:05d}", last_name=f"Surname{number % 97:02d}",
                email=f"t{number:05d}@bench.example", employee_number=f"B{number:06d}",
                band="3", job_title="Healthcare support worker", clinical_area=wards[number % len(wards)],
                line_manager=manager if mine else next(helper_managers),
                mentor=mentor if mine else next(helper_mentors)))
            placement.append(cohort)
    first_featured = placement.index(seeded.featured_cohort)
    trainees[first_featured].user = seeded.people[Role.TRAINEE]
    trainees = _bulk(Trainee, trainees)
    enrolments = _bulk(Enrolment, [
        Enrolment(trainee=t, cohort=c, enrolled_on=c.starts_on,
                  status=Enrolment.Status.WITHDRAWN if n % 25 == 24 else Enrolment.Status.ACTIVE,
                  ended_on=today - timedelta(days=20) if n % 25 == 24 else None)
        for n, (t, c) in enumerate(zip(trainees, placement, strict=True))])
    _bulk(EnrolmentTransition, [EnrolmentTransition(enrolment=e, from_status="", to_status="active",
                                                    reason="Enrolled", actor=lead) for e in enrolments])
    contracts = _bulk(LearningContract, [LearningContract(
        enrolment=e, trainee_expectations="Attend study days.", mentor_expectations="Assess evidence.",
        manager_expectations="Protect study time.", lecturer_expectations="Teach and review.")
        for e in enrolments])
    signatures = []
    for n, (contract, trainee) in enumerate(zip(contracts, trainees, strict=True)):
        signatures.append(ContractSignature(contract=contract, party="lecturer", signed_by=lecturer))
        if n % 3:
            signatures.append(ContractSignature(contract=contract, party="manager", signed_by=trainee.line_manager))
        if n % 2:
            signatures.append(ContractSignature(contract=contract, party="mentor", signed_by=trainee.mentor))
    _bulk(ContractSignature, signatures)
    sessions, reviews = [], []
    for n, (e, t) in enumerate(zip(enrolments, trainees, strict=True)):
        for k in range(3):
            lost = k == 2
            sessions.append(StudySession(
                enrolment=e, date=e.enrolled_on + timedelta(days=7 * (k + 1)),
                hours=Decimal("7.5") if n % 4 else Decimal("3.0"),
                outcome=StudySession.Outcome.LOST if lost else StudySession.Outcome.TAKEN,
                lost_reason=StudySession.LostReason.WARD_STAFFING if lost else "",
                recorded_by=t.line_manager))
        reviews.append(ProgressReview(enrolment=e, held_on=today - timedelta(days=30 + n % 80),
                                      notes="On track; more observations needed.", recorded_by=t.line_manager))
    _bulk(StudySession, sessions)
    _bulk(ProgressReview, reviews)

    # Evidence: each trainee's items claim three competencies each, mostly signed off.
    evidence, claim_plan = [], []
    kinds = [k for k, _ in Evidence.Kind.choices]
    now = timezone.now()
    per = size.evidence_per_trainee
    for t in trainees:
        for k in range(per):
            status = (Evidence.Status.SUBMITTED if k == per - 1 else
                      Evidence.Status.RETURNED if k == per - 2 else Evidence.Status.SIGNED_OFF)
            evidence.append(Evidence(
                trainee=t, title=f"Evidence {k + 1}", kind=kinds[k % len(kinds)],
                occurred_on=today - timedelta(days=3 * (per - k)), description="Observed in practice.",
                status=status, submitted_by=t.user or lead,
                assessed_by=t.mentor if status != Evidence.Status.SUBMITTED else None,
                assessed_at=now - timedelta(days=per - k) if status != Evidence.Status.SUBMITTED else None))
            claim_plan.append([comps[(k * 3 + j) % len(comps)] for j in range(3)])
    evidence = _bulk(Evidence, evidence)
    _bulk(EvidenceClaim, [
        EvidenceClaim(evidence=ev, competency=c,
                      level_awarded=(1 + (ev.pk + c.pk) % 3) if ev.status == Evidence.Status.SIGNED_OFF else None)
        for ev, claimed in zip(evidence, claim_plan, strict=True) for c in claimed])
    # Attainment is read from its versions, not the claims: each signed-off claim records one,
    # as evidence_sign_off does (a sign-off at the profile's target or above, else progress
    # below it; none for a lower level than the one already current).
    target_of = {c.pk: 2 + (i % 2) for i, c in enumerate(comps)}
    current_level, decisions = {}, []
    for ev, claimed in zip(evidence, claim_plan, strict=True):
        if ev.status != Evidence.Status.SIGNED_OFF:
            continue
        for c in claimed:
            level, target = 1 + (ev.pk + c.pk) % 3, target_of[c.pk]
            if current_level.get((ev.trainee_id, c.pk), -1) > level:
                continue
            current_level[(ev.trainee_id, c.pk)] = level
            at_target = level >= target
            decisions.append(AttainmentDecision(
                trainee_id=ev.trainee_id, competency=c, evidence=ev, level=level, target_level=target,
                kind=AttainmentDecision.Kind.SIGNED_OFF if at_target else AttainmentDecision.Kind.PROGRESS,
                decided_by=ev.assessed_by, assessor_organisation_id=ev.trainee.organisation_id,
                decided_at=ev.assessed_at,
                valid_until=valid_until_for(c, timezone.localtime(ev.assessed_at).date()) if at_target else None))
    _bulk(AttainmentDecision, decisions)
    _bulk(EvidenceComment, [
        EvidenceComment(evidence=ev, author=ev.assessed_by or lead,
                        kind=EvidenceComment.Kind.SIGNED_OFF if ev.status == Evidence.Status.SIGNED_OFF
                        else EvidenceComment.Kind.RETURNED, text="Well evidenced." if ev.status == "signed_off"
                        else "Add what you did next.")
        for ev in evidence if ev.status != Evidence.Status.SUBMITTED])

    # Interviews: every trainee at the closed and the open stage (done at the closed one, due
    # at the open one), every manager once per open or closed stage; answers coded with themes.
    trainee_inst, trainee_qs = instruments["trainee"]
    manager_inst, manager_qs = instruments["manager"]
    interviews, answer_plan = [], []
    # The lead who signs in evaluates the featured cohort; helper leads the others.
    evaluators = cycle(helpers["lead"])
    evaluator_of = {c.pk: lead if c.pk == seeded.featured_cohort.pk else next(evaluators) for c in cohorts}
    for e, _t in zip(enrolments, trainees, strict=True):
        closed, opened = stages_of[e.cohort_id][0], stages_of[e.cohort_id][1]
        evaluator = evaluator_of[e.cohort_id]
        interviews.append(Interview(stage=closed, subject="trainee", enrolment=e, responsible=evaluator,
                                    instrument=trainee_inst, status=Interview.Status.DONE, interviewer=evaluator,
                                    held_on=closed.opens_on + timedelta(days=3), consent_to_quote=e.pk % 2 == 0,
                                    completed_at=now))
        answer_plan.append(trainee_qs)
        interviews.append(Interview(stage=opened, subject="trainee", enrolment=e, responsible=evaluator,
                                    instrument=trainee_inst, status=Interview.Status.DUE))
        answer_plan.append(())
    managers_of = {}
    for e, t in zip(enrolments, trainees, strict=True):
        managers_of.setdefault(e.cohort_id, set()).add(t.line_manager)
    for cohort_id, cohort_managers in managers_of.items():
        closed, opened = stages_of[cohort_id][0], stages_of[cohort_id][1]
        for m in sorted(cohort_managers, key=lambda u: u.pk):
            interviews.append(Interview(stage=closed, subject="manager", manager=m, responsible=m,
                                        instrument=manager_inst, status=Interview.Status.DONE,
                                        held_on=closed.opens_on + timedelta(days=5), consent_to_quote=True,
                                        completed_at=now))
            answer_plan.append(manager_qs)
            interviews.append(Interview(stage=opened, subject="manager", manager=m, responsible=m,
                                        instrument=manager_inst, status=Interview.Status.DUE))
            answer_plan.append(())
    interviews = _bulk(Interview, interviews)
    answers = _bulk(Answer, [
        Answer(interview=iv, question=q, value="4" if q.kind == Question.Kind.SCALE else ANSWER_TEXT[
            (iv.pk + q.order) % 5
        ],
               number=Decimal(4) if q.kind == Question.Kind.SCALE else None)
        for iv, qs in zip(interviews, answer_plan, strict=True) for q in qs])
    programme_of_stage = {s.pk: s.cohort.programme_id for s in stages}
    interview_by_pk = {iv.pk: iv for iv in interviews}
    codings = []
    for a in answers:
        if a.value == "4":
            continue
        iv = interview_by_pk[a.interview_id]
        options = themes_of[programme_of_stage[iv.stage_id]]
        theme = options[(a.pk * 7) % len(options)]
        codings.append(Coding(answer=a, theme=theme, excerpt=a.value[:60], is_quote=a.pk % 5 == 0, coded_by=lead))
    _bulk(Coding, codings)
    return seeded
