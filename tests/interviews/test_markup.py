"""Every interview page is well-formed HTML (no stray or unclosed tags, no repeated ids),
with and without form errors."""

from __future__ import annotations

from evaluations.interviews import services
from evaluations.interviews.instruments import TRAINEE_START, ensure_ready_made_instruments
from evaluations.models import Interview
from programmes.models import Role

from ..test_nhsuk_forms import parse


def _check(response) -> None:
    assert response.status_code == 200, response.status_code
    parse(response.content.decode())


def test_the_pages_are_well_formed(client_as, world, lead, midway):
    services.stage_open(stage=midway, actor=lead)
    instrument = ensure_ready_made_instruments(world.organisation)[TRAINEE_START]
    interview = Interview.objects.get(stage=midway, enrolment=world.enrolment)
    services.interview_save(interview=interview, actor=lead, answers={"going_well": "Well <b>so</b> far"})
    client = client_as(Role.TRAINING_LEAD)
    for url in (
        "/instruments/", f"/instruments/{instrument.pk}/", f"/instruments/{instrument.pk}/edit/",
        f"/programmes/{world.programme.pk}/evaluation-plan/",
        f"/cohorts/{world.cohort.pk}/evaluation/", f"/cohorts/{world.cohort.pk}/evaluation/stages/new/",
        f"/stages/{midway.pk}/", f"/stages/{midway.pk}/edit/",
        f"/interviews/{interview.pk}/", f"/interviews/{interview.pk}/record/", "/my/interviews/",
    ):
        _check(client.get(url))
    # With errors on the forms.
    _check(client.post(f"/instruments/{instrument.pk}/edit/", {"name": ""}))
    _check(client.post(f"/cohorts/{world.cohort.pk}/evaluation/stages/new/", {"name": ""}))
    _check(client.post(f"/programmes/{world.programme.pk}/evaluation-plan/", {}))
    _check(client.post(f"/interviews/{interview.pk}/record/", {
        "version": str(interview.version + 1), "action": "complete", "q_study_hours_lost": "lots",
    }))
    body = client.get(f"/interviews/{interview.pk}/").content.decode()
    assert "Well &lt;b&gt;so&lt;/b&gt; far" in body  # answers are escaped
