"""No lost updates: two people open the same edit page, both save; the second is refused.

Each case is a record edited in two browsers (two training leads of Acme, or the trainee's
own evidence in two tabs). Both load the page before either saves; the first save goes
through, the second is shown again with a message saying someone else changed the record,
and what is stored is the first person's change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from evaluations.models import Answer
from programmes.models import Role
from reports.models import CaseStudyNarrative
from trainees.models import Enrolment, LearningContract, Trainee

from ..conftest import make_person
from .forms.driver import Target, as_loaded, form_on_page, page_url

LEAD, TRAINEE = Role.TRAINING_LEAD, Role.TRAINEE
STALE_MESSAGE = "Someone else"


@dataclass(frozen=True)
class Edit:
    target: Target
    change: Callable[[dict, str], None]  # (the form as loaded, "first" or "second") -> edits it
    stored: Callable  # world -> what the record holds now
    first: object  # what it holds after the first person's save

    def __str__(self) -> str:
        return self.target.action


def _set(**values):
    def change(data: dict, who: str) -> None:
        data.update({name: value[who] if isinstance(value, dict) else value
                     for name, value in values.items()})
    return change


def _interview(world):
    from tests.access_entries.interviews import _trainee_interview

    return {"pk": _trainee_interview(world).pk}


def _evidence(world):
    from tests.evidence.factories import evidence_for_world

    return {"pk": evidence_for_world(world).pk}


def _answer(world, key):
    answer = Answer.objects.filter(interview__enrolment=world.enrolment, question__key=key).first()
    return answer.value if answer else None


EDITS = [
    Edit(
        Target("trainees:enrolment_transition", "trainees:enrolment_detail", LEAD),
        _set(to_status={"first": "paused", "second": "withdrawn"},
             reason={"first": "Long-term sickness", "second": "Left the trust"}),
        lambda world: Enrolment.objects.get(pk=world.enrolment.pk).status,
        "paused",
    ),
    Edit(
        Target("trainees:plan_edit", "trainees:plan_edit", LEAD),
        _set(study_hours_per_week={"first": "5", "second": "9"}),
        lambda world: str(Enrolment.objects.get(pk=world.enrolment.pk).study_hours_per_week),
        "5.0",
    ),
    Edit(
        Target("trainees:contract_edit", "trainees:contract_edit", LEAD),
        _set(trainee_expectations={"first": "Study on Tuesdays.", "second": "Study on Fridays."}),
        lambda world: LearningContract.objects.get(enrolment=world.enrolment).trainee_expectations,
        "Study on Tuesdays.",
    ),
    Edit(
        Target("trainees:edit", "trainees:edit", LEAD),
        _set(first_name={"first": "Samantha", "second": "Samuel"}),
        lambda world: Trainee.objects.get(pk=world.trainee.pk).first_name,
        "Samantha",
    ),
    Edit(
        Target("interviews:interview_record", "interviews:interview_record", LEAD,
               setup=_interview),
        _set(q_going_well={"first": "Mentor meetings.", "second": "The taught days."},
             action="draft"),
        lambda world: _answer(world, "going_well"),
        "Mentor meetings.",
    ),
    Edit(
        Target("evidence:edit", "evidence:edit", TRAINEE, setup=_evidence),
        _set(title={"first": "Observation on Larch", "second": "Reflective account"}),
        lambda world: world.trainee.evidence.get().title,
        "Observation on Larch",
    ),
    Edit(
        Target("reports:case_study_edit", "reports:case_study_edit", LEAD),
        _set(organisation_text={"first": "A mental health trust.", "second": "A health board."}),
        lambda world: CaseStudyNarrative.objects.filter(programme=world.programme)
        .values_list("organisation_text", flat=True).first(),
        "A mental health trust.",
    ),
]


def _two_people(world, role) -> tuple[Client, Client]:
    first, second = Client(), Client()
    if role == LEAD:
        first.force_login(world.person(LEAD))
        second.force_login(make_person(world.organisation, LEAD, "lead2.acme"))
    else:  # the trainee's own record: the same person in two browser tabs
        first.force_login(world.person(role))
        second.force_login(world.person(role))
    return first, second


@pytest.mark.parametrize("edit", EDITS, ids=str)
def test_the_second_of_two_saves_is_refused_with_a_reason(edit, world):
    first, second = _two_people(world, edit.target.role)
    url = page_url(edit.target, world)
    # Both open the page before either saves.
    _, action, first_form = form_on_page(first, url, edit.target)
    _, _, second_form = form_on_page(second, url, edit.target)

    first_data, second_data = as_loaded(first_form), as_loaded(second_form)
    edit.change(first_data, "first")
    edit.change(second_data, "second")

    saved = first.post(action, first_data)
    assert saved.status_code == 302, "the first save goes through"
    assert edit.stored(world) == edit.first

    refused = second.post(action, second_data)
    html = refused.content.decode()
    assert refused.status_code in (200, 409), refused.status_code
    assert STALE_MESSAGE in html and "nhsuk-error-summary" in html
    assert edit.stored(world) == edit.first, "the second save must not overwrite the first"


def test_a_trainee_record_posted_without_its_fingerprint_is_refused(world):
    # An edit that cannot say which version of the record it saw is not saved over it.
    lead = Client()
    lead.force_login(world.person(LEAD))
    target = Target("trainees:edit", "trainees:edit", LEAD)
    url = page_url(target, world)
    _, action, form = form_on_page(lead, url, target)
    data = as_loaded(form)
    data.update(first_name="Samantha", fingerprint="")
    response = lead.post(action, data)
    assert response.status_code == 200
    assert STALE_MESSAGE in response.content.decode()
    assert Trainee.objects.get(pk=world.trainee.pk).first_name == "Sam"


def test_saving_the_trainee_record_twice_from_fresh_pages_works(world):
    # The fingerprint follows the record: a page loaded after a save can save again.
    lead = Client()
    lead.force_login(world.person(LEAD))
    target = Target("trainees:edit", "trainees:edit", LEAD)
    url = page_url(target, world)
    for name in ("Samantha", "Sammy"):
        _, action, form = form_on_page(lead, url, target)
        data = as_loaded(form)
        data["first_name"] = name
        assert lead.post(action, data).status_code == 302
        assert Trainee.objects.get(pk=world.trainee.pk).first_name == name


@pytest.mark.parametrize("edit", EDITS, ids=str)
def test_a_damaged_version_on_the_page_is_refused_with_what_to_do(edit, world):
    # The version travels in a hidden field; a page that lost or garbled it must not save, and
    # must say something a person can act on (not "(Hidden field version) Enter a whole number").
    person, _ = _two_people(world, edit.target.role)
    url = page_url(edit.target, world)
    _, action, form = form_on_page(person, url, edit.target)
    hidden = [f.name for f in form.fields.values()
              if f.kind == "hidden" and f.name != "csrfmiddlewaretoken"]
    before = edit.stored(world)
    for damaged in ("abc", "-1", ""):
        data = as_loaded(form)
        edit.change(data, "first")
        data.update({name: damaged for name in hidden})
        response = person.post(action, data)
        html = response.content.decode()
        assert response.status_code == 200, response.status_code
        assert "Hidden field" not in html
        assert "out of date" in html or STALE_MESSAGE in html
        assert edit.stored(world) == before


def test_trainee_update_refuses_a_fingerprint_taken_before_someone_elses_save(world):
    from trainees import services

    lead = world.person(LEAD)
    seen = services.trainee_fingerprint(world.trainee)
    services.trainee_update(trainee=world.trainee, actor=lead, expected_fingerprint=seen,
                            first_name="Samantha")
    with pytest.raises(services.StaleEdit):
        services.trainee_update(trainee=Trainee.objects.get(pk=world.trainee.pk), actor=lead,
                                expected_fingerprint=seen, first_name="Samuel")
    assert Trainee.objects.get(pk=world.trainee.pk).first_name == "Samantha"
