"""Upload, preview and import through the pages, as a training lead of Acme (small files are
imported in the request; tests/trainee_import/test_jobs.py covers the Celery job)."""

from __future__ import annotations

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Invitation
from programmes.models import ClinicalArea, Role
from trainees import services as trainee_services
from trainees.enrolment_import import services as import_services
from trainees.enrolment_import.models import EnrolmentImport
from trainees.models import Enrolment, EnrolmentTransition, Trainee

from .helpers import csv_bytes, good_csv, good_row, post_upload

LEAD = Role.TRAINING_LEAD


def upload_ok(client, world, data: bytes, **kwargs) -> EnrolmentImport:
    response = post_upload(client, world.cohort, data, **kwargs)
    assert response.status_code == 302, _page_errors(response)
    job = EnrolmentImport.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"
    return job


def confirm(client, job: EnrolmentImport):
    return client.post(f"/imports/{job.pk}/confirm/", {"version": job.version})


def _page_errors(response) -> list:
    context = response.context or {}
    form = context.get("form")
    return [form.errors if form else None, context.get("error_lines")]


def assert_nothing_imported(world):
    assert Trainee.objects.filter(organisation=world.organisation).count() == 1  # world.trainee
    assert Enrolment.objects.filter(cohort=world.cohort).count() == 1  # world.enrolment


# --- The upload page ---------------------------------------------------------------------------


def test_the_upload_page_documents_every_column_and_offers_the_example(client_as, world):
    response = client_as(LEAD).get(f"/cohorts/{world.cohort.pk}/import/")
    page = response.content.decode()
    assert response.status_code == 200
    for column in (
        "employee_number",
        "first_name",
        "last_name",
        "email",
        "band",
        "job_title",
        "ward",
        "line_manager",
        "mentor",
        "enrolled_on",
        "status",
    ):
        assert f"<code>{column}</code>" in page
    assert f'href="/cohorts/{world.cohort.pk}/import/example.csv"' in page
    assert 'enctype="multipart/form-data"' in page


def test_the_example_file_imports_cleanly(client_as, world):
    client = client_as(LEAD)
    response = client.get(f"/cohorts/{world.cohort.pk}/import/example.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    example = response.content
    assert example.startswith(b"\xef\xbb\xbfemployee_number,first_name,last_name,email,band,")
    # It uses Acme's own ward and people.
    assert b"Larch Ward" in example and b"manager.acme" in example and b"mentor.acme" in example

    job = upload_ok(client, world, example)
    assert job.plan == {"new": 3, "existing": 0, "new_wards": [], "invites": 2}
    assert confirm(client, job).status_code == 302
    job.refresh_from_db()
    assert job.status == EnrolmentImport.Status.DONE, job.failure_reason
    assert job.result == {
        "created": 3, "existing": 0, "enrolled": 3, "wards_created": 0, "invited": 2,
    }
    assert Enrolment.objects.filter(cohort=world.cohort).count() == 4


def test_no_file_chosen(client_as, world):
    response = client_as(LEAD).post(f"/cohorts/{world.cohort.pk}/import/", {})
    assert response.context["form"].errors == {"file": ["Choose a CSV file to upload"]}


# --- The happy path ----------------------------------------------------------------------------


def test_three_rows_create_and_enrol_and_each_change_is_audited_with_the_actor(client_as, world):
    lead = world.person(LEAD)
    kim = trainee_services.trainee_create(
        organisation=world.organisation,
        actor=lead,
        first_name="Kim",
        last_name="Lee",
        employee_number="E2002",
        job_title="HCA",
    )
    data = csv_bytes(
        [
            good_row(
                1, first_name="Priya", last_name="Shah", band="Band 4", enrolled_on="05/01/2026"
            ),
            good_row(
                2,
                first_name="Tom",
                last_name="Okafor",
                email="",
                ward="",
                mentor="",
                status="applied",
                enrolled_on="2026-02-02",
            ),
            good_row(3, employee_number="E2002", first_name="Kimberley", job_title="Changed"),
        ]
    )
    client = client_as(LEAD)
    job = upload_ok(client, world, data)

    preview = client.get(f"/imports/{job.pk}/")
    page = preview.content.decode()
    assert [row.is_new for row in preview.context["page"]] == [True, True, False]
    assert "Existing trainee" in page and page.count("New trainee") == 2
    # An existing trainee's ward and people are left alone: one cell across both columns.
    assert (
        '<td class="nhsuk-table__cell" colspan="2" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">'
        "Ward, line manager and mentor </span>Their record stays as it is." in page
    )
    assert "Import 3 trainees" in page
    assert "The record is not changed." in page

    assert confirm(client, job)["Location"] == f"/imports/{job.pk}/"
    job.refresh_from_db()
    assert job.status == EnrolmentImport.Status.DONE
    # Priya (new, with an email) is invited; Tom has no email; Kim is not new.
    assert job.result == {
        "created": 2, "existing": 1, "enrolled": 3, "wards_created": 0, "invited": 1,
    }
    assert job.confirmed_by == lead
    assert not job.file  # the copy of the file is deleted once imported

    priya = Trainee.objects.get(organisation=world.organisation, employee_number="N00001")
    assert (
        priya.first_name,
        priya.last_name,
        priya.band,
        priya.clinical_area,
        priya.line_manager,
        priya.mentor,
    ) == ("Priya", "Shah", "4", world.ward, world.person(Role.MANAGER), world.person(Role.MENTOR))
    tom = Trainee.objects.get(organisation=world.organisation, employee_number="N00002")
    assert (tom.clinical_area, tom.mentor, tom.email) == (None, None, "")
    kim.refresh_from_db()
    assert (kim.first_name, kim.job_title) == ("Kim", "HCA")  # an existing record is not changed

    enrolments = {e.trainee_id: e for e in Enrolment.objects.filter(cohort=world.cohort)}
    assert (enrolments[priya.pk].status, enrolments[priya.pk].enrolled_on) == (
        "active",
        date(2026, 1, 5),
    )
    assert (enrolments[tom.pk].status, enrolments[tom.pk].enrolled_on) == (
        "applied",
        date(2026, 2, 2),
    )
    assert enrolments[kim.pk].status == "active"
    # Attributable: who (the lead who confirmed), and how.
    for trainee in (priya, tom):
        [entry] = LogEntry.objects.get_for_object(trainee)
        assert entry.actor == lead and entry.action == LogEntry.Action.CREATE
    for trainee in (priya, tom, kim):
        enrolment = enrolments[trainee.pk]
        assert LogEntry.objects.get_for_object(enrolment).get().actor == lead
        transition = EnrolmentTransition.objects.get(enrolment=enrolment)
        assert transition.actor == lead and transition.reason.startswith(
            "Enrolled by CSV import (line "
        )
    assert LogEntry.objects.get_for_object(kim).count() == 1  # its creation only: not updated

    result = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Trainees imported" in result and "3 trainees enrolled on Cohort 1" in result


def test_someone_active_on_another_programme_is_warned_of_in_the_preview_and_still_imported(client_as, world):
    from programmes import services as programme_services

    from ..programmes.helpers import Page

    second = programme_services.cohort_create(
        programme=world.programme, name="Cohort 2", starts_on=date(2026, 1, 5), ends_on=date(2027, 12, 17)
    )
    client = client_as(LEAD)
    response = post_upload(client, second, csv_bytes([good_row(1), good_row(2, employee_number="E1001")]))
    job = EnrolmentImport.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"

    preview = client.get(f"/imports/{job.pk}/")
    page = Page(preview)
    [callout] = page.all(data_testid="import-warnings")
    assert "1 trainee in the file is active or paused on another programme" in callout.text()
    assert [w.text() for w in page.all(data_testid="row-warning")] == [
        "Sam Trainee is already on another programme: Inpatient assistant practitioner: Cohort 1 (active). "
        "Importing enrols them on this cohort as well."
    ]
    assert "Import 2 trainees" in preview.content.decode()

    confirm(client, job)
    job.refresh_from_db()
    assert job.status == EnrolmentImport.Status.DONE
    assert Enrolment.objects.get(trainee=world.trainee, cohort=second).status == "active"
    assert Enrolment.objects.get(pk=world.enrolment.pk).status == "active"  # both, as warned


def test_unknown_wards_are_created_only_when_asked(client_as, world):
    client = client_as(LEAD)
    data = csv_bytes([good_row(1, ward="Birch Ward"), good_row(2, ward="birch ward")])
    refused = post_upload(client, world.cohort, data)
    assert [line for line, _ in refused.context["error_lines"]] == [2, 3]
    job = upload_ok(client, world, data, create_wards=True)
    assert job.plan["new_wards"] == ["Birch Ward"]
    confirm(client, job)
    birch = ClinicalArea.objects.get(organisation=world.organisation, name="Birch Ward")
    assert Trainee.objects.filter(clinical_area=birch).count() == 2


# --- Bad files: a clear message, nothing stored -----------------------------------------------


def test_one_bad_row_among_good_ones_imports_nothing_and_lists_every_bad_row(client_as, world):
    rows = [good_row(n) for n in range(1, 8)]
    rows[2]["band"] = "12"  # line 4
    rows[5]["line_manager"] = "who"  # line 7
    rows[5]["enrolled_on"] = "tomorrow"
    response = post_upload(client_as(LEAD), world.cohort, csv_bytes(rows))
    assert response.status_code == 200
    assert response.context["error_lines"] == [
        (
            4,
            [
                "“12” is not an Agenda for Change band: use a number from 1 to 7, "
                "“other”, or leave it blank."
            ],
        ),
        (
            7,
            [
                "No one in Acme Mental Health NHS Trust has the username or email “who”.",
                "“tomorrow” is not a date Ladder can read: write it as YYYY-MM-DD or "
                "DD/MM/YYYY, for example 2026-01-05 or 05/01/2026.",
            ],
        ),
    ]
    page = response.content.decode()
    assert "2 rows of the file have problems" in page and "Nothing has been imported" in page
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: " in page
    assert EnrolmentImport.objects.count() == 0  # a failed upload stores nothing
    assert_nothing_imported(world)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"employee_no,name\r\nE1,Priya Shah\r\n",
            "The header (line 1) is missing the required columns “employee_number”, "
            "“first_name” and “last_name”.",
        ),
        (
            "employee_number,first_name,last_name\r\nE1,Zoë,Shah\r\n".encode("latin-1"),
            "The file is not UTF-8 encoded: line 2 has a character Ladder cannot read (byte 0xEB).",
        ),
        (
            "employee_number,first_name,last_name\r\nE1,Zoë,Shah\r\n".encode("utf-16"),
            "The file is encoded as UTF-16 (Excel calls it “Unicode text”); Ladder needs UTF-8.",
        ),
        (bytes(range(256)) * 4, "This is not a CSV file: it contains binary data."),
        (
            b"PK\x03\x04" + bytes(300),
            "The file is an Excel workbook (.xlsx) or another zipped file",
        ),
        (b"\r\n", "The file is empty."),
        (
            b"employee_number,first_name,last_name\r\n",
            "The file has a header row but no trainees in it.",
        ),
    ],
    ids=["wrong-columns", "latin-1", "utf-16", "binary", "xlsx", "empty", "header-only"],
)
def test_bad_files_get_a_clear_message_and_store_nothing(client_as, world, data, message):
    response = post_upload(client_as(LEAD), world.cohort, data)
    assert response.status_code == 200
    [error, *more] = response.context["form"].errors["file"]
    assert error.startswith(message), error
    assert message.split("“")[0] in response.content.decode().replace("&#x27;", "'")
    assert EnrolmentImport.objects.count() == 0
    assert_nothing_imported(world)


def test_a_file_over_10_mb_is_refused(client_as, world):
    data = good_csv(1) + b"," * (10 * 1024 * 1024)
    response = post_upload(client_as(LEAD), world.cohort, data)
    assert response.context["form"].errors["file"] == [
        "The file is 10.0 MB; the most Ladder takes is 10 MB. Split it into smaller files."
    ]


def test_a_10000_row_file_is_checked_and_previewed_page_by_page(client_as, world):
    client = client_as(LEAD)
    job = upload_ok(client, world, good_csv(10_000))
    assert (job.row_count, job.plan["new"]) == (10_000, 10_000)
    page = client.get(f"/imports/{job.pk}/?page=100").content.decode()
    assert "rows 9901 to 10000 of 10000" in page
    assert "With 10000 rows, the import runs in the background." in page
    assert "Import 10000 trainees" in page


def test_one_bad_row_in_10000_imports_nothing_and_is_listed(client_as, world):
    rows = [good_row(n) for n in range(1, 9_999)] + [good_row(1), good_row(9_999)]
    data = csv_bytes(rows)  # the repeated N00001 is the 10,000th line
    response = post_upload(client_as(LEAD), world.cohort, data)
    assert response.context["error_lines"] == [
        (
            10_000,
            ["Employee number N00001 is also on line 2: each person can be in the file only once."],
        )
    ]
    assert EnrolmentImport.objects.count() == 0
    assert_nothing_imported(world)


def test_duplicate_employee_numbers_within_the_file(client_as, world):
    data = csv_bytes([good_row(1), good_row(2), good_row(1, first_name="Again"), good_row(1)])
    response = post_upload(client_as(LEAD), world.cohort, data)
    message = "Employee number N00001 is also on line 2: each person can be in the file only once."
    assert response.context["error_lines"] == [(4, [message]), (5, [message])]
    assert_nothing_imported(world)


def test_a_trainee_already_on_the_cohort_is_a_bad_row(client_as, world):
    data = csv_bytes([good_row(1), good_row(2, employee_number="E1001")])
    response = post_upload(client_as(LEAD), world.cohort, data)
    assert response.context["error_lines"] == [
        (3, ["Sam Trainee (E1001) is already enrolled on this cohort."])
    ]


# --- Confirming ---------------------------------------------------------------------------------


def test_the_file_is_checked_again_when_the_import_is_confirmed(client_as, world):
    client = client_as(LEAD)
    job = upload_ok(client, world, good_csv(3))
    # Meanwhile someone adds row 3's person by hand and enrols them.
    lead = world.person(LEAD)
    late = trainee_services.trainee_create(
        organisation=world.organisation,
        actor=lead,
        first_name="Late",
        last_name="Comer",
        employee_number="N00003",
    )
    trainee_services.enrolment_create(trainee=late, cohort=world.cohort, actor=lead)

    preview = client.get(f"/imports/{job.pk}/")
    assert preview.context["stale_errors"] == [
        (4, ["Late Comer (N00003) is already enrolled on this cohort."])
    ]
    assert b"Import 3 trainees" not in preview.content

    confirm(client, job)
    job.refresh_from_db()
    assert job.status == EnrolmentImport.Status.FAILED
    assert job.failure_reason.startswith("1 row no longer passes the checks")
    assert job.errors == [
        {"line": 4, "message": "Late Comer (N00003) is already enrolled on this cohort."}
    ]
    assert Trainee.objects.filter(employee_number__in=["N00001", "N00002"]).count() == 0
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "The import failed" in page and "Late Comer (N00003)" in page


def test_a_row_refused_when_it_is_written_rolls_back_every_row(client_as, world, monkeypatch):
    real_create = trainee_services.enrolments_create_bulk

    def create_clashing_on_the_third(**kwargs):
        # As if row 2's number had been given to row 3 too: only the database can tell.
        kwargs["rows"][2].trainee.employee_number = "N00002"
        return real_create(**kwargs)

    client = client_as(LEAD)
    job = upload_ok(client, world, good_csv(5))
    monkeypatch.setattr(trainee_services, "enrolments_create_bulk", create_clashing_on_the_third)
    confirm(client, job)
    job.refresh_from_db()
    assert job.status == EnrolmentImport.Status.FAILED
    assert job.failure_reason == (
        "Line 4 could not be saved: Another trainee in this organisation has this employee "
        "number. Nothing was imported."
    )
    assert_nothing_imported(world)
    assert not Invitation.objects.exists()  # the rows' invitations went with them
    assert mail.outbox == []
    assert (
        not LogEntry.objects.filter(content_type__model="trainee")
        .exclude(object_pk__in=[str(world.trainee.pk), str(world.other_trainee.pk)])
        .exists()
    )


def test_confirming_twice_imports_once(client_as, world):
    client = client_as(LEAD)
    job = upload_ok(client, world, good_csv(2))
    confirm(client, job)
    again = client.post(f"/imports/{job.pk}/confirm/", {"version": job.version}, follow=True)
    assert "already been started" in again.content.decode()
    assert Enrolment.objects.filter(cohort=world.cohort).count() == 3


@pytest.mark.parametrize(
    ("actor", "status"),
    [
        ("anonymous", 302),
        (Role.MANAGER, 403),
        (Role.PLANNER, 403),
        (Role.TRAINEE, 403),
        ("outsider", 404),
    ],
)
def test_only_the_organisations_training_leads_may_confirm(client, client_as, world, actor, status):
    job = upload_ok(client_as(LEAD), world, good_csv(1))
    client.logout()
    if actor != "anonymous":
        client = client_as(actor)
    assert confirm(client, job).status_code == status
    job.refresh_from_db()
    assert job.status == EnrolmentImport.Status.PREVIEWED
    assert_nothing_imported(world)


def test_the_preview_costs_the_same_queries_at_10_and_at_90_rows(client_as, world):
    client = client_as(LEAD)
    counts = []
    for size in (10, 90):
        job = upload_ok(client, world, good_csv(size))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/imports/{job.pk}/").status_code == 200
        counts.append(len(queries))
        EnrolmentImport.objects.all().delete()
    assert counts[0] == counts[1], counts


def test_bigger_files_are_queued_not_imported_in_the_request(
    client_as, world, django_capture_on_commit_callbacks, monkeypatch
):
    from trainees.enrolment_import import tasks

    sent = []
    monkeypatch.setattr(
        tasks.run_enrolment_import, "apply_async", lambda args, **kw: sent.append(args)
    )
    client = client_as(LEAD)
    job = upload_ok(client, world, good_csv(import_services.SYNC_ROW_LIMIT + 1))
    assert (
        f"Import {import_services.SYNC_ROW_LIMIT + 1} trainees"
        in client.get(f"/imports/{job.pk}/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert confirm(client, job).status_code == 302
    assert sent == [[job.pk]]
    job.refresh_from_db()
    assert job.status == EnrolmentImport.Status.QUEUED and job.confirmed_by == world.person(LEAD)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Waiting for the import to start." in page and 'hx-trigger="every 1s"' in page
    assert_nothing_imported(world)
