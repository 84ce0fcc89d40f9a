"""Checking parsed rows against a cohort: every problem with its line, in three queries (four when
the file names trainees already in Ladder)."""

from __future__ import annotations

import time
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from programmes import services as programme_services
from programmes.models import Role
from trainees.enrolment_import.parsing import parse_enrolment_csv
from trainees.enrolment_import.services import enrolment_import_apply, enrolment_import_upload
from trainees.enrolment_import.validation import plan_enrolment_import
from trainees.models import Enrolment, Trainee

from ..conftest import make_person
from .helpers import as_upload, csv_bytes, good_csv, good_row

TODAY = date(2026, 3, 1)


def plan_for(world, data: bytes, **kwargs):
    parsed = parse_enrolment_csv(data)
    assert parsed.ok, (parsed.file_errors, parsed.row_errors)
    return plan_enrolment_import(rows=parsed.rows, cohort=world.cohort, today=TODAY, **kwargs)


def problems(plan) -> list[tuple[int, str]]:
    return [(e.line, e.message) for e in plan.errors]


def test_good_rows_plan_new_trainees_with_their_ward_and_people(world):
    plan = plan_for(world, good_csv(2))
    assert plan.ok
    first = plan.rows[0]
    assert first.is_new and first.employee_number == "N00001"
    assert first.ward == world.ward
    assert first.line_manager == world.person(Role.MANAGER)
    assert first.mentor == world.person(Role.MENTOR)
    assert (first.band, first.enrolled_on, first.status) == ("3", date(2026, 1, 5), "active")
    assert plan.summary() == {"new": 2, "existing": 0, "new_wards": [], "invites": 2}


def test_an_existing_trainee_of_the_organisation_is_enrolled_not_changed(world):
    lead = world.person(Role.TRAINING_LEAD)
    from trainees import services as trainee_services

    kim = trainee_services.trainee_create(
        organisation=world.organisation,
        actor=lead,
        first_name="Kim",
        last_name="Lee",
        employee_number="E2002",
    )
    plan = plan_for(
        world, csv_bytes([good_row(1, employee_number="E2002", first_name="Kimberley")])
    )
    [row] = plan.rows
    assert row.existing == kim and not row.is_new
    assert row.notes == [
        "The file says “Kimberley Number 1”; Ladder's record says “Kim Lee”. "
        "The record is not changed."
    ]
    assert plan.summary()["existing"] == 1


def _on_a_second_cohort(world):
    """Cohort 2 of world.programme, for Sam (active on Cohort 1) to be imported onto."""
    return programme_services.cohort_create(
        programme=world.programme, name="Cohort 2", starts_on=date(2026, 1, 5), ends_on=date(2027, 12, 17)
    )


def test_a_trainee_active_on_another_programme_is_planned_with_a_warning_not_refused(world):
    second = _on_a_second_cohort(world)
    parsed = parse_enrolment_csv(csv_bytes([good_row(1, employee_number="E1001"), good_row(2)]))
    plan = plan_enrolment_import(rows=parsed.rows, cohort=second, today=TODAY)

    assert plan.ok
    sam, new = plan.rows
    assert sam.warnings == [
        "Sam Trainee is already on another programme: Inpatient assistant practitioner: Cohort 1 (active). "
        "Importing enrols them on this cohort as well."
    ]
    assert new.warnings == []
    assert plan.warning_count == 1
    # Withdrawn (or completed) elsewhere: nothing to warn of.
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status="withdrawn")
    assert plan_enrolment_import(rows=parsed.rows, cohort=second, today=TODAY).warning_count == 0


def test_another_organisations_trainee_with_the_same_number_is_not_matched(world):
    # world.other_trainee has E1001 in "Other"; Acme's E1001 is world.trainee (on the cohort).
    plan = plan_for(world, csv_bytes([good_row(1, employee_number="E1001")]))
    assert problems(plan) == [(2, "Sam Trainee (E1001) is already enrolled on this cohort.")]


def test_every_bad_row_is_listed_with_its_line_and_reason(world):
    make_person(world.other_organisation, Role.MANAGER, "manager.other")
    rows = [
        good_row(1),
        good_row(2, employee_number=""),  # line 3
        good_row(3, first_name="", last_name=""),  # line 4
        good_row(4, band="9"),  # line 5
        good_row(5, ward="Larch Wrd"),  # line 6
        good_row(6, line_manager="nobody"),  # line 7
        good_row(7, line_manager="mentor.acme"),  # line 8
        good_row(8, mentor="manager.other"),  # line 9
        good_row(9, enrolled_on="31/02/2026"),  # line 10
        good_row(10, enrolled_on="2025-12-31"),  # line 11
        good_row(11, enrolled_on="2028-01-01"),  # line 12
        good_row(12, status="completed"),  # line 13
        good_row(13, email="not-an-email"),  # line 14
        good_row(14, first_name="x" * 101),  # line 15
        good_row(1),  # line 16
        good_row(15, employee_number="E1001"),  # line 17
        good_row(16),
    ]
    plan = plan_for(world, csv_bytes(rows))
    assert plan.rows == []
    assert problems(plan) == [
        (3, "The employee number is missing."),
        (4, "The first name is missing (it is needed for a new trainee)."),
        (4, "The last name is missing (it is needed for a new trainee)."),
        (
            5,
            "“9” is not an Agenda for Change band: use a number from 1 to 7, "
            "“other”, or leave it blank.",
        ),
        (
            6,
            "Acme Mental Health NHS Trust has no ward or clinical area called “Larch Wrd”. "
            "Did you mean “Larch Ward”? To add new wards, tick “Create wards that "
            "do not exist yet” when uploading.",
        ),
        (7, "No one in Acme Mental Health NHS Trust has the username or email “nobody”."),
        (
            8,
            "“mentor.acme” (Mentor Acme) is not a line manager or training lead in "
            "Acme Mental Health NHS Trust.",
        ),
        (
            9,
            "No one in Acme Mental Health NHS Trust has the username or email “manager.other”.",
        ),
        (
            10,
            "“31/02/2026” is not a date Ladder can read: write it as YYYY-MM-DD or "
            "DD/MM/YYYY, for example 2026-01-05 or 05/01/2026.",
        ),
        (11, "The enrolment date 31 December 2025 is before the cohort starts (5 January 2026)."),
        (
            12,
            "The enrolment date 1 January 2028 is after the cohort's expected end "
            "(17 December 2027).",
        ),
        (
            13,
            "“completed” is not a status a new enrolment can have: use “active” "
            "or “applied” (blank means active).",
        ),
        (14, "“not-an-email” is not an email address."),
        (15, "The first name is 101 characters long; the most allowed is 100."),
        (16, "Employee number N00001 is also on line 2: each person can be in the file only once."),
        (17, "Sam Trainee (E1001) is already enrolled on this cohort."),
    ]


def test_people_are_found_by_username_or_email_in_any_case(world):
    plan = plan_for(
        world,
        csv_bytes(
            [
                good_row(1, line_manager="MANAGER.ACME@example.org", mentor="Mentor.Acme"),
                good_row(
                    2,
                    line_manager="training_lead.acme",
                    band="Band 7",
                    status="Applied",
                    enrolled_on="05/02/2026",
                ),
            ]
        ),
    )
    assert plan.ok
    assert plan.rows[0].line_manager == world.person(Role.MANAGER)
    assert plan.rows[0].mentor == world.person(Role.MENTOR)
    assert plan.rows[1].line_manager == world.person(Role.TRAINING_LEAD)
    assert (plan.rows[1].band, plan.rows[1].status, plan.rows[1].enrolled_on) == (
        "7",
        "applied",
        date(2026, 2, 5),
    )


def test_a_shared_email_must_be_given_as_a_username(world):
    twin = make_person(world.organisation, Role.MANAGER, "manager.twin")
    twin.email = world.person(Role.MANAGER).email
    twin.save()
    plan = plan_for(world, csv_bytes([good_row(1, line_manager="manager.acme@example.org")]))
    assert problems(plan) == [
        (
            2,
            (
                "More than one person in Acme Mental Health NHS Trust has the email "
                "“manager.acme@example.org”: use their username instead."
            ),
        )
    ]


def test_unknown_wards_are_planned_for_creation_only_when_allowed(world):
    data = csv_bytes(
        [
            good_row(1, ward="Birch  ward"),
            good_row(2, ward="BIRCH WARD"),
            good_row(3, ward="larch ward"),
        ]
    )
    assert not plan_for(world, data).ok
    plan = plan_for(world, data, create_wards=True)
    assert plan.ok
    assert plan.new_wards == ["Birch ward"]
    assert [row.ward_name for row in plan.rows] == ["Birch ward", "Birch ward", "Larch Ward"]


def test_a_blank_date_is_the_cohort_start_or_today(world):
    data = csv_bytes([good_row(1, enrolled_on="")])
    before = plan_enrolment_import(
        rows=parse_enrolment_csv(data).rows, cohort=world.cohort, today=date(2025, 6, 1)
    )
    during = plan_enrolment_import(
        rows=parse_enrolment_csv(data).rows, cohort=world.cohort, today=date(2026, 6, 1)
    )
    after = plan_enrolment_import(
        rows=parse_enrolment_csv(data).rows, cohort=world.cohort, today=date(2028, 6, 1)
    )
    assert before.rows[0].enrolled_on == date(2026, 1, 5)
    assert during.rows[0].enrolled_on == date(2026, 6, 1)
    assert problems(after) == [
        (
            2,
            (
                "The cohort ended on 17 December 2027: give the date this trainee joined it in the "
                "enrolled_on column."
            ),
        )
    ]


@pytest.mark.parametrize("size", [10, 1_000])
def test_checking_costs_four_queries_whatever_the_size(world, size):
    # Seed a few existing trainees and wards so the lookups have something to find.
    programme_services.clinical_area_ensure(organisation=world.organisation, name="Birch Ward")
    second = _on_a_second_cohort(world)
    rows = [good_row(n) for n in range(size - 1)] + [good_row(0, employee_number="E1001")]
    parsed = parse_enrolment_csv(csv_bytes(rows))
    with CaptureQueriesContext(connection) as queries:
        plan = plan_enrolment_import(rows=parsed.rows, cohort=world.cohort, today=TODAY)
    # 1. the organisation's trainees with these employee numbers, and whether on the cohort
    # 2. the organisation's wards
    # 3. the organisation's active memberships with their users
    assert len(queries) == 3, [q["sql"][:120] for q in queries]
    assert len(plan.errors) == 1  # E1001 is already on the cohort

    with CaptureQueriesContext(connection) as queries:
        plan = plan_enrolment_import(rows=parsed.rows, cohort=second, today=TODAY)
    # 1-3 as above, and 4. the found trainees' active or paused enrolments on other cohorts
    assert len(queries) == 4, [q["sql"][:120] for q in queries]
    assert plan.ok and plan.warning_count == 1  # E1001 is active on Cohort 1


def test_checking_10000_rows_is_quick(world, record_property):
    data = good_csv(10_000)
    started = time.perf_counter()
    parsed = parse_enrolment_csv(data)
    parsed_at = time.perf_counter()
    plan = plan_enrolment_import(rows=parsed.rows, cohort=world.cohort, today=TODAY)
    finished = time.perf_counter()
    assert plan.ok and len(plan.rows) == 10_000
    record_property("parse_seconds", round(parsed_at - started, 3))
    record_property("check_seconds", round(finished - parsed_at, 3))
    print(
        f"\n10,000 rows: parsed in {parsed_at - started:.2f}s, "
        f"checked in {finished - parsed_at:.2f}s "
        f"({10_000 / (finished - started):,.0f} rows/s)"
    )
    assert finished - started < 5


# The import writes its trainees and enrolments without clean_fields (its plan has checked them:
# enrolments_create_bulk(fields_checked=True)), so each rule clean_fields would apply to a row's
# values must be in the plan. Missing names, the band's and status's choices, the email's form
# and the date are refused in test_every_bad_row_is_listed_with_its_line_and_reason; the lengths
# here, taken from the model, so that a longer limit in the file than in the model shows.
LONG_EMAIL = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 62  # 255 characters, well formed


@pytest.mark.parametrize("column", ["employee_number", "first_name", "last_name", "email", "job_title"])
def test_a_value_longer_than_the_model_allows_is_refused(world, column):
    limit = Trainee._meta.get_field(column).max_length
    value = LONG_EMAIL[-limit - 1:] if column == "email" else "x" * (limit + 1)
    assert len(value) == limit + 1
    plan = plan_for(world, csv_bytes([good_row(1), good_row(2, **{column: value})]))
    assert [line for line, _ in problems(plan)] == [3]
    assert f"{limit + 1} characters long; the most allowed is {limit}." in problems(plan)[0][1]


def test_a_row_at_every_limit_is_imported_and_passes_the_models_own_checks(world):
    values = {name: "x" * Trainee._meta.get_field(name).max_length
              for name in ("employee_number", "first_name", "last_name", "job_title")}
    row = good_row(1, email=LONG_EMAIL[1:], band="other", status="applied", **values)
    upload = enrolment_import_upload(cohort=world.cohort, actor=world.person(Role.TRAINING_LEAD),
                                     upload=as_upload(csv_bytes([row])))
    assert upload.job is not None, upload.row_errors
    job = upload.job
    job.confirmed_by = world.person(Role.TRAINING_LEAD)
    with transaction.atomic():
        enrolment_import_apply(job=job)
    trainee = Trainee.objects.get(employee_number=values["employee_number"])
    trainee.full_clean()
    Enrolment.objects.get(trainee=trainee, cohort=world.cohort).full_clean()
