"""Recording an interview (draft, complete, stale saves) and who may see or record which."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from evaluations.interviews import services
from evaluations.models import Interview
from programmes.models import Role

from .conftest import add_trainee

HELD = date(2026, 11, 2)


def _date(name: str, value: date | None) -> dict:
    if value is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}


@pytest.fixture
def opened(world, lead, midway):
    services.stage_open(stage=midway, actor=lead)
    return midway


@pytest.fixture
def trainee_interview(world, opened):
    return Interview.objects.get(stage=opened, enrolment=world.enrolment)


@pytest.fixture
def manager_interview(world, opened):
    return Interview.objects.get(stage=opened, manager=world.person(Role.MANAGER))


# --- The service -------------------------------------------------------------------------------

def test_a_draft_then_a_completed_interview(world, lead, trainee_interview):
    draft = services.interview_save(
        interview=trainee_interview, actor=lead, answers={"going_well": "Observations", "confidence_mid": "3"},
    )
    assert draft.status == Interview.Status.DRAFT and draft.version == 2
    done = services.interview_save(
        interview=draft, actor=lead, held_on=HELD, consent_to_quote=True, complete=True,
        answers={"study_time_received": False, "study_hours_lost": "7.5"}, expected_version=2,
    )
    assert done.status == Interview.Status.DONE and done.completed_at is not None
    assert done.interviewer == lead and done.consent_to_quote
    answers = {a.question.key: (a.value, a.number) for a in done.answers.select_related("question")}
    assert answers["going_well"] == ("Observations", None)  # the draft's answer kept
    assert answers["confidence_mid"][0] == "3" and answers["confidence_mid"][1] == 3
    assert answers["study_time_received"] == ("no", None)
    assert answers["study_hours_lost"][0] == "7.5"


def test_required_questions_are_enforced_on_completing_only(world, lead, trainee_interview):
    services.interview_save(interview=trainee_interview, actor=lead, answers={})  # a draft: fine
    with pytest.raises(ValidationError) as error:
        services.interview_save(interview=trainee_interview, actor=lead, answers={"going_well": "Yes"},
                                complete=True)
    missing = error.value.message_dict
    assert {"q_study_time_received", "q_confidence_mid", "held_on"} <= set(missing)
    assert "q_going_well" not in missing
    trainee_interview.refresh_from_db()
    assert trainee_interview.status == Interview.Status.DRAFT


def test_a_stale_save_is_refused(world, lead, trainee_interview):
    read_at = trainee_interview.version
    services.interview_save(interview=trainee_interview, actor=lead, answers={"going_well": "First"},
                            expected_version=read_at)
    with pytest.raises(services.StaleEdit):
        services.interview_save(interview=trainee_interview, actor=lead, answers={"going_well": "Second"},
                                expected_version=read_at)
    assert trainee_interview.answers.get().value == "First"


def test_bad_answers_are_refused_with_a_reason(world, lead, trainee_interview):
    with pytest.raises(ValidationError) as error:
        services.interview_save(interview=trainee_interview, actor=lead,
                                answers={"confidence_mid": 9, "study_hours_lost": "lots"})
    assert set(error.value.message_dict) == {"q_confidence_mid", "q_study_hours_lost"}
    with pytest.raises(ValidationError):
        services.interview_save(interview=trainee_interview, actor=lead, answers={"no_such_question": "x"})


def test_a_done_interview_cannot_be_changed(world, lead, manager_interview):
    manager = world.person(Role.MANAGER)
    services.interview_save(
        interview=manager_interview, actor=manager, held_on=HELD, complete=True,
        answers={"expectations": "Support", "experience": "Good", "impact_on_service": "More checks",
                 "cover_difficulty": 4},
    )
    with pytest.raises(ValidationError):
        services.interview_save(interview=manager_interview, actor=manager, answers={"experience": "x"})


def test_recording_starts_on_the_current_version_when_nothing_is_answered(world, lead, opened, trainee_interview):
    other = add_trainee(world, 1)
    services.stage_open(stage=opened, actor=lead)  # the new trainee's interview
    answered = Interview.objects.get(stage=opened, enrolment=other)
    services.interview_save(interview=answered, actor=lead, answers={"going_well": "Yes"})
    old = answered.instrument
    questions = [{"key": q.key, "text": q.text, "kind": q.kind, "choices": q.choices, "required": q.required,
                  "scale_low_label": q.scale_low_label, "scale_high_label": q.scale_high_label}
                 for q in old.questions.order_by("order")]
    questions[0]["text"] = "What is going well at work?"
    new = services.instrument_update(instrument=old, actor=lead, name=old.name, questions=questions)
    assert trainee_interview.instrument_id == old.pk

    started = services.interview_start(interview=trainee_interview, actor=lead)
    assert started.instrument_id == new.pk and started.version == trainee_interview.version + 1
    kept = services.interview_start(interview=answered, actor=lead)
    assert kept.instrument_id == old.pk  # it has answers: it keeps the version it was answered with


# --- The page ----------------------------------------------------------------------------------

def _post(form_version: int, action: str, **answers) -> dict:
    data = {"version": str(form_version), "action": action, **_date("held_on", answers.pop("held_on", None))}
    if answers.pop("consent_to_quote", False):
        data["consent_to_quote"] = "on"
    data.update({f"q_{k}": v for k, v in answers.items()})
    return data


def _interviewer(world, role=Role.TRAINING_LEAD) -> dict:
    return {"interviewer": str(world.person(role).pk)}


def test_a_manager_saves_a_draft_then_completes_their_interview(client_as, world, manager_interview):
    client = client_as(Role.MANAGER)
    page = client.get(f"/interviews/{manager_interview.pk}/record/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "What do you expect the new role to bring to your ward or team?" in body
    assert "1 – Not at all difficult" in body  # the scale's ends label its radios
    assert "agrees to be quoted" in body

    draft = client.post(f"/interviews/{manager_interview.pk}/record/", {
        **_post(manager_interview.version, "draft", expectations="Support for the nurses"),
        **_interviewer(world, Role.MANAGER),
    })
    assert draft.status_code == 302
    manager_interview.refresh_from_db()
    assert manager_interview.status == Interview.Status.DRAFT

    refused = client.post(f"/interviews/{manager_interview.pk}/record/", {
        **_post(manager_interview.version, "complete", expectations="Support for the nurses"),
        **_interviewer(world, Role.MANAGER),
    })
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Answer “How have you found your experience of the programme so far?” to complete the interview" in body
    assert "Enter the date the interview was held" in body
    assert "Support for the nurses" in body  # nothing lost

    done = client.post(f"/interviews/{manager_interview.pk}/record/", {
        **_post(manager_interview.version, "complete", expectations="Support for the nurses",
                experience="Hard to release people", impact_on_service="More physical health checks",
                cover_difficulty="5", held_on=HELD, consent_to_quote="on"),
        **_interviewer(world, Role.MANAGER),
    })
    assert done.status_code == 302
    manager_interview.refresh_from_db()
    assert manager_interview.status == Interview.Status.DONE and manager_interview.consent_to_quote
    detail = client.get(f"/interviews/{manager_interview.pk}/").content.decode()
    assert "Hard to release people" in detail and "5 out of 5" in detail


def test_a_stale_save_on_the_page_keeps_what_was_typed(client_as, world, lead, trainee_interview):
    client = client_as(Role.TRAINING_LEAD)
    read_at = trainee_interview.version
    services.interview_save(interview=trainee_interview, actor=lead, answers={"going_well": "Theirs"})
    response = client.post(f"/interviews/{trainee_interview.pk}/record/", {
        **_post(read_at, "draft", going_well="Mine, typed carefully"), **_interviewer(world),
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this interview" in body
    assert "Mine, typed carefully" in body and "Theirs" in body
    assert trainee_interview.answers.get().value == "Theirs"
    # Saving again, deliberately, keeps theirs replaced by mine.
    trainee_interview.refresh_from_db()
    again = client.post(f"/interviews/{trainee_interview.pk}/record/", {
        **_post(trainee_interview.version, "draft", going_well="Mine, typed carefully"), **_interviewer(world),
    })
    assert again.status_code == 302
    assert trainee_interview.answers.get().value == "Mine, typed carefully"


def test_a_post_without_a_version_is_refused_on_the_form(client_as, world, trainee_interview):
    response = client_as(Role.TRAINING_LEAD).post(
        f"/interviews/{trainee_interview.pk}/record/", {"action": "draft", "q_going_well": "x"}
    )
    assert response.status_code == 200
    assert not trainee_interview.answers.exists()


# --- Who sees and records what ---------------------------------------------------------------------

def test_a_trainee_cannot_read_another_trainees_interview_or_a_managers(client_as, world, opened,
                                                                         trainee_interview, manager_interview):
    client = client_as(Role.TRAINEE)
    for interview in (trainee_interview, manager_interview):
        assert client.get(f"/interviews/{interview.pk}/").status_code == 404
        assert client.get(f"/interviews/{interview.pk}/record/").status_code == 404
        assert client.post(f"/interviews/{interview.pk}/record/", {}).status_code == 404
    assert client.get("/my/interviews/").status_code == 403


def test_another_trainee_gets_404_for_sams_interview(client, world, lead, opened, trainee_interview):
    from tests.conftest import make_person
    from trainees import services as trainee_services

    other_user = make_person(world.organisation, Role.TRAINEE, "trainee2.acme")
    enrolment = add_trainee(world, 2)
    trainee_services.trainee_update(trainee=enrolment.trainee, actor=lead, user=other_user)
    services.stage_open(stage=opened, actor=lead)
    client.force_login(other_user)
    assert client.get(f"/interviews/{trainee_interview.pk}/").status_code == 404


def test_an_outsider_gets_404(client, world, trainee_interview, manager_interview):
    client.force_login(world.outsider)
    for interview in (trainee_interview, manager_interview):
        assert client.get(f"/interviews/{interview.pk}/").status_code == 404
        assert client.post(f"/interviews/{interview.pk}/record/", {}).status_code == 404


@pytest.mark.parametrize("role", [Role.MENTOR, Role.LECTURER])
def test_mentors_and_lecturers_see_nothing_of_interviews(client_as, world, role, trainee_interview, manager_interview):
    client = client_as(role)
    for interview in (trainee_interview, manager_interview):
        assert client.get(f"/interviews/{interview.pk}/").status_code == 403
        assert client.post(f"/interviews/{interview.pk}/record/", {}).status_code == 403


def test_a_manager_cannot_read_their_trainees_interview(client_as, world, trainee_interview, manager_interview):
    client = client_as(Role.MANAGER)
    assert client.get(f"/interviews/{trainee_interview.pk}/").status_code == 404
    assert client.get(f"/interviews/{manager_interview.pk}/").status_code == 200


def test_another_manager_cannot_read_or_record_a_managers_interview(client, world, opened, manager_interview):
    from tests.conftest import make_person

    client.force_login(make_person(world.organisation, Role.MANAGER, "manager2.acme"))
    assert client.get(f"/interviews/{manager_interview.pk}/").status_code == 404
    assert client.post(f"/interviews/{manager_interview.pk}/record/", {}).status_code == 404


def test_a_planner_reads_answers_but_does_not_record(client_as, world, lead, trainee_interview):
    services.interview_save(interview=trainee_interview, actor=lead, answers={"going_well": "Frank words"})
    client = client_as(Role.PLANNER)
    assert "Frank words" in client.get(f"/interviews/{trainee_interview.pk}/").content.decode()
    assert client.post(f"/interviews/{trainee_interview.pk}/record/", {}).status_code == 403


def test_any_lead_of_the_organisation_records_a_trainee_interview(client, world, trainee_interview):
    from auditlog.models import LogEntry

    from tests.conftest import make_person

    second_lead = make_person(world.organisation, Role.TRAINING_LEAD, "lead2.acme")
    client.force_login(second_lead)
    assert client.get(f"/interviews/{trainee_interview.pk}/record/").status_code == 200

    response = client.post(f"/interviews/{trainee_interview.pk}/record/", {
        **_post(trainee_interview.version, "draft", going_well="Recorded by the second lead"),
        "interviewer": str(second_lead.pk),
    })

    assert response.status_code == 302
    trainee_interview.refresh_from_db()
    assert trainee_interview.status == Interview.Status.DRAFT
    assert trainee_interview.interviewer == second_lead
    assert trainee_interview.answers.get().value == "Recorded by the second lead"
    # Attributable: the change is logged as the second lead's.
    assert LogEntry.objects.get_for_object(trainee_interview).latest("timestamp").actor == second_lead


def test_recording_a_done_interview_goes_back_to_it(client_as, world, lead, trainee_interview):
    services.interview_save(interview=trainee_interview, actor=lead, held_on=HELD, complete=True, answers={
        "going_well": "Yes", "study_time_received": "yes", "confidence_mid": 4})
    response = client_as(Role.TRAINING_LEAD).get(f"/interviews/{trainee_interview.pk}/record/")
    assert response.status_code == 302 and response.url == f"/interviews/{trainee_interview.pk}/"


def test_my_interviews_lists_due_and_done(client_as, world, lead, manager_interview):
    client = client_as(Role.MANAGER)
    body = client.get("/my/interviews/").content.decode()
    assert "Your manager interview: Mid-way" in body and 'data-testid="interviews-due"' in body
    services.interview_save(interview=manager_interview, actor=world.person(Role.MANAGER), held_on=HELD,
                            complete=True, answers={"expectations": "a", "experience": "b",
                                                    "impact_on_service": "c", "cover_difficulty": 2})
    body = client.get("/my/interviews/").content.decode()
    assert 'data-testid="interviews-done"' in body and 'data-testid="interviews-due"' not in body


def test_a_manager_interview_held_before_the_cohort_started_is_refused(client_as, world, manager_interview):
    # The cohort starts on 5 January 2026; its mid-way stage opens later still.
    client = client_as(Role.MANAGER)
    response = client.post(f"/interviews/{manager_interview.pk}/record/", {
        **_post(manager_interview.version, "complete", expectations="Support for the nurses",
                experience="Hard to release people", impact_on_service="More physical health checks",
                cover_difficulty="5", held_on=date(2025, 12, 1)),
        **_interviewer(world, Role.MANAGER),
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert ("The date the interview was held cannot be before the cohort started (5 January 2026)."
            " Check the date.") in body
    assert "Hard to release people" in body  # nothing lost
    manager_interview.refresh_from_db()
    assert manager_interview.status == Interview.Status.DUE and manager_interview.held_on is None
