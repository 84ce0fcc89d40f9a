"""Subject access export and erasure of a trainee. Callers check the actor is a training lead of
the trainee's organisation (selectors.get_trainee_for_privacy).

Erasure anonymises rather than deletes: the rows stay, so cohort sizes, completions,
progression, attainment, theme counts and study-time totals are the same afterwards; what
identifies the person (names, email, username, employee number, free text written about or by
them, quotes, evidence files) is replaced or removed, the login is closed, and the audit trail
of their records is scrubbed of the old values. The erasure itself is recorded (who, when),
never what was erased.
"""

from __future__ import annotations

import logging
from datetime import datetime

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from competencies.models import (
    AttainmentDecision,
    Evidence,
    EvidenceComment,
    EvidenceFile,
    SelfAssessment,
)
from core.drafts import drafts_about_delete
from core.jobs import enqueue_on_commit
from credentials.services import credentials_revoke_for_trainee
from evaluations.models import Answer, Coding, Interview, Question
from programmes.models import Membership
from reports.models import ReportJob
from reports.tasks import stuck_after
from trainees.models import (
    Enrolment,
    EnrolmentTransition,
    LearningContract,
    ProgressReview,
    StudySession,
    Trainee,
)

from .export import build_archive
from .models import PrivacyEvent
from .selectors import SubjectRecord, subject_access_record

CREDENTIALS_ERASED = "Revoked: the person's data was erased at their request."

log = logging.getLogger(__name__)
User = get_user_model()

ERASED = "[erased]"

# Fields whose values identify the person, per audited model: emptied in the rows and in the
# audit trail's record of past changes. Everything else (dates, statuses, levels, hours,
# scores, links between rows) stays, because the programme's figures are built from it.
PERSONAL_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Trainee: ("first_name", "last_name", "email", "employee_number"),
    LearningContract: (
        "trainee_expectations", "mentor_expectations", "manager_expectations", "lecturer_expectations",
    ),
    StudySession: ("note",),
    ProgressReview: ("notes", "actions"),
    Evidence: ("title", "description"),
    EvidenceFile: ("original_name", "file"),
    EvidenceComment: ("text",),
    Interview: ("cancelled_reason",),
    Answer: ("value",),
    Coding: ("excerpt",),
    SelfAssessment: ("confidence", "assessor_comment"),
    AttainmentDecision: ("comment",),
}


def _summary(record: SubjectRecord) -> str:
    counts = {
        key: record.count(key) for key in ("enrolments", "evidence", "evidence_files", "interviews", "audit_trail")
    }
    return ", ".join(f"{n} {key.replace('_', ' ')}" for key, n in counts.items())


def export_file_name(trainee: Trainee, exported_at: datetime) -> str:
    # The trainee's id, not their name: file names end up in download folders and mail logs.
    return f"subject-access-trainee-{trainee.pk}-{timezone.localtime(exported_at):%Y-%m-%d}.zip"


QUEUE_UNAVAILABLE = (
    "The export queue is unavailable just now, so the export could not be started. Nothing was "
    "lost: try again in a few minutes."
)


def subject_access_export_request(*, trainee: Trainee, actor) -> PrivacyEvent:
    """Record that ``actor`` asked for everything Ladder holds on the trainee (who, whom, when)
    and queue the worker that puts the ZIP together (export_build) after commit. Raises
    QueueUnavailable, with the event marked failed, when the broker cannot be reached."""
    from .tasks import build_export

    with transaction.atomic():
        event = PrivacyEvent(
            organisation_id=trainee.organisation_id, trainee=trainee, kind=PrivacyEvent.Kind.EXPORT,
            actor=actor, status=PrivacyEvent.Status.QUEUED,
        )
        event.full_clean()
        event.save()
        enqueue_on_commit(
            build_export, args=[event.pk], what=f"Subject access export {event.pk}",
            unavailable_message=QUEUE_UNAVAILABLE,
            on_unavailable=lambda: _export_failed(event.pk, QUEUE_UNAVAILABLE),
        )
    log.info("Subject access export of trainee %s requested by user %s", trainee.pk, actor.pk)
    return event


def export_build(*, event_id: int) -> PrivacyEvent | None:
    """Put the export together: record.json, record.pdf and the evidence files in a ZIP,
    stored under MEDIA_ROOT with a random name. Idempotent: a finished export is left alone
    (returns None). Not one long transaction: the status changes are seen while it works."""
    claimed = PrivacyEvent.objects.filter(
        pk=event_id, kind=PrivacyEvent.Kind.EXPORT,
        status__in=[PrivacyEvent.Status.QUEUED, PrivacyEvent.Status.RUNNING],
    ).update(status=PrivacyEvent.Status.RUNNING)
    if not claimed:
        return None
    event = PrivacyEvent.objects.select_related("trainee").get(pk=event_id)
    try:
        record = subject_access_record(trainee=event.trainee)
        exported_at = timezone.now()
        with build_archive(record, exported_at=exported_at) as archive:
            with transaction.atomic():
                event.file.save("export.zip", File(archive), save=False)
                event.file_name = export_file_name(event.trainee, exported_at)
                event.summary = _summary(record)
                event.status = PrivacyEvent.Status.DONE
                event.finished_at = timezone.now()
                event.full_clean()
                event.save()
    except Exception as exc:
        log.exception("Subject access export %s failed", event_id)
        _export_failed(event_id, f"The export could not be put together ({exc.__class__.__name__}). Try again.")
        return PrivacyEvent.objects.get(pk=event_id)
    return event


def _export_failed(event_id: int, reason: str) -> None:
    PrivacyEvent.objects.filter(pk=event_id).update(
        status=PrivacyEvent.Status.FAILED, failure_reason=reason, finished_at=timezone.now(),
    )


def erasure_blockers(trainee: Trainee) -> list[str]:
    """Why the trainee cannot be erased yet (empty when they can): an open enrolment (its
    figures are still being made), or an earlier erasure."""
    reasons = [
        f"Their enrolment on {e.cohort.programme.title}: {e.cohort.name} is {e.get_status_display().lower()}. "
        "Record its completion or withdraw it first."
        for e in Enrolment.objects.filter(
            trainee=trainee, status__in=[s for s in Enrolment.Status.values if s not in ("completed", "withdrawn")]
        ).select_related("cohort__programme").order_by("enrolled_on", "pk")
    ]
    pending = [PrivacyEvent.Status.QUEUED, PrivacyEvent.Status.RUNNING]
    # An export older than a worker's longest life has no live worker (as for report jobs):
    # it must not block an erasure for ever.
    alive = timezone.now() - stuck_after()
    kinds = set(PrivacyEvent.objects.filter(
        Q(kind=PrivacyEvent.Kind.ERASURE) | Q(kind=PrivacyEvent.Kind.EXPORT, status__in=pending, at__gte=alive),
        trainee=trainee,
    ).values_list("kind", flat=True))
    if PrivacyEvent.Kind.ERASURE in kinds:
        reasons.append("This person's data has already been erased.")
    elif PrivacyEvent.Kind.EXPORT in kinds:
        # It would store a copy of the data after the erasure.
        reasons.append("An export of their data is being put together. Wait for it to finish.")
    return reasons


@transaction.atomic
def trainee_erase(*, trainee: Trainee, actor) -> PrivacyEvent:
    """Anonymise the trainee (see the module docstring). Locks the trainee row; refuses with a
    ValidationError while an enrolment is open or if already erased. Evidence files are deleted
    from storage after commit, so a failure leaves them in place. A constant number of queries:
    child rows change by bulk UPDATE, not row by row."""
    trainee = Trainee.objects.select_for_update().get(pk=trainee.pk)
    if reasons := erasure_blockers(trainee):
        raise ValidationError(reasons)
    record = subject_access_record(trainee=trainee)  # the rows to change and their audit trail
    ids = {key: [item["id"] for item in record.data[key]] for key in record.data if isinstance(record.data[key], list)}
    user = User.objects.filter(pk=trainee.user_id).first() if trainee.user_id else None

    # The changes below are recorded once, as the erasure, instead of field by field: a
    # field-by-field audit entry would keep the very values being erased.
    with disable_auditlog():
        trainee.first_name = "Erased"
        trainee.last_name = f"trainee {trainee.pk}"
        trainee.email = ""
        trainee.employee_number = f"erased-{trainee.pk}"
        trainee.full_clean()
        trainee.save()
        if user is not None:
            _close_login(user)
        EnrolmentTransition.objects.filter(pk__in=ids["enrolment_status_history"]).exclude(reason="").update(reason=ERASED)
        LearningContract.objects.filter(pk__in=ids["learning_contracts"]).update(**{
            name: ERASED for name in PERSONAL_FIELDS[LearningContract]
        })
        StudySession.objects.filter(pk__in=ids["study_sessions"]).update(note="")
        ProgressReview.objects.filter(pk__in=ids["progress_reviews"]).update(notes=ERASED, actions="")
        Evidence.objects.filter(pk__in=ids["evidence"]).update(title="Evidence (erased)", description=ERASED)
        EvidenceComment.objects.filter(pk__in=ids["evidence_comments"]).exclude(text="").update(text=ERASED)
        SelfAssessment.objects.filter(pk__in=ids["self_assessments"]).update(confidence="", assessor_comment="")
        AttainmentDecision.objects.filter(pk__in=ids["competence_decisions"]).exclude(comment="").update(
            comment=ERASED
        )
        Interview.objects.filter(pk__in=ids["interviews"]).update(cancelled_reason="", consent_to_quote=False)
        # Free-text answers identify; scale, number, yes/no and choice answers are figures.
        Answer.objects.filter(pk__in=ids["interview_answers"], question__kind=Question.Kind.TEXT).update(value=ERASED)
        Coding.objects.filter(pk__in=ids["themes_coded"]).update(excerpt="", is_quote=False)
        stored = [f.file.name for f in record.files if f.file]
        EvidenceFile.objects.filter(pk__in=ids["evidence_files"]).delete()
        jobs = ReportJob.objects.filter(pk__in=ids["report_jobs"]).exclude(file="")
        stored += list(jobs.values_list("file", flat=True))
        jobs.update(file="", file_name="")
        # Earlier exports are copies of what is being erased.
        exports = PrivacyEvent.objects.filter(trainee=trainee, kind=PrivacyEvent.Kind.EXPORT).exclude(file="")
        stored += list(exports.values_list("file", flat=True))
        exports.update(file="", file_name="")
        # Credentials name the person: revoke them (the status lists say so to anyone who
        # checks a copy) and drop Ladder's stored copies and the name.
        credentials_revoke_for_trainee(trainee=trainee, reason=CREDENTIALS_ERASED, erase=True)
        # Drafts are words typed but never submitted: not the record, so deleted, not kept.
        drafts_about_delete(user_pk=trainee.user_id, trainee_pk=trainee.pk, enrolment_pks=ids["enrolments"])

    _scrub_audit_trail(record, user)
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Trainee), object_pk=str(trainee.pk),
        object_id=trainee.pk, object_repr=str(trainee), action=LogEntry.Action.UPDATE, actor=actor,
        changes={name: [ERASED, ERASED] for name in PERSONAL_FIELDS[Trainee]},
    )
    event = PrivacyEvent(
        organisation_id=trainee.organisation_id, trainee=trainee, kind=PrivacyEvent.Kind.ERASURE,
        actor=actor, summary=_summary(record),
    )
    event.full_clean()
    event.save()
    transaction.on_commit(lambda: _delete_stored_files(stored))
    log.info("Erased trainee %s at the request of user %s", trainee.pk, actor.pk)
    return event


def _close_login(user) -> None:
    """No name, no email, a username that says nothing, no password, inactive, no roles. The
    row stays: signatures and audit entries point at it."""
    old_username = user.get_username()
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()  # also ends their sessions: the session hash no longer matches
    user.full_clean()
    user.save()
    Membership.objects.filter(user=user).update(is_active=False)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):  # login attempts name the username
        model.objects.filter(username=old_username).delete()


def _scrub_audit_trail(record: SubjectRecord, user) -> None:
    """The audit trail of the person's records keeps who changed what and when, but not the
    old values of identifying fields, nor record names that identify them."""
    for entry in record.audit_entries:
        model = entry.content_type.model_class()
        changes = entry.changes_dict
        for name in PERSONAL_FIELDS.get(model, ()):
            if name in changes:
                changes[name] = [ERASED, ERASED]
        entry.changes = changes
        entry.changes_text = ""
        entry.serialized_data = None
        entry.additional_data = None
        entry.object_repr = f"{entry.content_type.name} #{entry.object_pk}"
    LogEntry.objects.bulk_update(
        record.audit_entries,
        ["changes", "changes_text", "serialized_data", "additional_data", "object_repr"],
        batch_size=500,
    )
    if user is not None:
        LogEntry.objects.filter(actor=user).update(actor_email=None)


def _delete_stored_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # logged, not raised: the rows are already gone; an operator can tidy up
            log.exception("Could not delete an erased person's stored file %s", name)
