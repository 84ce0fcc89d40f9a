"""Writes for credentials: issuing, revoking, suspending, and rotating issuer keys.

Issuing is decided from what competencies and trainees say now (attainment is re-read, never
taken from the signal), so receiving the same announcement twice issues nothing twice. What a
credential says is fixed when it is signed; revocation and suspension change only its row, and
through it the organisation's status lists.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, time

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from competencies.evidence.selectors import attainment_for, current_decisions, targets_for
from competencies.models import AttainmentDecision, Competency, Mapping
from programmes.models import Organisation
from trainees.models import Enrolment, Trainee

from . import keys, vc
from .models import STATUS_LIST_SIZE, Credential, IssuerKey

ERASED_NAME = "Erased"
# Completing a programme earns a credential when the trainee qualified in the role or went on
# to further training; "returned to previous role" ends the programme without the achievement.
SUCCESSFUL_OUTCOMES = (Enrolment.Outcome.QUALIFIED, Enrolment.Outcome.PROGRESSED)
# The decisions a credential stands on: an assessor's sign-off, reassessment or confirmation.
CREDITED_KINDS = (
    AttainmentDecision.Kind.SIGNED_OFF, AttainmentDecision.Kind.REASSESSED,
    AttainmentDecision.Kind.CONFIRMED, AttainmentDecision.Kind.CORRECTED,
)


# --- Issuer keys ---------------------------------------------------------------------------------


def _new_key(organisation: Organisation) -> IssuerKey:
    public, encrypted = keys.generate()
    key = IssuerKey(
        organisation=organisation, kid=f"key-{secrets.token_hex(4)}", public_jwk=public,
        private_key_encrypted=encrypted,
    )
    key.full_clean()
    key.save()
    return key


@transaction.atomic
def issuer_key_current(*, organisation: Organisation) -> IssuerKey:
    """The organisation's signing key, made on first use. Locks the organisation row so two
    processes never make two current keys."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    key = IssuerKey.objects.filter(organisation=organisation, retired_at__isnull=True).first()
    return key or _new_key(organisation)


@transaction.atomic
def issuer_key_rotate(*, organisation: Organisation) -> IssuerKey:
    """Retire the current key (it stays in the DID document, so what it signed still verifies)
    and make a new one that signs from now on. Locks the organisation row."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    IssuerKey.objects.filter(organisation=organisation, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    return _new_key(organisation)


# --- Status list indexes ---------------------------------------------------------------------------


def _allocate_index(organisation: Organisation) -> tuple[int, int]:
    """A random free index of the organisation's current status list: never one used before
    (revoked or not), and not in issue order, so an index says nothing about who or when.
    The caller holds the organisation row lock. One query (two when a list is full)."""
    list_number = (
        Credential.objects.filter(organisation=organisation).order_by("-status_list")
        .values_list("status_list", flat=True).first()
    ) or 1
    used = set(
        Credential.objects.filter(organisation=organisation, status_list=list_number)
        .values_list("status_index", flat=True)
    )
    if len(used) >= STATUS_LIST_SIZE * 3 // 4:  # keep random picks cheap: start a new list
        list_number, used = list_number + 1, set()
    while True:
        index = secrets.randbelow(STATUS_LIST_SIZE)
        if index not in used:
            return list_number, index


def status_list_url(organisation: Organisation, purpose: str, number: int) -> str:
    return keys.public_url(reverse(
        "credentials:status_list", kwargs={"slug": organisation.slug, "purpose": purpose, "number": number}
    ))


def credential_url(public_id: str) -> str:
    return keys.public_url(reverse("credentials:public", kwargs={"public_id": public_id}))


# --- Building a credential -------------------------------------------------------------------------


def _profile(organisation: Organisation) -> dict:
    return {"id": keys.did_for(organisation), "type": ["Profile"], "name": organisation.name}


def _achievement_id(organisation: Organisation, what: str) -> str:
    # A stable URN per organisation and achievement: the same task is the same achievement in
    # every credential the organisation issues for it.
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{keys.did_for(organisation)}/achievements/{what}").urn


def _alignment(competency: Competency) -> dict:
    framework = competency.framework
    source = framework.source if framework.source.startswith(("https://", "http://")) else ""
    return {
        "type": ["Alignment"],
        "targetName": competency.short_name,
        "targetCode": competency.id_number,
        "targetFramework": str(framework),
        "targetDescription": _plain(competency.description)[:1000] or competency.short_name,
        "targetType": "ceasn:Competency",
        "targetUrl": source or uuid.uuid5(
            uuid.NAMESPACE_URL, f"ladder:framework:{framework.id_number}:{competency.id_number}"
        ).urn,
    }


def _plain(text: str) -> str:
    from django.utils.html import strip_tags

    return " ".join(strip_tags(text or "").split())


def _sign_and_save(credential: Credential, document: dict, key: IssuerKey, actor) -> Credential:
    credential.key = key
    credential.token = vc.sign(
        document, key=keys.private_key(key.private_key_encrypted),
        kid=keys.verification_method_id(key.organisation, key.kid),
    )
    credential.full_clean()
    with set_actor(actor) if actor else _no_actor():
        credential.save()
    return credential


class _no_actor:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _document(
    *, credential: Credential, achievement: dict, evidence: list[dict], source: dict | None
) -> dict:
    organisation = credential.organisation
    urls = {p: status_list_url(organisation, p, credential.status_list) for p in vc.PURPOSES}
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [{
            "type": "IdentityObject", "identityHash": credential.subject_name,
            "identityType": "name", "hashed": False,
        }],
        "achievement": achievement,
    }
    if source:
        subject["source"] = source
    document = {
        "@context": vc.CONTEXTS,
        "id": credential_url(credential.public_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": credential.achievement_name,
        "issuer": _profile(organisation),
        "validFrom": vc.iso(credential.valid_from),
        "credentialSubject": subject,
        "evidence": evidence,
        "credentialStatus": vc.status_entries(list_urls=urls, index=credential.status_index),
    }
    if credential.valid_until:
        document["validUntil"] = vc.iso(credential.valid_until)
    return document


def _end_of_day(day) -> datetime:
    """The last second of the day, local time: a credential is good through its reassessment
    date (delegation readiness counts it overdue only the day after)."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _meets_target(trainee: Trainee, competency: Competency, level: int) -> bool:
    scale = competency.effective_scale()
    target = targets_for(trainee=trainee).get(competency.pk, (scale.first_proficient_index, ""))[0]
    return level >= target and scale.is_proficient(level)


def _current(trainee_id: int, competency_id: int):
    return Credential.objects.filter(
        trainee_id=trainee_id, competency_id=competency_id, kind=Credential.Kind.COMPETENCY,
        revoked_at__isnull=True,
    )


@transaction.atomic
def credential_issue_for_competency(
    *, trainee: Trainee, competency: Competency, lapsed_too: bool = False,
    decision: AttainmentDecision | None = None, again: bool = False,
) -> Credential | None:
    """Issue an OpenBadgeCredential for a delegated task if the trainee's current attainment
    (competencies' current AttainmentDecision) is signed off, still counts, and reaches the
    target (their role profile's, or the scale's first proficient level), unless that decision
    was credited already (revoked or not: never twice). Valid from the decision until the end
    of its last valid day. Signed with the organisation's current key; locks the organisation
    row for the status-list index. About ten queries. ``lapsed_too``: a decision whose validity
    has run out is credited too (the demo's history: the credential it had when made).
    ``decision``: credit this past version instead of the current one (the demo's history: a
    sign-off since withdrawn had its credential, revoked when it was withdrawn). ``again``: a
    replacement for a credential of the same decision just revoked because its dates changed
    (credentials_replace_for_new_period): only one not revoked stops it."""
    if not competency.is_delegated_task:
        return None
    if decision is None:
        got = attainment_for([trainee.pk], [competency.pk]).get((trainee.pk, competency.pk))
        if got is None or got.kind not in CREDITED_KINDS or got.level is None:
            return None
        if not (got.counts or (lapsed_too and got.status == "expired")):
            return None
        decision = (
            current_decisions([trainee.pk], [competency.pk])
            .select_related("decided_by", "assessor_organisation")
            .first()
        )
        if decision is None:
            return None
    elif (decision.trainee_id, decision.competency_id) != (trainee.pk, competency.pk):
        raise ValueError("The decision is not this trainee's in this competency.")
    if decision.kind not in CREDITED_KINDS or decision.level is None:
        return None
    if not _meets_target(trainee, competency, decision.level):
        return None
    signed_off_at = decision.decided_at
    issued = Credential.objects.filter(
        trainee=trainee, competency=competency, kind=Credential.Kind.COMPETENCY, valid_from=signed_off_at
    )
    if again:
        issued = issued.filter(revoked_at__isnull=True)
    if issued.exists():
        return None  # issued for this decision already (revoked or not: never issued twice)
    organisation = trainee.organisation
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    key = issuer_key_current(organisation=organisation)
    list_number, index = _allocate_index(organisation)
    scale = competency.effective_scale()
    level_name = scale.levels[decision.level]["name"]
    assessor = decision.decided_by
    # As recorded with the decision, not guessed from the assessor's memberships (one person
    # may belong to both organisations, and memberships change after the sign-off).
    assessor_org = decision.assessor_organisation
    credential = Credential(
        organisation=organisation, trainee=trainee, kind=Credential.Kind.COMPETENCY,
        competency=competency, achievement_name=competency.name,
        subject_name=f"{trainee.first_name} {trainee.last_name}",
        assessor_organisation_name=assessor_org.name if assessor_org else "",
        level_awarded=decision.level, valid_from=signed_off_at,
        valid_until=_end_of_day(decision.valid_until) if decision.valid_until else None,
        status_list=list_number, status_index=index, issued_by=assessor,
    )
    alignments = [_alignment(competency)]
    mapped = Mapping.objects.filter(source=competency).select_related("target__framework")
    alignments += [_alignment(m.target) for m in mapped if m.organisation_id in (None, organisation.pk)]
    achievement = {
        "id": _achievement_id(organisation, f"competency/{competency.pk}"),
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": competency.name,
        "description": _plain(competency.description) or f"The delegated healthcare task: {competency.name}.",
        "criteria": {"narrative": (
            f"Assessed as competent in the workplace by a registered practitioner, at "
            f"'{level_name}' or above on {scale.name}; reassessed by the date the credential "
            "is valid until."
        )},
        "alignment": alignments,
    }
    assessed_by = f" by an assessor of {assessor_org.name}" if assessor_org else ""
    evidence = [{
        "type": ["Evidence"],
        "name": "Workplace assessment sign-off",
        "description": (
            f"Work-based evidence signed off at '{level_name}' on "
            f"{timezone.localtime(signed_off_at):%d %B %Y}{assessed_by}. The evidence itself "
            "stays in the trainee's record and is not part of this credential."
        ),
    }]
    source = _profile(assessor_org) if assessor_org and assessor_org.pk != organisation.pk else None
    document = _document(credential=credential, achievement=achievement, evidence=evidence, source=source)
    return _sign_and_save(credential, document, key, credential.issued_by)


@transaction.atomic
def credential_issue_for_enrolment(*, enrolment: Enrolment, actor=None) -> Credential | None:
    """Issue an OpenBadgeCredential for completing a programme, once per enrolment (none
    unless it is completed with a successful outcome). No expiry: completion does not lapse."""
    enrolment = Enrolment.objects.select_related("trainee__organisation", "cohort__programme").get(pk=enrolment.pk)
    if enrolment.status != Enrolment.Status.COMPLETED or enrolment.outcome not in SUCCESSFUL_OUTCOMES:
        return None
    if Credential.objects.filter(enrolment=enrolment, kind=Credential.Kind.PROGRAMME).exists():
        return None
    trainee, programme = enrolment.trainee, enrolment.cohort.programme
    organisation = programme.organisation
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    key = issuer_key_current(organisation=organisation)
    list_number, index = _allocate_index(organisation)
    completed_at = min(
        timezone.now(), timezone.make_aware(datetime.combine(enrolment.ended_on, time.min))
    ) if enrolment.ended_on else timezone.now()
    credential = Credential(
        organisation=organisation, trainee=trainee, kind=Credential.Kind.PROGRAMME,
        enrolment=enrolment, achievement_name=programme.title,
        subject_name=f"{trainee.first_name} {trainee.last_name}",
        assessor_organisation_name=organisation.name,
        valid_from=completed_at, valid_until=None,
        status_list=list_number, status_index=index, issued_by=actor,
    )
    achievement = {
        "id": _achievement_id(organisation, f"programme/{programme.pk}"),
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": programme.title,
        "description": _plain(programme.description) or f"Completed the {programme.title} programme.",
        "criteria": {"narrative": (
            f"Completed {programme.title} ({enrolment.cohort.name}), meeting the role "
            "profile's competencies to the levels it sets."
        )},
    }
    if programme.apprenticeship_standard:
        achievement["alignment"] = [{
            "type": ["Alignment"], "targetName": programme.education_detail or programme.title,
            "targetCode": programme.apprenticeship_standard, "targetType": "CTDL",
            "targetUrl": uuid.uuid5(uuid.NAMESPACE_URL, f"ladder:standard:{programme.apprenticeship_standard}").urn,
        }]
    evidence = [{
        "type": ["Evidence"], "name": "Programme completion",
        "description": f"{enrolment.cohort.name}: recorded as completed by {organisation.name}.",
    }]
    document = _document(credential=credential, achievement=achievement, evidence=evidence, source=None)
    return _sign_and_save(credential, document, key, actor)


# --- Revocation and suspension ---------------------------------------------------------------------


def _lock(credential: Credential) -> Credential:
    return Credential.objects.select_for_update().get(pk=credential.pk)


@transaction.atomic
def credential_revoke(*, credential: Credential, reason: str, actor=None) -> Credential:
    """Revoke for good: the revocation bit is set in the status list from now on. Locks the
    row; revoking a revoked credential changes nothing."""
    locked = _lock(credential)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_reason = (reason or "").strip()[:300] or "Revoked by the issuer."
        locked.full_clean()
        with set_actor(actor) if actor else _no_actor():
            locked.save(update_fields=["revoked_at", "revoked_reason"])
    return locked


@transaction.atomic
def credential_suspend(*, credential: Credential, reason: str, actor=None) -> Credential:
    """Suspend (reversible: credential_unsuspend). The suspension bit is set from now on.
    For the delegation app (an incident, a review) and for leads (views.credential_suspend:
    who may is selectors.may_suspend). A revoked credential cannot be suspended
    (ValidationError); suspending a suspended one changes nothing. Locks the row; audited."""
    locked = _lock(credential)
    if not reason or not reason.strip():
        raise ValidationError({"reason": "Say why the credential is suspended."})
    if locked.revoked_at is not None:
        raise ValidationError({"reason": "This credential is revoked, so it cannot be suspended."})
    if locked.revoked_at is None and locked.suspended_at is None:
        locked.suspended_at = timezone.now()
        locked.suspended_reason = reason.strip()[:300]
        with set_actor(actor) if actor else _no_actor():
            locked.save(update_fields=["suspended_at", "suspended_reason"])
    return locked


@transaction.atomic
def credential_unsuspend(*, credential: Credential, actor=None) -> Credential:
    """Lift a suspension: the suspension bit is clear from now on. Locks the row; audited;
    lifting when there is none changes nothing."""
    locked = _lock(credential)
    if locked.suspended_at is not None:
        locked.suspended_at, locked.suspended_reason = None, ""
        with set_actor(actor) if actor else _no_actor():
            locked.save(update_fields=["suspended_at", "suspended_reason"])
    return locked


@transaction.atomic
def credentials_suspend_for_task(*, trainee: Trainee, competency: Competency, reason: str, actor=None) -> int:
    """Suspend every current credential of the trainee for the task; how many were."""
    count = 0
    for credential in _current(trainee.pk, competency.pk).filter(suspended_at__isnull=True):
        credential_suspend(credential=credential, reason=reason, actor=actor)
        count += 1
    return count


@transaction.atomic
def credentials_revoke_for_trainee(*, trainee: Trainee, reason: str, actor=None, erase: bool = False) -> int:
    """Revoke every credential issued to the trainee (erasure, for privacy.services). With
    ``erase``, the stored copies of the signed documents and the name go too: the public page
    then says only that the credential was revoked, and copies held elsewhere check as revoked
    in the status list. One UPDATE, whatever the number."""
    now = timezone.now()
    credentials = Credential.objects.filter(trainee=trainee)
    count = credentials.filter(revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason=(reason or "Revoked by the issuer.")[:300]
    )
    if erase:
        credentials.update(token="", subject_name=ERASED_NAME)  # nosec B106 (the signed credential, not a password)
    return count


def on_attainment_changed(*, pairs, reason: str) -> None:
    """Bring credentials in line with attainment now, each pair in its own transaction:
    - "expired": nothing; a credential's validUntil already says it lapsed (it is not revoked);
    - "revalidated" (the task's reassessment period changed): replace each credential whose
      validUntil is no longer the sign-off's last valid day (credentials_replace_for_new_period);
    - "withdrawn" and "erased": revoke the current ones; after a withdrawal, issue again if the
      attainment still stands on other evidence;
    - otherwise (signed off, corrected, reassessed): issue what is now earned, revoke what a
      correction took below the level needed."""
    if reason == "expired":
        return
    if reason == "revalidated":
        for trainee_id, competency_id in pairs:
            with transaction.atomic():
                credentials_replace_for_new_period(trainee_id=trainee_id, competency_id=competency_id)
        return
    competencies = {c.pk: c for c in Competency.objects.filter(
        pk__in={c for _, c in pairs}, is_delegated_task=True
    ).select_related("framework__scale", "scale")}
    if not competencies:
        return
    trainees = {t.pk: t for t in Trainee.objects.filter(
        pk__in={t for t, c in pairs if c in competencies}
    ).select_related("organisation")}
    for trainee_id, competency_id in pairs:
        competency, trainee = competencies.get(competency_id), trainees.get(trainee_id)
        if competency is None or trainee is None:
            continue
        with transaction.atomic():
            got = attainment_for([trainee.pk], [competency.pk]).get((trainee.pk, competency.pk))
            still = got is not None and got.counts and _meets_target(trainee, competency, got.level)
            if reason in ("withdrawn", "erased") or not still:
                why = {
                    "withdrawn": "The sign-off was withdrawn.",
                    "erased": "The person's data was erased.",
                }.get(reason, "The assessment was corrected below the level the task needs.")
                for credential in _current(trainee.pk, competency.pk):
                    credential_revoke(credential=credential, reason=why)
            if still and reason != "erased":
                credential_issue_for_competency(trainee=trainee, competency=competency)


def credentials_replace_for_new_period(*, trainee_id: int, competency_id: int) -> Credential | None:
    """The task's reassessment period changed, so the current sign-off's last valid day did: a
    signed credential cannot change, and one still saying the old date would tell a verifier
    "valid" after the competence expired (or "expired" while it stands). Each current credential
    of the pair whose validUntil is not the sign-off's is revoked, saying why, and a new one is
    issued with the new date if the sign-off still counts, suspended as the old one was. The
    new one, or None."""
    decision = current_decisions([trainee_id], [competency_id]).first()
    if decision is None:
        return None
    now_until = _end_of_day(decision.valid_until) if decision.valid_until else None
    stale = [  # this sign-off's credentials (one of an earlier sign-off is another receiver's)
        credential for credential in _current(trainee_id, competency_id)
        .filter(valid_from=decision.decided_at).select_related("trainee__organisation", "competency")
        if credential.valid_until != now_until
    ]
    if not stale:
        return None
    trainee, competency = stale[0].trainee, stale[0].competency
    got = attainment_for([trainee_id], [competency_id]).get((trainee_id, competency_id))
    still = got is not None and got.counts and _meets_target(trainee, competency, got.level)
    for credential in stale:
        credential_revoke(credential=credential, reason=(
            "Replaced by a credential with the new reassessment date: the task's reassessment period changed."
            if still else
            "The task's reassessment period changed, and under it this sign-off is no longer valid."
        ))
    if not still:
        return None
    replacement = credential_issue_for_competency(trainee=trainee, competency=competency, again=True)
    suspended = next((c for c in stale if c.suspended_at), None)
    if replacement is not None and suspended is not None:
        credential_suspend(credential=replacement, reason=suspended.suspended_reason)
    return replacement

