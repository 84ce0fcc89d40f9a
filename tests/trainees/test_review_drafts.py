"""A progress review can be saved as a draft on the trainee's page: not recorded, not checked,
reopened in the form; recording it ends the draft."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import FormDraft
from programmes.models import Role
from trainees.models import ProgressReview

pytestmark = pytest.mark.django_db


def _url(world):
    return reverse("trainees:review_create", kwargs={"pk": world.enrolment.pk})


def test_a_review_draft_is_kept_reopened_and_ended_by_recording_it(world, client_as):
    client = client_as(Role.MANAGER)
    notes = "Sam is settling in; we talked about the study days and"
    response = client.post(_url(world), {"action": "draft", "notes": notes, "present": ["manager"]})
    assert response.status_code == 302
    assert not ProgressReview.objects.exists()
    assert FormDraft.objects.get(user=world.person(Role.MANAGER)).title.startswith("Progress review of")

    page = client.get(reverse("trainees:enrolment_detail", kwargs={"pk": world.enrolment.pk})).content.decode()
    assert 'data-testid="review-draft-note"' in page and notes in page
    form = client.get(reverse("trainees:enrolment_detail", kwargs={"pk": world.enrolment.pk})).context["review_form"]
    assert form.initial["present"] == ["manager"] and not form.is_bound
    assert 'data-testid="drafts"' in client.get("/").content.decode()

    # Someone else recording reviews of the same trainee does not see it.
    other = client_as(Role.LECTURER).get(reverse("trainees:enrolment_detail", kwargs={"pk": world.enrolment.pk}))
    assert notes not in other.content.decode()

    client = client_as(Role.MANAGER)  # one test client, signed in again as the manager
    done = client.post(_url(world), {"action": "record", "held_on": "2026-03-02", "present": ["manager"],
                                     "notes": notes + " agreed a plan."})
    assert done.status_code == 302
    assert ProgressReview.objects.count() == 1
    assert not FormDraft.objects.exists()
