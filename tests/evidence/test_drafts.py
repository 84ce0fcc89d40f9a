"""A trainee writing a reflective account can "Save as draft": kept as typed, required fields
not checked, nothing submitted and nobody told; listed on their evidence page and home;
reopened in the form; submitting it makes the real evidence and ends the draft."""

from __future__ import annotations

from django.urls import reverse

from competencies.models import Evidence
from core.models import FormDraft
from programmes.models import Role

from .test_pages import _form


def test_a_half_written_account_is_saved_as_a_draft_without_its_required_fields(client_as, world, frameworks):
    client = client_as(Role.TRAINEE)
    words = "On Larch Ward I noticed the NEWS2 had risen to 5, and I"
    response = client.post(reverse("evidence:create"), {
        "action": "draft", "title": "", "kind": "reflection", "description": words,
        "competencies": [str(frameworks.escalation.pk)],
        "occurred_on_day": "2", "occurred_on_month": "", "occurred_on_year": "",
    })
    assert response.status_code == 302 and response.url == reverse("evidence:create")
    assert not Evidence.objects.exists()  # nothing submitted: the mentor sees nothing
    draft = FormDraft.objects.get(user=world.person(Role.TRAINEE))
    assert draft.title == "Evidence: untitled"

    reopened = client.get(reverse("evidence:create"))
    page = reopened.content.decode()
    assert 'data-testid="draft-note"' in page
    assert words in page  # reopened in the form, as typed
    form = reopened.context["form"]
    assert not form.is_bound
    assert form["competencies"].value() == [str(frameworks.escalation.pk)]
    assert form["kind"].value() == "reflection"
    assert "nhsuk-error-summary" not in page  # a draft is not told off for what is missing

    assert 'data-testid="evidence-draft"' in client.get(reverse("evidence:list")).content.decode()
    assert 'data-testid="drafts"' in client.get("/").content.decode()

    mentor = client_as(Role.MENTOR)
    assert words not in mentor.get(reverse("evidence:list")).content.decode()
    assert 'data-testid="drafts"' not in mentor.get("/").content.decode()


def test_submitting_the_draft_makes_the_evidence_and_ends_the_draft(client_as, world, frameworks):
    client = client_as(Role.TRAINEE)
    client.post(reverse("evidence:create"), {**_form(frameworks), "action": "draft"})
    assert FormDraft.objects.count() == 1 and not Evidence.objects.exists()

    response = client.post(reverse("evidence:create"), {**_form(frameworks), "action": "submit"})
    assert response.status_code == 302
    assert Evidence.objects.get().status == Evidence.Status.SUBMITTED
    assert not FormDraft.objects.exists()


def test_a_draft_can_be_saved_again_and_deleted(client_as, world, frameworks):
    client = client_as(Role.TRAINEE)
    client.post(reverse("evidence:create"), {"action": "draft", "title": "First try"})
    client.post(reverse("evidence:create"), {"action": "draft", "title": "Second try"})
    assert list(FormDraft.objects.values_list("title", flat=True)) == ["Evidence: Second try"]
    client.post(reverse("evidence:create"), {"action": "discard-draft", "title": "Second try"})
    assert not FormDraft.objects.exists()


def test_an_invalid_submission_keeps_its_errors_and_saves_no_draft(client_as, world, frameworks):
    response = client_as(Role.TRAINEE).post(reverse("evidence:create"), {**_form(frameworks), "title": ""})
    assert response.status_code == 200 and "Enter a title for this evidence" in response.content.decode()
    assert not FormDraft.objects.exists()
