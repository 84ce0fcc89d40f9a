"""Erasing a person who has left: a training lead confirms by typing their name; Ladder replaces
what identifies them, deletes their files, closes their login and scrubs the audit trail, but
keeps the rows, so every figure of the programme is the same afterwards."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from competencies.models import Evidence, EvidenceClaim, EvidenceComment, EvidenceFile
from core.drafts import draft_save, evidence_draft_key, review_draft_key
from core.models import FormDraft
from evaluations.models import Answer, Coding
from privacy import services
from privacy.models import PrivacyEvent
from programmes.models import Membership, Role
from reports.documents.case_study import gather
from reports.models import ReportJob
from trainees.models import ProgressReview
from trainees.selectors import study_time_lost_by_area

from ..api.conftest import token_for
from ..conftest import PASSWORD
from ..trainees.helpers import add_history, add_trainee
from .helpers import EVIDENCE_TEXT, QUOTE, REVIEW_NOTE, finish, rich_record

pytestmark = pytest.mark.django_db

# What identified Sam before the erasure: none of it may be left anywhere in the audit trail.
IDENTIFYING = ("Sam", "Trainee", "E1001", "trainee.acme", QUOTE, REVIEW_NOTE, EVIDENCE_TEXT, "observation-0.pdf")


def _erase_url(world):
    return reverse("privacy:erase", kwargs={"pk": world.trainee.pk})


def _figures(world) -> dict:
    """The programme's figures as the case study, the findings and the ward overview show them."""
    lead = Membership.objects.get(user=world.person(Role.TRAINING_LEAD))
    study = gather(world.programme, membership=lead)
    themes = study.findings.trainee.themes
    return {
        "cohorts": [asdict(c) for c in study.cohorts],
        "totals": study.totals,
        "themes": [(t.name, t.interviews) for t in themes],
        "interviews": study.findings.trainee.interviews,
        "levels": sorted(EvidenceClaim.objects.values_list("competency_id", "level_awarded")),
        "evidence": sorted(Evidence.objects.values_list("trainee_id", "status")),
        "study_time_by_ward": list(study_time_lost_by_area(membership=lead)),
    }


def test_someone_with_an_active_enrolment_cannot_be_erased(world, client_as):
    client = client_as(Role.TRAINING_LEAD)
    page = client.get(_erase_url(world))
    assert b"Cohort 1 is active" in page.content and b"withdraw it first" in page.content
    assert b"data-testid=\"erase-form\"" not in page.content
    response = client.post(_erase_url(world), {"confirm_name": "Sam Trainee"})
    assert response.status_code == 409
    world.trainee.refresh_from_db()
    assert world.trainee.first_name == "Sam"
    with pytest.raises(ValidationError, match="Record its completion or withdraw it first"):
        services.trainee_erase(trainee=world.trainee, actor=world.person(Role.TRAINING_LEAD))
    assert not PrivacyEvent.objects.exists()


def test_the_lead_must_type_the_name_to_confirm(world, client_as):
    finish(world)
    client = client_as(Role.TRAINING_LEAD)
    page = client.get(_erase_url(world))
    assert b"This cannot be undone" in page.content
    response = client.post(_erase_url(world), {"confirm_name": "Someone Else"})
    assert response.status_code == 200
    assert "That is not the name of this person. Type Sam Trainee to confirm." in response.content.decode()
    world.trainee.refresh_from_db()
    assert world.trainee.first_name == "Sam"
    assert not PrivacyEvent.objects.exists()


def test_erasure_replaces_what_identifies_the_person_and_closes_their_login(
    world, client_as, django_capture_on_commit_callbacks, eager_tasks
):
    rich_record(world)
    finish(world)
    with django_capture_on_commit_callbacks(execute=True):  # the export is queued on commit
        client_as(Role.TRAINING_LEAD).post(reverse("privacy:export", kwargs={"pk": world.trainee.pk}))
    files = list(EvidenceFile.objects.filter(evidence__trainee=world.trainee).values_list("file", flat=True))
    files.append(ReportJob.objects.get(trainee=world.trainee).file.name)
    files.append(PrivacyEvent.objects.get(kind=PrivacyEvent.Kind.EXPORT).file.name)  # a copy of it all
    assert len(files) == 3 and all(default_storage.exists(name) for name in files)

    their_session = Client()
    their_session.force_login(world.person(Role.TRAINEE))
    token_for(world.person(Role.TRAINEE))
    Client().post("/account/login/", {"username": "trainee.acme", "password": "a guess"})
    assert AccessAttempt.objects.filter(username="trainee.acme").exists()
    client = client_as(Role.TRAINING_LEAD)
    with django_capture_on_commit_callbacks(execute=True):  # files go after the commit
        response = client.post(_erase_url(world), {"confirm_name": "  sam   TRAINEE "})
    assert response.status_code == 302

    trainee = world.trainee
    trainee.refresh_from_db()
    assert (trainee.full_name, trainee.email, trainee.employee_number) == (
        f"Erased trainee {trainee.pk}", "", f"erased-{trainee.pk}")
    user = trainee.user
    assert user.username == f"erased-{user.pk}" and not user.is_active
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert not user.has_usable_password()
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()  # password gone
    assert not Membership.objects.filter(user=user, is_active=True).exists()
    assert not AccessAttempt.objects.filter(username="trainee.acme").exists()  # records named them
    # They cannot log in again, and the session they had is over.
    login = Client().post("/account/login/", {"username": "trainee.acme", "password": PASSWORD})
    assert login.status_code == 200 and b"enter a correct username and password" in login.content.lower()
    assert their_session.get(reverse("trainees:my_record")).status_code == 302
    # Free text about or by them is gone; the figures' columns are not.
    notes = ProgressReview.objects.filter(enrolment__trainee=trainee).values_list("notes", flat=True)
    assert set(notes) == {services.ERASED}
    assert set(Evidence.objects.filter(trainee=trainee).values_list("description", flat=True)) == {services.ERASED}
    comments = EvidenceComment.objects.filter(evidence__trainee=trainee).values_list("text", flat=True)
    assert set(comments) == {services.ERASED}
    answers = dict(Answer.objects.filter(interview__enrolment__trainee=trainee).values_list("question__key", "value"))
    assert answers == {"why_applied": services.ERASED, "experience": services.ERASED, "confidence": "4"}
    codings = Coding.objects.filter(answer__interview__enrolment__trainee=trainee)
    assert codings.count() == 2 and not codings.filter(is_quote=True).exists()
    assert set(codings.values_list("excerpt", flat=True)) == {""}
    # Their files are deleted, from the database and from storage.
    assert not EvidenceFile.objects.filter(evidence__trainee=trainee).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert PrivacyEvent.objects.get(kind=PrivacyEvent.Kind.EXPORT).file == ""


def test_the_audit_trail_keeps_who_and_when_but_not_the_erased_values(world, client_as):
    rich_record(world)
    finish(world)
    before = LogEntry.objects.count()
    client_as(Role.TRAINING_LEAD).post(_erase_url(world), {"confirm_name": "Sam Trainee"})

    entries = list(LogEntry.objects.all())
    assert len(entries) == before + 1  # the erasure itself; no entry was removed
    # The other organisation's trainee happens to share Sam's employee number: not Sam's entry.
    other = str(world.other_trainee.pk)
    entries = [e for e in entries if not (e.content_type.model == "trainee" and e.object_pk == other)]
    text = json.dumps([[e.object_repr, e.changes, e.changes_text, e.actor_email] for e in entries])
    leaks = [value for value in IDENTIFYING if value in text]
    assert not leaks, f"Erased values left in the audit trail: {leaks}"
    erasure = LogEntry.objects.order_by("-pk").first()
    assert erasure.actor == world.person(Role.TRAINING_LEAD)
    assert erasure.object_pk == str(world.trainee.pk)
    assert erasure.changes["first_name"] == [services.ERASED, services.ERASED]


def test_the_erasure_is_recorded_but_not_what_was_erased(world, client_as):
    finish(world)
    client = client_as(Role.TRAINING_LEAD)
    client.post(_erase_url(world), {"confirm_name": "Sam Trainee"})
    event = PrivacyEvent.objects.get()
    assert (event.kind, event.actor) == (PrivacyEvent.Kind.ERASURE, world.person(Role.TRAINING_LEAD))
    assert "Sam" not in event.summary and "E1001" not in event.summary
    page = client.get(reverse("privacy:personal_data", kwargs={"pk": world.trainee.pk}))
    assert b"Erasure" in page.content and b"already been erased" in page.content
    # A second erasure is refused.
    with pytest.raises(ValidationError, match="already been erased"):
        services.trainee_erase(trainee=world.trainee, actor=world.person(Role.TRAINING_LEAD))


def test_the_programmes_figures_are_the_same_before_and_after(world, client_as):
    rich_record(world, size=2)
    _, other = add_trainee(world, first_name="Kim", last_name="Stays", employee_number="E3001")
    add_history(world, other)
    finish(world, outcome="progressed")
    before = _figures(world)
    assert before["totals"]["enrolled"] == 2 and before["totals"]["progressed"] == 1
    assert ("Support from managers", 2) in before["themes"]

    client_as(Role.TRAINING_LEAD).post(_erase_url(world), {"confirm_name": "Sam Trainee"})
    assert PrivacyEvent.objects.filter(kind=PrivacyEvent.Kind.ERASURE).exists()
    assert _figures(world) == before


@pytest.mark.parametrize("role", [Role.PLANNER, Role.MANAGER, Role.TRAINEE])
def test_only_training_leads_may_erase(world, client_as, role):
    finish(world)
    response = client_as(role).post(_erase_url(world), {"confirm_name": "Sam Trainee"})
    assert response.status_code == 403
    world.trainee.refresh_from_db()
    assert world.trainee.first_name == "Sam"


def test_a_lead_of_another_organisation_cannot_erase(world, client_as):
    finish(world)
    assert client_as("outsider").post(_erase_url(world), {"confirm_name": "Sam Trainee"}).status_code == 404
    world.trainee.refresh_from_db()
    assert world.trainee.first_name == "Sam"


def test_no_erasure_while_an_export_is_being_put_together(world):
    finish(world)
    PrivacyEvent.objects.create(
        organisation=world.organisation, trainee=world.trainee, kind=PrivacyEvent.Kind.EXPORT,
        actor=world.person(Role.TRAINING_LEAD), status=PrivacyEvent.Status.RUNNING,
    )
    with pytest.raises(ValidationError, match="An export of their data is being put together"):
        services.trainee_erase(trainee=world.trainee, actor=world.person(Role.TRAINING_LEAD))


def test_an_export_whose_worker_died_long_ago_does_not_block_erasure(world):
    from datetime import timedelta

    from django.utils import timezone

    from reports.tasks import stuck_after

    finish(world)
    stuck = PrivacyEvent.objects.create(
        organisation=world.organisation, trainee=world.trainee, kind=PrivacyEvent.Kind.EXPORT,
        actor=world.person(Role.TRAINING_LEAD), status=PrivacyEvent.Status.RUNNING,
    )
    PrivacyEvent.objects.filter(pk=stuck.pk).update(at=timezone.now() - stuck_after() - timedelta(minutes=1))
    assert services.erasure_blockers(world.trainee) == []


def test_erasure_deletes_drafts_by_and_about_the_person_and_keeps_everyone_elses(world, client_as):
    finish(world)
    trainee, mentor = world.person(Role.TRAINEE), world.person(Role.MENTOR)
    typed = QueryDict("title=Night shift&description=What I did")
    draft_save(user=trainee, key=evidence_draft_key(world.trainee.pk), title="Night shift", url="/", data=typed)
    draft_save(user=trainee, key="somewhere:else", title="Elsewhere", url="/", data=typed)
    draft_save(user=mentor, key=review_draft_key(world.enrolment.pk), title="Review", url="/", data=typed)
    draft_save(user=mentor, key=review_draft_key(world.enrolment.pk + 1000), title="Another's", url="/", data=typed)

    response = client_as(Role.TRAINING_LEAD).post(_erase_url(world), {"confirm_name": "Sam Trainee"})

    assert response.status_code == 302
    assert list(FormDraft.objects.values_list("user", "key")) == [
        (mentor.pk, review_draft_key(world.enrolment.pk + 1000))
    ]
