"""The public check page, content negotiation, the status lists, the holder's list, erasure,
suspension and key rotation from the command line."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from credentials import services, vc
from credentials.models import Credential, IssuerKey
from privacy import services as privacy_services
from programmes.models import Role
from trainees import services as trainee_services

from .helpers import delegated_task, sign_off_task


@pytest.fixture
def credential(world, django_capture_on_commit_callbacks):
    return sign_off_task(world, delegated_task(world), django_capture_on_commit_callbacks)


def public_url(credential):
    return reverse("credentials:public", kwargs={"public_id": credential.public_id})


def test_anyone_signed_out_sees_who_what_by_whom_until_when_and_that_it_is_valid(client, credential):
    response = client.get(public_url(credential))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="valid"' in page
    assert "Sam Trainee" in page and "Insulin administration" in page
    assert "Acme Mental Health NHS Trust" in page
    assert credential.valid_until.strftime("%Y") in page


def test_the_same_address_gives_the_signed_credential_to_a_client_asking_for_vc_jwt(client, credential):
    response = client.get(public_url(credential), HTTP_ACCEPT="application/vc+jwt")
    assert response["Content-Type"] == "application/vc+jwt"
    assert response.content.decode() == credential.token
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in response["Vary"]


def test_an_unknown_address_is_404(client, db):
    assert client.get(reverse("credentials:public", kwargs={"public_id": "nope"})).status_code == 404


def test_revocation_shows_on_the_page_and_in_the_status_list(client, credential):
    services.credential_revoke(credential=credential, reason="The sign-off was withdrawn.")
    assert 'data-status="revoked"' in client.get(public_url(credential)).content.decode()
    url = reverse("credentials:status_list", kwargs={"slug": "acme", "purpose": "revocation", "number": 1})
    token = client.get(url).content.decode()
    listed = vc.verify(token, IssuerKey.objects.get(organisation=credential.organisation).public_jwk)
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    bits = vc.decode_bits(listed["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == 131_072
    assert vc.bit_is_set(bits, credential.status_index)
    assert sum(bin(b).count("1") for b in bits) == 1
    suspension = client.get(url.replace("revocation", "suspension")).content.decode()
    suspended_bits = vc.decode_bits(vc.payload_of(suspension)["credentialSubject"]["encodedList"])
    assert not any(suspended_bits)


def test_suspension_is_reversible_and_needs_a_reason(client, credential):
    with pytest.raises(ValidationError):
        services.credential_suspend(credential=credential, reason=" ")
    services.credentials_suspend_for_task(
        trainee=credential.trainee, competency=credential.competency, reason="Incident under review."
    )
    assert 'data-status="suspended"' in client.get(public_url(credential)).content.decode()
    services.credential_unsuspend(credential=Credential.objects.get(pk=credential.pk))
    assert 'data-status="valid"' in client.get(public_url(credential)).content.decode()


def _bit(client, credential, purpose: str) -> bool:
    url = reverse("credentials:status_list", kwargs={"slug": "acme", "purpose": purpose, "number": 1})
    key = IssuerKey.objects.get(organisation=credential.organisation)
    listed = vc.verify(client.get(url).content.decode(), key.public_jwk)
    return vc.bit_is_set(vc.decode_bits(listed["credentialSubject"]["encodedList"]), credential.status_index)


def test_a_lead_suspends_a_credential_with_a_reason_and_lifts_it_and_every_check_follows(
    world, client_as, credential
):
    lead = client_as(Role.TRAINING_LEAD)
    listing = reverse("credentials:trainee_list", kwargs={"pk": world.trainee.pk})
    suspend = reverse("credentials:suspend", kwargs={"trainee_pk": world.trainee.pk, "pk": credential.pk})
    lift = reverse("credentials:unsuspend", kwargs={"trainee_pk": world.trainee.pk, "pk": credential.pk})
    assert suspend in lead.get(listing).content.decode()

    refused = lead.post(suspend, {"reason": "  "})
    assert refused.status_code == 200 and "Say why the credential is suspended" in refused.content.decode()
    assert lead.post(suspend, {"reason": "An incident is being reviewed."}).url == listing
    anonymous = Client()  # signed out: client_as signs the shared client in
    assert 'data-status="suspended"' in anonymous.get(public_url(credential)).content.decode()
    assert _bit(anonymous, credential, "suspension") and not _bit(anonymous, credential, "revocation")
    page = lead.get(listing).content.decode()
    assert "An incident is being reviewed." in page and lift in page and suspend not in page
    entry = LogEntry.objects.get_for_object(credential).filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert entry.actor == world.person(Role.TRAINING_LEAD)
    assert entry.changes_dict["suspended_reason"] == ["", "An incident is being reviewed."]

    assert lead.get(lift).status_code == 200
    assert lead.post(lift).url == listing
    assert 'data-status="valid"' in anonymous.get(public_url(credential)).content.decode()
    assert not _bit(anonymous, credential, "suspension")
    lifted = LogEntry.objects.get_for_object(credential).filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert lifted.actor == world.person(Role.TRAINING_LEAD) and lifted.changes_dict["suspended_reason"][1] == ""


@pytest.mark.parametrize("who", [Role.MENTOR, Role.MANAGER, Role.TRAINEE, "outsider"])
def test_only_a_lead_of_the_holders_organisation_may_suspend(world, client_as, credential, who):
    client = client_as(who)
    suspend = reverse("credentials:suspend", kwargs={"trainee_pk": world.trainee.pk, "pk": credential.pk})
    response = client.post(suspend, {"reason": "Not mine to say."})
    assert response.status_code == (404 if who == "outsider" else 403)
    assert Credential.objects.get(pk=credential.pk).suspended_at is None
    if who != "outsider":
        listing = reverse("credentials:trainee_list", kwargs={"pk": world.trainee.pk})
        assert 'data-testid="suspend"' not in client.get(listing).content.decode()


def test_a_credential_under_another_persons_address_is_404(world, client_as, credential):
    url = reverse("credentials:suspend", kwargs={"trainee_pk": world.other_trainee.pk, "pk": credential.pk})
    assert client_as(Role.TRAINING_LEAD).get(url).status_code == 404


def test_a_revoked_credential_cannot_be_suspended(world, client_as, credential):
    services.credential_revoke(credential=credential, reason="The sign-off was withdrawn.")
    suspend = reverse("credentials:suspend", kwargs={"trainee_pk": world.trainee.pk, "pk": credential.pk})
    response = client_as(Role.TRAINING_LEAD).post(suspend, {"reason": "An incident."})
    assert response.status_code == 200
    assert "This credential is revoked, so it cannot be suspended." in response.content.decode()
    assert Credential.objects.get(pk=credential.pk).suspended_at is None


def test_a_stored_token_altered_in_the_database_shows_as_unverifiable(client, credential):
    head, body, signature = credential.token.split(".")
    Credential.objects.filter(pk=credential.pk).update(token=f"{head}.{body[:-4]}AAAA.{signature}")
    page = client.get(public_url(credential)).content.decode()
    assert 'data-status="unverifiable"' in page
    assert "Valid</strong>" not in page


def test_erasure_revokes_the_credentials_and_erases_their_content(
    world, client, credential, django_capture_on_commit_callbacks
):
    lead = world.person(Role.TRAINING_LEAD)
    trainee_services.enrolment_transition(
        enrolment=world.enrolment, to_status="withdrawn", reason="Left the trust.", actor=lead
    )
    privacy_services.trainee_erase(trainee=world.trainee, actor=lead)
    credential.refresh_from_db()
    assert credential.revoked_at is not None and credential.token == ""
    page = client.get(public_url(credential)).content.decode()
    assert 'data-status="revoked"' in page and "Sam" not in page
    assert client.get(public_url(credential), HTTP_ACCEPT="application/vc+jwt").status_code == 410


def test_the_holder_sees_share_link_qr_and_download_and_others_only_the_list(world, client_as, credential):
    url = reverse("credentials:trainee_list", kwargs={"pk": world.trainee.pk})
    page = client_as(Role.TRAINEE).get(url).content.decode()
    assert services.credential_url(credential.public_id) in page
    assert 'data-testid="share-qr"' in page and 'data-testid="download"' in page
    qr = client_as(Role.TRAINEE).get(reverse("credentials:qr", kwargs={"public_id": credential.public_id}))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    download = client_as(Role.TRAINEE).get(reverse("credentials:download", kwargs={"public_id": credential.public_id}))
    assert "attachment" in download["Content-Disposition"] and download.content.decode() == credential.token
    manager_page = client_as(Role.MANAGER).get(url).content.decode()
    assert "Insulin administration" in manager_page and 'data-testid="share"' not in manager_page


@pytest.mark.parametrize("size", [2, 8])
def test_the_credentials_list_costs_the_same_queries_at_any_size(
    world, client_as, django_capture_on_commit_callbacks, django_assert_num_queries, size
):
    for n in range(size):
        sign_off_task(
            world,
            delegated_task(world, name=f"Task {n}", code=f"T{n}", profile=False),
            django_capture_on_commit_callbacks,
        )
    client = client_as(Role.TRAINEE)
    url = reverse("credentials:trainee_list", kwargs={"pk": world.trainee.pk})
    client.get(url)
    # the session, the user, their memberships, the trainee, the credentials with their issuer
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


def test_the_public_page_costs_the_same_queries_whatever_the_number_of_credentials(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    first = sign_off_task(world, delegated_task(world), django_capture_on_commit_callbacks)
    with django_assert_num_queries(1):  # the credential with its issuer and key
        client.get(public_url(first))
    for n in range(5):
        sign_off_task(
            world,
            delegated_task(world, name=f"Task {n}", code=f"T{n}", profile=False),
            django_capture_on_commit_callbacks,
        )
    with django_assert_num_queries(1):
        client.get(public_url(first))


def test_rotate_issuer_key_command(world, capsys, credential):
    old = credential.key
    call_command("rotate_issuer_key", "--organisation", "acme")
    assert "earlier keys stay" in capsys.readouterr().out
    old.refresh_from_db()
    assert old.retired_at is not None
    assert IssuerKey.objects.filter(organisation=world.organisation, retired_at__isnull=True).exclude(pk=old.pk).exists(
        
    )
    with pytest.raises(CommandError):
        call_command("rotate_issuer_key", "--organisation", "nowhere")


def test_reencrypting_keys_under_a_new_encryption_key_keeps_them_usable(world, settings, credential):
    import base64
    import hashlib

    from cryptography.fernet import Fernet

    from credentials import keys

    # The embedded default (no LADDER_KEY_ENCRYPTION_KEY): derived from SECRET_KEY.
    embedded = base64.urlsafe_b64encode(
        hashlib.sha256(f"ladder-issuer-keys:{settings.SECRET_KEY}".encode()).digest()
    ).decode()
    new = Fernet.generate_key().decode()
    settings.LADDER_KEY_ENCRYPTION_KEY = f"{new},{embedded}"
    call_command("rotate_issuer_key", "--reencrypt")
    settings.LADDER_KEY_ENCRYPTION_KEY = new  # the old one is gone
    key = IssuerKey.objects.get(pk=credential.key_id)
    public = keys.private_key(key.private_key_encrypted).export_public(as_dict=True)
    assert public["x"] == credential.key.public_jwk["x"]
