"""Issuing Open Badges 3.0 credentials: when, what they say, how they are signed."""

from __future__ import annotations

import base64
import json
from datetime import date

from django.utils import timezone

from competencies.evidence.selectors import current_decisions
from competencies.validity import add_months
from credentials import keys, services, vc
from credentials.models import Credential, IssuerKey
from delegation.services import partner_evidence_sign_off
from programmes import services as programme_services
from programmes.models import Role
from trainees import services as trainee_services

from ..delegation.factories import add_partner
from .helpers import delegated_task, sign_off_task, withdraw_sign_off


def header_of(token: str) -> dict:
    head = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))


def test_signing_off_a_delegated_task_at_target_issues_an_open_badge(
    world, django_capture_on_commit_callbacks, settings
):
    settings.LADDER_PUBLIC_URL = "https://ladder.example.nhs.uk"
    task = delegated_task(world)
    credential = sign_off_task(world, task, django_capture_on_commit_callbacks)
    assert credential is not None
    payload = vc.verify(credential.token, credential.key.public_jwk)
    assert payload["@context"] == [
        "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["issuer"]["id"] == "did:web:ladder.example.nhs.uk:organisations:acme"
    assert payload["iss"] == payload["issuer"]["id"]
    assert payload["jti"] == payload["id"] == f"https://ladder.example.nhs.uk/credentials/{credential.public_id}/"
    achievement = payload["credentialSubject"]["achievement"]
    assert achievement["name"] == "Insulin administration"
    assert achievement["alignment"][0]["targetCode"] == "SFHCHS216"
    assert achievement["alignment"][0]["targetFramework"] == "Skills for Health NOS"
    assert payload["credentialSubject"]["identifier"][0]["identityHash"] == "Sam Trainee"
    signed_on = timezone.localdate(credential.valid_from)
    assert payload["nbf"] == int(credential.valid_from.timestamp())
    assert payload["exp"] == int(credential.valid_until.timestamp())
    assert timezone.localtime(credential.valid_until).date() == add_months(signed_on, 12)
    assert timezone.localtime(credential.valid_until).time().isoformat() == "23:59:59"
    assert "Acme Mental Health NHS Trust" in payload["evidence"][0]["description"]
    purposes = {entry["statusPurpose"]: entry for entry in payload["credentialStatus"]}
    assert set(purposes) == {"revocation", "suspension"}
    assert purposes["revocation"]["statusListIndex"] == str(credential.status_index)
    assert purposes["revocation"]["statusListCredential"] == (
        "https://ladder.example.nhs.uk/organisations/acme/status/revocation/1"
    )
    header = header_of(credential.token)
    assert header == {
        "alg": "EdDSA", "kid": f"did:web:ladder.example.nhs.uk:organisations:acme#{credential.key.kid}",
        "typ": "vc+jwt", "cty": "vc",
    }


def test_a_partners_sign_off_names_the_organisation_recorded_with_it_not_one_guessed_from_memberships(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_partner(world)
    # The district nurse also works bank shifts at Acme; she signs off as Eastvale's practitioner.
    programme_services.membership_grant(user=world.nurse, organisation=world.organisation, role=Role.MENTOR)
    with django_capture_on_commit_callbacks(execute=True):
        partner_evidence_sign_off(
            evidence=world.partner_evidence, membership=world.nurse_membership, levels={world.insulin.pk: 1},
        )
    decision = current_decisions([world.trainee.pk], [world.insulin.pk]).get()
    assert decision.evidence_id == world.partner_evidence.pk
    credential = Credential.objects.get(trainee=world.trainee, competency=world.insulin, valid_from=decision.decided_at)
    assert credential.assessor_organisation_name == "Eastvale Community Health NHS Trust"
    payload = vc.verify(credential.token, credential.key.public_jwk)
    assert "by an assessor of Eastvale Community Health NHS Trust" in payload["evidence"][0]["description"]
    assert payload["credentialSubject"]["source"]["name"] == "Eastvale Community Health NHS Trust"
    assert payload["issuer"]["name"] == "Acme Mental Health NHS Trust"


def test_no_credential_below_target_or_for_an_ordinary_competency(world, django_capture_on_commit_callbacks):
    task = delegated_task(world)
    assert sign_off_task(world, task, django_capture_on_commit_callbacks, level=0) is None
    ordinary = delegated_task(world, name="Communication", code="GEN1", profile=False)
    type(ordinary).objects.filter(pk=ordinary.pk).update(is_delegated_task=False)
    ordinary.refresh_from_db()
    assert sign_off_task(world, ordinary, django_capture_on_commit_callbacks) is None


def test_hearing_the_same_sign_off_twice_issues_one_credential(world, django_capture_on_commit_callbacks):
    task = delegated_task(world)
    sign_off_task(world, task, django_capture_on_commit_callbacks)
    services.on_attainment_changed(pairs=[(world.trainee.pk, task.pk)], reason="signed_off")
    assert Credential.objects.filter(competency=task).count() == 1


def test_withdrawing_the_sign_off_revokes_the_credential(world, django_capture_on_commit_callbacks):
    task = delegated_task(world)
    credential = sign_off_task(world, task, django_capture_on_commit_callbacks)
    withdraw_sign_off(world.trainee, task, django_capture_on_commit_callbacks)
    credential.refresh_from_db()
    assert credential.status_at(timezone.now()) == Credential.Status.REVOKED
    assert credential.revoked_reason == "The sign-off was withdrawn."
    assert not Credential.objects.filter(competency=task, revoked_at__isnull=True).exists()


def test_completing_a_programme_issues_a_completion_credential(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.enrolment_transition(
            enrolment=world.enrolment, to_status="completed", outcome="qualified",
            actor=world.person(Role.TRAINING_LEAD), on=date(2026, 11, 30),
        )
    credential = Credential.objects.get(enrolment=world.enrolment)
    payload = vc.verify(credential.token, credential.key.public_jwk)
    assert payload["credentialSubject"]["achievement"]["achievementType"] == "CertificateOfCompletion"
    assert payload["name"] == "Inpatient assistant practitioner"
    assert "validUntil" not in payload and "exp" not in payload


def test_returning_to_the_previous_role_earns_no_completion_credential(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.enrolment_transition(
            enrolment=world.enrolment, to_status="completed", outcome="returned",
            actor=world.person(Role.TRAINING_LEAD),
        )
    assert not Credential.objects.filter(enrolment=world.enrolment).exists()


def test_keys_are_stored_encrypted_and_rotation_keeps_old_credentials_verifiable(
    world, django_capture_on_commit_callbacks
):
    task = delegated_task(world)
    first = sign_off_task(world, task, django_capture_on_commit_callbacks)
    stored = IssuerKey.objects.get(pk=first.key_id)
    assert "PRIVATE KEY" not in stored.private_key_encrypted
    assert '"d"' not in json.dumps(stored.public_jwk)
    new_key = services.issuer_key_rotate(organisation=world.organisation)
    document = keys.did_document(world.organisation, IssuerKey.objects.filter(organisation=world.organisation))
    listed = [m["id"].split("#")[1] for m in document["verificationMethod"]]
    assert listed == [stored.kid, new_key.kid]
    assert vc.verify(first.token, stored.public_jwk)["name"] == "Insulin administration"
    second_task = delegated_task(world, name="Capillary blood glucose", code="SFHCHS217", profile=False)
    second = sign_off_task(world, second_task, django_capture_on_commit_callbacks)
    assert header_of(second.token)["kid"].endswith(f"#{new_key.kid}")


def test_status_indexes_are_random_and_never_reused(world, django_capture_on_commit_callbacks):
    indexes = []
    for n in range(6):
        task = delegated_task(world, name=f"Task {n}", code=f"T{n}", profile=False)
        indexes.append(sign_off_task(world, task, django_capture_on_commit_callbacks).status_index)
    assert len(set(indexes)) == 6
    assert indexes != sorted(indexes)  # 1 chance in 720 of failing by luck


def test_did_web_from_the_public_url_writes_a_port_as_percent_3a(world, settings):
    settings.LADDER_PUBLIC_URL = "http://127.0.0.1:8000"
    assert keys.did_for(world.organisation) == "did:web:127.0.0.1%3A8000:organisations:acme"
    settings.LADDER_PUBLIC_URL = "https://nhs.example/ladder"
    assert keys.did_for(world.organisation) == "did:web:nhs.example:ladder:organisations:acme"


def test_status_list_encoding_puts_bit_0_in_the_most_significant_bit():
    encoded = vc.encode_bits([0, 9, 131_071], 131_072)
    assert encoded.startswith("u")
    bits = vc.decode_bits(encoded)
    assert len(bits) == 16_384
    assert bits[0] == 0b1000_0000 and bits[1] == 0b0100_0000 and bits[-1] == 0b0000_0001


def test_expiry_announced_by_the_lifecycle_leaves_the_credential_expired_not_revoked(
    world, django_capture_on_commit_callbacks
):
    task = delegated_task(world)
    credential = sign_off_task(world, task, django_capture_on_commit_callbacks)
    services.on_attainment_changed(pairs=[(world.trainee.pk, task.pk)], reason="expired")
    credential.refresh_from_db()
    assert credential.revoked_at is None


def test_a_correction_below_target_revokes(world, django_capture_on_commit_callbacks):
    from competencies.evidence.services import decision_record

    task = delegated_task(world)
    credential = sign_off_task(world, task, django_capture_on_commit_callbacks)
    decision_record(
        trainee=world.trainee, competency=task, kind="corrected", level=0, target_level=1,
        decided_by=world.person(Role.MENTOR),
    )
    services.on_attainment_changed(pairs=[(world.trainee.pk, task.pk)], reason="corrected")
    credential.refresh_from_db()
    assert credential.revoked_reason == "The assessment was corrected below the level the task needs."
