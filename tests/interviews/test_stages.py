"""Evaluation stages: the defaults, the programme's own plan, opening one (the interviews that
fall due), late joiners and withdrawals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.interviews import services
from evaluations.interviews.instruments import MANAGER, TRAINEE_MIDWAY, TRAINEE_START
from evaluations.models import Interview, ProgrammeStage, Stage
from programmes.models import Role
from trainees import services as trainee_services
from trainees.models import Trainee

from .conftest import add_manager, add_trainee


def test_default_stages_follow_account_003(world, lead):
    stages = services.stages_create_defaults(cohort=world.cohort, actor=lead)
    cohort = world.cohort  # 5 January 2026 to 17 December 2027
    assert [s.name for s in stages] == ["Start", "Mid-way", "Qualification"]
    start, midway, qualification = stages
    assert start.opens_on == cohort.starts_on + timedelta(weeks=4)
    assert midway.opens_on == cohort.starts_on + (cohort.ends_on - cohort.starts_on) / 2
    assert qualification.opens_on == cohort.ends_on - timedelta(weeks=2)
    assert all(s.due_on - s.opens_on == timedelta(weeks=4) for s in stages)
    assert all(s.status == Stage.Status.PLANNED for s in stages)
    assert start.trainee_instrument.family == TRAINEE_START
    assert midway.trainee_instrument.family == TRAINEE_MIDWAY
    assert all(s.manager_instrument.family == MANAGER for s in stages)


def test_setting_up_the_defaults_twice_keeps_the_first_set(world, lead):
    first = services.stages_create_defaults(cohort=world.cohort, actor=lead)
    again = services.stages_create_defaults(cohort=world.cohort, actor=lead)
    assert [s.pk for s in first] == [s.pk for s in again]
    assert Stage.objects.filter(cohort=world.cohort).count() == 3


def test_a_programme_with_its_own_plan_gets_its_stages(world, lead):
    services.programme_stage_plan_save(programme=world.programme, actor=lead, stages=[
        {"name": "Induction", "weeks_after_start": 2, "window_weeks": 2,
         "trainee_instrument_family": TRAINEE_START, "manager_instrument_family": ""},
        {"name": "After placement", "weeks_after_start": 30, "window_weeks": 6,
         "trainee_instrument_family": TRAINEE_MIDWAY, "manager_instrument_family": MANAGER},
    ])
    stages = services.stages_create_defaults(cohort=world.cohort, actor=lead)
    assert [(s.name, s.opens_on, s.due_on) for s in stages] == [
        ("Induction", date(2026, 1, 19), date(2026, 2, 2)),
        ("After placement", date(2026, 8, 3), date(2026, 9, 14)),
    ]
    assert stages[0].manager_instrument is None
    assert stages[1].manager_instrument.family == MANAGER


def test_a_plan_naming_an_unknown_instrument_is_refused(world, lead):
    with pytest.raises(ValidationError) as error:
        services.programme_stage_plan_save(programme=world.programme, actor=lead, stages=[
            {"name": "Odd", "weeks_after_start": 2, "trainee_instrument_family": "no-such-thing"},
        ])
    assert "trainee instruments" in " ".join(error.value.messages)


def test_opening_a_stage_creates_one_interview_per_active_trainee_and_per_manager(world, lead, midway):
    second_manager = add_manager(world, 2)
    add_trainee(world, 1)  # the manager's
    add_trainee(world, 2, manager=second_manager)
    add_trainee(world, 3, manager=second_manager)
    add_trainee(world, 4, status="applied")  # not active: not interviewed
    paused = add_trainee(world, 5, manager=add_manager(world, 3))
    trainee_services.enrolment_transition(enrolment=paused, to_status="paused", actor=lead, reason="Leave")

    created = services.stage_open(stage=midway, actor=lead)

    midway.refresh_from_db()
    assert midway.status == Stage.Status.OPEN and midway.opened_by == lead
    trainees = Interview.objects.filter(stage=midway, subject="trainee")
    managers = Interview.objects.filter(stage=midway, subject="manager")
    assert trainees.count() == 4  # Sam and trainees 1-3
    assert set(trainees.values_list("responsible", flat=True)) == {lead.pk}
    assert set(managers.values_list("manager", flat=True)) == {world.person(Role.MANAGER).pk, second_manager.pk}
    assert all(i.responsible_id == i.manager_id for i in managers)
    assert all(i.status == Interview.Status.DUE for i in created)
    assert len(created) == 6


def test_opening_a_stage_twice_creates_nothing_new(world, lead, midway):
    services.stage_open(stage=midway, actor=lead)
    assert services.stage_open(stage=midway, actor=lead) == []
    assert Interview.objects.filter(stage=midway).count() == 2


def test_a_closed_stage_cannot_be_opened_again(world, lead, midway):
    services.stage_open(stage=midway, actor=lead)
    services.stage_close(stage=midway, actor=lead)
    with pytest.raises(ValidationError):
        services.stage_open(stage=midway, actor=lead)


def test_a_withdrawn_trainees_pending_interviews_are_cancelled_not_deleted(
    world, lead, midway, django_capture_on_commit_callbacks
):
    start = Stage.objects.get(cohort=world.cohort, name="Start")
    services.stage_open(stage=start, actor=lead)
    services.stage_open(stage=midway, actor=lead)
    done = Interview.objects.get(stage=start, enrolment=world.enrolment)
    answers = {
        "background": "HCSW", "why_applied": "To train as a nurse", "feels_so_far": "Nervous", "confidence_start": 2,
    }
    services.interview_save(interview=done, actor=lead, answers=answers, held_on=date(2026, 2, 10), complete=True)
    draft = Interview.objects.get(stage=midway, enrolment=world.enrolment)
    services.interview_save(interview=draft, actor=lead, answers={"going_well": "So far"})

    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.enrolment_transition(
            enrolment=world.enrolment, to_status="withdrawn", actor=lead, reason="Moved away"
        )

    draft.refresh_from_db()
    done.refresh_from_db()
    assert draft.status == Interview.Status.CANCELLED
    assert "withdrew" in draft.cancelled_reason
    assert done.status == Interview.Status.DONE  # what was done stays done
    assert draft.answers.count() == 1  # nothing deleted
    # The manager's interview stays: their view of the programme still counts.
    assert Interview.objects.get(stage=midway, subject="manager").status == Interview.Status.DUE


def test_a_receiver_that_fails_fails_the_test_instead_of_only_logging(
    world, lead, midway, django_capture_on_commit_callbacks, monkeypatch
):
    services.stage_open(stage=midway, actor=lead)

    def broken(**kwargs):
        raise LookupError("no such interview")

    monkeypatch.setattr(services, "interviews_cancel_for_enrolment", broken)
    with pytest.raises(LookupError), django_capture_on_commit_callbacks(execute=True):
        trainee_services.enrolment_transition(
            enrolment=world.enrolment, to_status="withdrawn", actor=lead, reason="Moved away"
        )


def test_a_late_joiner_gets_an_interview_at_each_open_stage(
    world, lead, midway, django_capture_on_commit_callbacks
):
    services.stage_open(stage=midway, actor=lead)
    new_manager = add_manager(world, 9)
    late = add_trainee(world, 7, manager=new_manager, status="applied")
    assert not Interview.objects.filter(enrolment=late).exists()

    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.enrolment_transition(enrolment=late, to_status="active", actor=lead)

    interview = Interview.objects.get(enrolment=late)
    assert interview.stage == midway and interview.responsible == lead
    assert interview.instrument == midway.trainee_instrument
    assert Interview.objects.filter(stage=midway, manager=new_manager).count() == 1
    # Planned stages get nothing yet: their interviews come when they open.
    assert Interview.objects.filter(enrolment=late).count() == 1


def test_coming_back_from_a_pause_adds_nothing_twice(world, lead, midway, django_capture_on_commit_callbacks):
    services.stage_open(stage=midway, actor=lead)
    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.enrolment_transition(enrolment=world.enrolment, to_status="paused", actor=lead, reason="Sick")
    with django_capture_on_commit_callbacks(execute=True):
        trainee_services.enrolment_transition(enrolment=world.enrolment, to_status="active", actor=lead)
    assert Interview.objects.filter(stage=midway).count() == 2


def test_changing_a_stage_checks_its_dates(world, lead, midway):
    with pytest.raises(ValidationError) as error:
        services.stage_update(stage=midway, actor=lead, name="Mid-way", opens_on=date(2026, 6, 1),
                              due_on=date(2026, 5, 1), trainee_instrument=midway.trainee_instrument,
                              manager_instrument=midway.manager_instrument)
    assert "due_on" in error.value.message_dict


def test_an_open_stage_keeps_its_instruments(world, lead, midway):
    services.stage_open(stage=midway, actor=lead)
    with pytest.raises(ValidationError):
        services.stage_update(stage=midway, actor=lead, name="Mid-way", opens_on=midway.opens_on,
                              due_on=midway.due_on, trainee_instrument=None,
                              manager_instrument=midway.manager_instrument)


def test_another_organisations_instrument_cannot_be_used(world, lead):
    from evaluations.interviews.instruments import ensure_ready_made_instruments

    theirs = ensure_ready_made_instruments(world.other_organisation)[TRAINEE_START]
    with pytest.raises(ValidationError) as error:
        services.stage_create(cohort=world.cohort, actor=lead, name="Extra", opens_on=date(2026, 3, 1),
                              due_on=date(2026, 4, 1), trainee_instrument=theirs)
    assert "trainee_instrument" in error.value.message_dict


# --- Pages ---------------------------------------------------------------------------------------

def test_a_lead_sets_up_and_opens_stages_from_the_cohort_page(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    page = client.get(f"/cohorts/{world.cohort.pk}/evaluation/")
    assert "Set up the default stages" in page.content.decode()
    response = client.post(f"/cohorts/{world.cohort.pk}/evaluation/defaults/")
    assert response.status_code == 302
    midway = Stage.objects.get(cohort=world.cohort, name="Mid-way")
    page = client.get(f"/cohorts/{world.cohort.pk}/evaluation/").content.decode()
    assert "Mid-way" in page and "Open" in page
    response = client.post(f"/stages/{midway.pk}/open/")
    assert response.status_code == 302
    body = client.get(f"/stages/{midway.pk}/").content.decode()
    assert "Sam Trainee" in body
    assert Interview.objects.filter(stage=midway).count() == 2


def test_a_planner_sees_stages_but_cannot_open_them(client_as, world, midway):
    client = client_as(Role.PLANNER)
    page = client.get(f"/cohorts/{world.cohort.pk}/evaluation/").content.decode()
    assert "Mid-way" in page and f"/stages/{midway.pk}/open/" not in page
    assert client.post(f"/stages/{midway.pk}/open/").status_code == 403
    assert Interview.objects.count() == 0


def test_an_outsider_cannot_open_anothers_stage(client, world, midway):
    client.force_login(world.outsider)
    assert client.post(f"/stages/{midway.pk}/open/").status_code == 404
    assert client.post(f"/cohorts/{world.cohort.pk}/evaluation/defaults/").status_code == 404


def test_opening_a_stage_without_instruments_says_why(client_as, world, lead):
    stage = services.stage_create(cohort=world.cohort, actor=lead, name="Extra",
                                  opens_on=date(2026, 3, 1), due_on=date(2026, 4, 1))
    client = client_as(Role.TRAINING_LEAD)
    response = client.post(f"/stages/{stage.pk}/open/", follow=True)
    assert "Choose the instruments for this stage first" in response.content.decode()


def test_the_stage_form_adds_a_stage(client_as, world):
    from evaluations.interviews.instruments import ensure_ready_made_instruments

    instrument = ensure_ready_made_instruments(world.organisation)[TRAINEE_START]
    client = client_as(Role.TRAINING_LEAD)
    response = client.post(f"/cohorts/{world.cohort.pk}/evaluation/stages/new/", {
        "name": "Six months on", "opens_on_day": "1", "opens_on_month": "7", "opens_on_year": "2026",
        "due_on_day": "1", "due_on_month": "6", "due_on_year": "2026",
        "trainee_instrument": instrument.pk, "manager_instrument": "",
    })
    assert response.status_code == 200
    assert "The due date must be on or after the opening date." in response.content.decode()
    response = client.post(f"/cohorts/{world.cohort.pk}/evaluation/stages/new/", {
        "name": "Six months on", "opens_on_day": "1", "opens_on_month": "7", "opens_on_year": "2026",
        "due_on_day": "1", "due_on_month": "8", "due_on_year": "2026",
        "trainee_instrument": instrument.pk, "manager_instrument": "",
    })
    assert response.status_code == 302
    assert Stage.objects.get(name="Six months on").trainee_instrument == instrument


def test_the_programme_plan_page_saves_a_plan(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    assert client.get(f"/programmes/{world.programme.pk}/evaluation-plan/").status_code == 200
    response = client.post(f"/programmes/{world.programme.pk}/evaluation-plan/", {
        "stages-TOTAL_FORMS": "2", "stages-INITIAL_FORMS": "0",
        "stages-MIN_NUM_FORMS": "0", "stages-MAX_NUM_FORMS": "1000",
        "stages-0-name": "Induction", "stages-0-weeks_after_start": "2", "stages-0-window_weeks": "3",
        "stages-0-trainee_instrument_family": TRAINEE_START, "stages-0-manager_instrument_family": "",
        "stages-1-name": "", "stages-1-weeks_after_start": "", "stages-1-window_weeks": "4",
        "stages-1-trainee_instrument_family": "", "stages-1-manager_instrument_family": "",
    })
    assert response.status_code == 302, response.content.decode()
    plan = list(ProgrammeStage.objects.filter(programme=world.programme).values_list("name", "window_weeks"))
    assert plan == [("Induction", 3)]


# --- Plausible dates -------------------------------------------------------------------------

def test_a_stage_cannot_be_opened_two_months_before_its_window(client_as, world, lead):
    from django.utils import timezone

    from evaluations.interviews.instruments import ensure_ready_made_instruments

    soon = timezone.localdate() + timedelta(weeks=9)
    stage = services.stage_create(
        cohort=world.cohort, actor=lead, name="Extra", opens_on=soon, due_on=soon + timedelta(weeks=4),
        trainee_instrument=ensure_ready_made_instruments(world.organisation)[TRAINEE_START],
    )
    client = client_as(Role.TRAINING_LEAD)
    response = client.post(f"/stages/{stage.pk}/open/", follow=True)

    assert (f"window opens on {soon:%-d %B %Y}, so it cannot be opened yet"
            in response.content.decode())
    stage.refresh_from_db()
    assert stage.status == Stage.Status.PLANNED
    assert not Interview.objects.filter(stage=stage).exists()


def test_a_stage_window_before_the_cohort_starts_is_refused_on_the_form(client_as, world):
    client = client_as(Role.TRAINING_LEAD)  # the cohort starts on 5 January 2026
    response = client.post(f"/cohorts/{world.cohort.pk}/evaluation/stages/new/", {
        "name": "Too early", "opens_on_day": "1", "opens_on_month": "6", "opens_on_year": "2025",
        "due_on_day": "1", "due_on_month": "7", "due_on_year": "2025",
        "trainee_instrument": "", "manager_instrument": "",
    })
    assert response.status_code == 200
    assert ("Opening date must be no earlier than 10 November 2025: the cohort starts on "
            "5 January 2026") in response.content.decode()
    assert not Stage.objects.filter(name="Too early").exists()


def test_a_stage_due_years_after_the_cohort_ends_is_refused(world, lead):
    with pytest.raises(ValidationError) as error:
        services.stage_create(cohort=world.cohort, actor=lead, name="Far", opens_on=date(2029, 1, 1),
                              due_on=date(2030, 1, 1))
    assert error.value.message_dict["due_on"] == [
        "Due date must be no later than 15 December 2028, a year after the cohort's expected end "
        "(17 December 2027)"
    ]


def test_imported_active_trainees_get_an_interview_at_each_open_stage(
    world, lead, midway, django_capture_on_commit_callbacks
):
    services.stage_open(stage=midway, actor=lead)
    rows = [
        trainee_services.NewEnrolment(
            trainee=Trainee(organisation=world.organisation, employee_number=f"B{n}", first_name="Bulk",
                            last_name=f"Row {n}", line_manager=world.person(Role.MANAGER)),
            status=status, key=n,
        )
        for n, status in ((1, "active"), (2, "applied"))
    ]
    with django_capture_on_commit_callbacks(execute=True):
        active, applied = trainee_services.enrolments_create_bulk(cohort=world.cohort, actor=lead, rows=rows)
    assert Interview.objects.get(enrolment=active).stage == midway
    assert not Interview.objects.filter(enrolment=applied).exists()


def test_an_import_into_a_cohort_with_no_open_stage_reads_no_enrolments(world, lead, midway):
    with CaptureQueriesContext(connection) as queries:
        assert services.interviews_add_for_enrolments(
            cohort_id=world.cohort.pk, enrolments=[world.enrolment], actor=lead) == []
    # Only the open stages, locked (midway is planned, not open), in the function's savepoint.
    read = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(read) == 1 and "evaluations_stage" in read[0], read
