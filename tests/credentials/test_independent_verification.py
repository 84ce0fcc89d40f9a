"""Ladder's credentials checked by an independent implementation: scripts/verify-credential.mjs,
Node with the npm `jose` package, against a running Ladder (pytest-django's live server). It
fetches the credential as application/vc+jwt, resolves the issuer's did:web over HTTP, checks
the signature, the Open Badges 3.0 shape and JWT claims, the dates, and the status-list bits.
Nothing of Ladder's Python signing or encoding code is used to check."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from competencies.evidence.services import decisions_backdate
from credentials import services
from credentials.models import Credential

from ..evidence.factories import sign_off, submit
from .helpers import delegated_task

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "verify-credential.mjs"
NODE = shutil.which("node") or "node"


def verify(source: str) -> tuple[int, dict]:
    done = subprocess.run(  # noqa: S603 (our own script, with a URL or a file we wrote)
        [NODE, str(SCRIPT), source], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.fixture
def ladder(live_server, settings):
    settings.LADDER_PUBLIC_URL = live_server.url
    return live_server


@pytest.fixture
def credential(ladder, world):
    task = delegated_task(world)
    sign_off(submit(world.trainee, [task]), {task.pk: 1})  # committed: the receiver issues it
    return Credential.objects.get(trainee=world.trainee, competency=task)


def url_of(credential) -> str:
    return services.credential_url(credential.public_id)


def test_a_valid_credential_verifies_against_the_did_web_key_and_status_lists(credential, world):
    code, report = verify(url_of(credential))
    assert code == 0, report
    assert report["valid"] is True
    assert report["signature"] == "verified"
    assert report["issuer"].startswith("did:web:localhost%3A")
    assert report["issuer"].endswith(":organisations:acme")
    assert report["achievement"] == "Insulin administration"
    assert report["subject"] == "Sam Trainee"
    assert report["status"] == {"revocation": 0, "suspension": 0}


def test_a_tampered_credential_fails(credential, tmp_path):
    head, body, signature = credential.token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["credentialSubject"]["achievement"]["name"] = "Insulin administration and PEG feeding"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    path = tmp_path / "tampered.jwt"
    path.write_text(f"{head}.{forged}.{signature}")
    code, report = verify(str(path))
    assert code == 1
    assert report["valid"] is False
    assert "signature does not verify" in report["error"]


def test_a_revoked_credential_fails_on_its_status_list_bit(credential):
    services.credential_revoke(credential=credential, reason="The sign-off was withdrawn.")
    code, report = verify(url_of(credential))
    assert code == 1
    assert report["error"] == "revoked"
    assert report["status"] == {"revocation": 1}


def test_a_suspended_credential_fails_and_verifies_again_once_lifted(credential):
    services.credential_suspend(credential=credential, reason="An incident is being reviewed.")
    code, report = verify(url_of(credential))
    assert (code, report["error"]) == (1, "suspended")
    services.credential_unsuspend(credential=credential)
    assert verify(url_of(credential))[0] == 0


def test_an_expired_credential_fails(ladder, world):
    # Signed off 400 days ago for a task reassessed yearly: the credential made then has lapsed.
    task = delegated_task(world, months=12)
    with transaction.atomic():
        evidence = sign_off(submit(world.trainee, [task]), {task.pk: 1})
        decisions_backdate(evidence=evidence, decided_at=timezone.now() - timedelta(days=400))
    assert not Credential.objects.filter(competency=task).exists()  # lapsed: nothing new issued
    credential = services.credential_issue_for_competency(
        trainee=world.trainee, competency=task, lapsed_too=True
    )
    code, report = verify(url_of(credential))
    assert code == 1
    assert report["error"].startswith("expired on ")


def test_a_credential_signed_before_a_key_rotation_still_verifies(credential, world):
    services.issuer_key_rotate(organisation=world.organisation)
    code, report = verify(url_of(credential))
    assert code == 0, report
