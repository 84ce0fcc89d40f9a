"""Coding answers with themes: the rules on excerpts and quotes, and the coding page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations.findings import services
from evaluations.models import Coding, Interview
from programmes.models import Role

from ..programmes.helpers import Page
from . import factories as f

ANSWER = "I wanted job satisfaction,\nand a stepping stone into nurse training."


@pytest.fixture
def start(world):
    instrument = f.instrument(world.organisation)
    stage = f.stage(world.cohort)
    return stage, instrument


def _interview(world, start, *, consent, status=Interview.Status.DONE, text=ANSWER):
    stage, instrument = start
    return f.interview(stage, instrument, enrolment=f.enrolment(world), consent=consent, status=status,
                       answers={"why_applied": text, "confidence": 4})


def test_a_quote_is_refused_without_consent_to_quote(world, start):
    interview = _interview(world, start, consent=False)
    theme = f.theme(world.programme, "Job satisfaction")

    with pytest.raises(ValidationError) as refused:
        services.coding_add(answer=f.answer(interview, "why_applied"), theme=theme,
                            excerpt="job satisfaction", is_quote=True)

    assert refused.value.message_dict["is_quote"] == [
        "This answer cannot be quoted: the trainee did not consent to being quoted. Untick "
        "“quotable” to code it without quoting it"
    ]
    assert not Coding.objects.exists()
    # Without the quote it is coded.
    coding = services.coding_add(answer=f.answer(interview, "why_applied"), theme=theme, excerpt="job satisfaction")
    assert (coding.excerpt, coding.is_quote) == ("job satisfaction", False)


def test_a_quote_is_allowed_with_consent(world, start):
    interview = _interview(world, start, consent=True)
    coding = f.code(interview, "why_applied", "Career progression", excerpt="a stepping stone", quote=True)
    assert coding.is_quote and coding.excerpt == "a stepping stone"


def test_the_excerpt_must_be_part_of_the_answer(world, start):
    interview = _interview(world, start, consent=True)
    theme = f.theme(world.programme, "Remuneration")

    with pytest.raises(ValidationError) as refused:
        services.coding_add(answer=f.answer(interview, "why_applied"), theme=theme, excerpt="better pay")
    assert refused.value.message_dict["excerpt"] == [
        "The excerpt must be copied from the answer: “better pay” is not in it"
    ]
    assert not Coding.objects.exists()


def test_an_excerpt_copied_across_a_line_break_is_stored_as_the_answer_has_it(world, start):
    interview = _interview(world, start, consent=True)
    coding = f.code(interview, "why_applied", "Career progression", excerpt="satisfaction, and a  stepping")
    assert coding.excerpt == "satisfaction,\nand a stepping"


def test_excerpt_case_must_match(world, start):
    interview = _interview(world, start, consent=True)
    with pytest.raises(ValidationError):
        f.code(interview, "why_applied", "Job satisfaction", excerpt="Job Satisfaction")


def test_a_theme_of_another_programme_and_an_unfinished_interview_are_refused(world, start):
    interview = _interview(world, start, consent=True)
    elsewhere = f.theme(world.other_programme, "Job satisfaction")
    with pytest.raises(ValidationError, match="another programme"):
        services.coding_add(answer=f.answer(interview, "why_applied"), theme=elsewhere)

    draft = _interview(world, start, consent=True, status=Interview.Status.DRAFT)
    with pytest.raises(ValidationError, match="Only completed interviews"):
        f.code(draft, "why_applied", "Job satisfaction")


def test_coding_again_updates_and_remove_deletes(world, start):
    interview = _interview(world, start, consent=True)
    first = f.code(interview, "why_applied", "Job satisfaction")
    again = f.code(interview, "why_applied", "Job satisfaction", excerpt="job satisfaction", quote=True)
    assert again.pk == first.pk and again.is_quote
    services.coding_remove(coding=again)
    assert not Coding.objects.exists()


def test_the_lead_codes_an_answer_on_the_coding_page(client_as, world, start):
    consenting = _interview(world, start, consent=True)
    refusing = _interview(world, start, consent=False, text="Cover for my study days is hard to find.")
    job = f.theme(world.programme, "Job satisfaction")
    career = f.theme(world.programme, "Career progression")
    stage, _ = start
    url = reverse("findings:coding", kwargs={"stage_pk": stage.pk})
    client = client_as(Role.TRAINING_LEAD)

    page = Page(client.get(url))
    assert len(page.all(data_testid="answer")) == 2  # text answers only: the scale answer is not coded
    refusing_answer = f.answer(refusing, "why_applied")
    quotable = page.all(name=f"answer-{refusing_answer.pk}-is_quote")[0]
    assert "disabled" in quotable.attrs
    assert "did not consent to being quoted" in page.text(id=f"id_answer-{refusing_answer.pk}-is_quote-hint")

    answer = f.answer(consenting, "why_applied")
    prefix = f"answer-{answer.pk}"
    response = client.post(url, {
        "answer": answer.pk, f"{prefix}-themes": [job.pk, career.pk],
        f"{prefix}-excerpt": "a stepping stone into nurse training", f"{prefix}-is_quote": "on",
    })
    assert response.status_code == 302
    assert response["Location"] == f"{url}?saved={answer.pk}#answer-{answer.pk}"
    assert {(c.theme.name, c.is_quote) for c in answer.codings.all()} == {
        ("Job satisfaction", True), ("Career progression", True)
    }

    # Unticking a theme removes its coding; a bad excerpt is shown by the field.
    response = client.post(url, {"answer": answer.pk, f"{prefix}-themes": [job.pk], f"{prefix}-excerpt": "nope"})
    assert response.status_code == 200
    assert Page(response).error_for(f"id_{prefix}-excerpt") == (
        "The excerpt must be copied from the answer: “nope” is not in it"
    )
    assert answer.codings.count() == 2  # nothing changed
    client.post(url, {"answer": answer.pk, f"{prefix}-themes": [job.pk]})
    assert [c.theme.name for c in answer.codings.all()] == ["Job satisfaction"]


def test_a_posted_quote_for_an_answer_without_consent_is_not_saved(client_as, world, start):
    refusing = _interview(world, start, consent=False)
    job = f.theme(world.programme, "Job satisfaction")
    stage, _ = start
    answer = f.answer(refusing, "why_applied")
    prefix = f"answer-{answer.pk}"
    client_as(Role.TRAINING_LEAD).post(
        reverse("findings:coding", kwargs={"stage_pk": stage.pk}),
        {"answer": answer.pk, f"{prefix}-themes": [job.pk], f"{prefix}-is_quote": "on"},
    )
    # The tick is disabled: a forged one is ignored, the theme is still coded.
    assert [(c.theme_id, c.is_quote) for c in answer.codings.all()] == [(job.pk, False)]


def test_an_answer_of_another_stage_cannot_be_posted(client_as, world, start):
    stage, instrument = start
    other_stage = f.stage(world.cohort, name="Mid-way", order=2)
    elsewhere = f.interview(other_stage, instrument, enrolment=f.enrolment(world), answers={"why_applied": ANSWER})
    response = client_as(Role.TRAINING_LEAD).post(
        reverse("findings:coding", kwargs={"stage_pk": stage.pk}),
        {"answer": f.answer(elsewhere, "why_applied").pk},
    )
    assert response.status_code == 404


def test_a_planner_may_read_findings_but_not_code(client_as, world, start):
    stage, _ = start
    client = client_as(Role.PLANNER)
    assert client.get(reverse("findings:stage_findings", kwargs={"stage_pk": stage.pk})).status_code == 200
    assert client.get(reverse("findings:coding", kwargs={"stage_pk": stage.pk})).status_code == 403
