"""Reads for subject access and erasure: who may act, and everything Ladder holds on a trainee.

``subject_access_record`` gathers the whole record in a fixed number of queries, however much
history the person has (tests/privacy/test_query_counts.py pins it at two sizes). It returns
plain data (dicts of field values), so the JSON, the PDF and the erasure all read the same
thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.db.models import FileField, Model, Q
from django.http import Http404

from competencies.models import (
    AttainmentDecision,
    Evidence,
    EvidenceClaim,
    EvidenceComment,
    EvidenceFile,
    SelfAssessment,
)
from core.audit import history_for
from core.drafts import drafts_about
from evaluations.models import Answer, Coding, Interview
from programmes.models import Membership
from reports.models import ReportJob
from trainees.models import (
    ContractSignature,
    Enrolment,
    EnrolmentTransition,
    LearningContract,
    ProgressReview,
    StudySession,
    Trainee,
)
from trainees.selectors import get_trainee_for

from .models import PrivacyEvent

User = get_user_model()

FORMAT_VERSION = 1  # bump when the shape of the export changes, so readers can tell

# Never exported: a password hash is not information about the person, only a risk.
USER_FIELDS = ("id", "username", "first_name", "last_name", "email", "is_active", "date_joined", "last_login")
# Other people named in the record (managers, assessors...): who they are, not their details.
OTHER_PERSON_FIELDS = ("id", "username", "first_name", "last_name")


def get_trainee_for_privacy(*, membership: Membership | None, pk) -> Trainee:
    """The trainee, for a training lead of their organisation: 404 for other organisations'
    ids, 403 for other roles (subject access and erasure are the lead's duty)."""
    return get_trainee_for(membership=membership, pk=pk, write=True)


def privacy_events_of(*, trainee: Trainee) -> list[PrivacyEvent]:
    return list(PrivacyEvent.objects.filter(trainee=trainee).select_related("actor"))


def get_export_for(*, trainee: Trainee, pk) -> PrivacyEvent:
    """A finished export of this trainee (the caller has checked the trainee), or 404."""
    try:
        return PrivacyEvent.objects.exclude(file="").get(
            pk=pk, trainee=trainee, kind=PrivacyEvent.Kind.EXPORT, status=PrivacyEvent.Status.DONE,
        )
    except PrivacyEvent.DoesNotExist as exc:
        raise Http404("No such export, or it is not ready.") from exc


def row(obj: Model, *, only: tuple[str, ...] | None = None) -> dict:
    """A model row as plain values, keyed by column name (``cohort_id``, not ``cohort``) in the
    model's field order, so every export of the same kind of row has the same keys."""
    data = {}
    for model_field in obj._meta.concrete_fields:
        if only is not None and model_field.name not in only:
            continue
        value = getattr(obj, model_field.attname)
        if isinstance(model_field, FileField):
            value = value.name or ""
        data[model_field.attname] = value
    return data


def log_entry_row(entry: LogEntry) -> dict:
    return {
        "id": entry.pk,
        "timestamp": entry.timestamp,
        "action": entry.get_action_display(),
        "record_type": f"{entry.content_type.app_label}.{entry.content_type.model}",
        "record_id": entry.object_pk,
        "record": entry.object_repr,
        "changes": entry.changes_dict,
        "actor_id": entry.actor_id,
    }


@dataclass
class SubjectRecord:
    """Everything held on one trainee. ``data`` is what record.json holds; ``files`` the
    evidence files themselves (EvidenceFile rows), which the archive carries beside it."""

    trainee: Trainee
    data: dict
    files: list[EvidenceFile] = field(default_factory=list)
    audit_entries: list[LogEntry] = field(default_factory=list)

    def count(self, key: str) -> int:
        return len(self.data[key])


def _ids(rows) -> list[int]:
    return [r.pk for r in rows]


def subject_access_record(*, trainee: Trainee) -> SubjectRecord:
    """Everything Ladder holds on the trainee: their record and login, memberships, enrolments
    with status history, contracts and signatures, study time, reviews, evidence (claims, files,
    comments), interviews about them (and, if they manage, of them) with answers and the themes
    coded on them, report jobs about them, earlier exports and erasures, login attempts, drafts
    they saved and drafts others saved about them, and the audit trail of all those records and
    of what they changed themselves.

    27 queries whatever the size of the record (fewer without a login)."""
    trainee = Trainee.objects.select_related("organisation", "clinical_area").get(pk=trainee.pk)
    user = User.objects.filter(pk=trainee.user_id).first() if trainee.user_id else None

    memberships = list(Membership.objects.filter(user=user).select_related("organisation")) if user else []
    enrolments = list(
        Enrolment.objects.filter(trainee=trainee).select_related("cohort__programme").order_by("enrolled_on", "pk")
    )
    transitions = list(EnrolmentTransition.objects.filter(enrolment__trainee=trainee).order_by("at", "pk"))
    contracts = list(LearningContract.objects.filter(enrolment__trainee=trainee).order_by("pk"))
    signatures = list(
        ContractSignature.objects.filter(contract__enrolment__trainee=trainee).order_by("signed_at", "pk")
    )
    sessions = list(StudySession.objects.filter(enrolment__trainee=trainee).order_by("date", "pk"))
    reviews = list(ProgressReview.objects.filter(enrolment__trainee=trainee).order_by("held_on", "pk"))
    evidence = list(Evidence.objects.filter(trainee=trainee).order_by("occurred_on", "pk"))
    claims = list(
        EvidenceClaim.objects.filter(evidence__trainee=trainee).select_related("competency__framework").order_by("pk")
    )
    files = list(EvidenceFile.objects.filter(evidence__trainee=trainee).order_by("pk"))
    comments = list(EvidenceComment.objects.filter(evidence__trainee=trainee).order_by("created_at", "pk"))
    self_assessments = list(SelfAssessment.objects.filter(trainee=trainee).order_by("pk"))
    decisions = list(AttainmentDecision.objects.filter(trainee=trainee).order_by("pk"))
    about_them = Q(enrolment__trainee=trainee) | (Q(manager=user) if user else Q(pk__in=[]))
    interviews = list(
        Interview.objects.filter(about_them).select_related("stage", "instrument").order_by("stage__opens_on", "pk")
    )
    answers = list(
        Answer.objects.filter(interview__in=_ids(interviews))
        .select_related("question")
        .order_by("interview_id", "question__order", "pk")
    )
    codings = list(Coding.objects.filter(answer__in=_ids(answers)).select_related("theme").order_by("pk"))
    report_jobs = list(ReportJob.objects.filter(trainee=trainee).order_by("requested_at", "pk"))
    events = list(PrivacyEvent.objects.filter(trainee=trainee).order_by("at", "pk"))
    drafts = list(
        drafts_about(user_pk=trainee.user_id, trainee_pk=trainee.pk, enrolment_pks=_ids(enrolments))
        .order_by("updated_at", "pk")
    )
    login_attempts, login_failures, logins = [], [], []
    if user:
        login_attempts = list(AccessAttempt.objects.filter(username=user.username).order_by("pk"))
        login_failures = list(AccessFailureLog.objects.filter(username=user.username).order_by("pk"))
        logins = list(AccessLog.objects.filter(username=user.username).order_by("pk"))

    audit_entries = list(history_for(trainee, related={
        Enrolment: _ids(enrolments), LearningContract: _ids(contracts),
        ContractSignature: _ids(signatures), StudySession: _ids(sessions),
        ProgressReview: _ids(reviews), Evidence: _ids(evidence), EvidenceClaim: _ids(claims),
        EvidenceFile: _ids(files), EvidenceComment: _ids(comments), Interview: _ids(interviews),
        Answer: _ids(answers), Coding: _ids(codings), Membership: _ids(memberships),
        SelfAssessment: _ids(self_assessments), AttainmentDecision: _ids(decisions),
        User: [user.pk] if user else [],
    }))
    changes_by_them = list(
        LogEntry.objects.filter(actor=user).select_related("content_type").order_by("-timestamp", "-pk")
    ) if user else []

    # Everyone the record names (managers, mentors, assessors, interviewers...), in one query.
    named = {trainee.line_manager_id, trainee.mentor_id}
    named |= {t.actor_id for t in transitions} | {s.signed_by_id for s in signatures}
    named |= {s.recorded_by_id for s in sessions} | {r.recorded_by_id for r in reviews}
    named |= {e.submitted_by_id for e in evidence} | {e.assessed_by_id for e in evidence}
    named |= {c.author_id for c in comments} | {c.coded_by_id for c in codings}
    named |= {d.decided_by_id for d in decisions}
    named |= {i.interviewer_id for i in interviews} | {i.responsible_id for i in interviews}
    named |= {e.actor_id for e in audit_entries} | {e.actor_id for e in events}
    named |= {j.requested_by_id for j in report_jobs} | {d.user_id for d in drafts}
    named.discard(None)
    if user:
        named.discard(user.pk)
    people = list(User.objects.filter(pk__in=named).order_by("pk"))

    trainee_data = row(trainee)
    trainee_data["organisation"] = trainee.organisation.name
    trainee_data["clinical_area"] = trainee.clinical_area.name if trainee.clinical_area else ""
    data = {
        "format": "ladder-subject-access",
        "format_version": FORMAT_VERSION,
        "trainee": trainee_data,
        "login": row(user, only=USER_FIELDS) if user else None,
        "memberships": [
            {**row(m), "organisation": m.organisation.name, "role_label": m.get_role_display()} for m in memberships
        ],
        "enrolments": [
            {**row(e), "programme": e.cohort.programme.title, "cohort": e.cohort.name} for e in enrolments
        ],
        "enrolment_status_history": [row(t) for t in transitions],
        "learning_contracts": [row(c) for c in contracts],
        "contract_signatures": [row(s) for s in signatures],
        "study_sessions": [row(s) for s in sessions],
        "progress_reviews": [row(r) for r in reviews],
        "evidence": [row(e) for e in evidence],
        "evidence_claims": [
            {**row(c), "competency": str(c.competency), "framework": str(c.competency.framework)} for c in claims
        ],
        "evidence_files": [{**row(f), "archive_path": archive_path(f)} for f in files],
        "evidence_comments": [row(c) for c in comments],
        "self_assessments": [row(a) for a in self_assessments],
        "competence_decisions": [row(d) for d in decisions],
        "interviews": [
            {**row(i), "stage": i.stage.name, "instrument": str(i.instrument)} for i in interviews
        ],
        "interview_answers": [
            {**row(a), "question_key": a.question.key, "question": a.question.text} for a in answers
        ],
        "themes_coded": [{**row(c), "theme": c.theme.name} for c in codings],
        "report_jobs": [row(j) for j in report_jobs],
        "privacy_events": [row(e) for e in events],
        # Words typed but never submitted: theirs, and others' about them (a manager's review).
        "drafts": [{**row(d), "typed_by_them": d.user_id == trainee.user_id} for d in drafts],
        "login_attempts": [row(a) for a in login_attempts],
        "login_failures": [row(a) for a in login_failures],
        "logins": [row(a) for a in logins],
        "audit_trail": [log_entry_row(e) for e in audit_entries],
        "changes_they_made": [log_entry_row(e) for e in changes_by_them],
        "people_named": [row(p, only=OTHER_PERSON_FIELDS) for p in people],
    }
    return SubjectRecord(trainee=trainee, data=data, files=files, audit_entries=audit_entries)


def archive_path(evidence_file: EvidenceFile) -> str:
    """Where the file sits in the export's ZIP: by evidence and file id, so two files with the
    same original name never collide."""
    name = evidence_file.original_name.replace("/", "_").replace("\\", "_").strip(". ") or "file"
    return f"evidence/{evidence_file.evidence_id}/{evidence_file.pk}-{name}"
