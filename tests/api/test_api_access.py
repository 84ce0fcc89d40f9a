"""The API's access rules with tokens: another organisation's objects are 404 for every method
and action (as if they did not exist), their ids are refused in bodies and filters, a forbidden
action is 403 and invalid input 400 with the fields named."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from programmes.models import Role

from ..access_entries.api import OBJECTS
from ..urlwalk import walk

# Every API route that names one object: (url name, basename).
OBJECT_ROUTES = sorted(
    (p.name, p.name.split(":")[1].rsplit("-", 1)[0] if p.name.endswith("-detail") else None)
    for p in walk()
    if p.name and p.name.startswith("api:") and "<int:pk>" in p.route
)


def _basename(name: str) -> str:
    short = name.split(":", 1)[1]
    return next(
        base for base in sorted(OBJECTS, key=len, reverse=True) if short.startswith(base + "-")
    )


def test_every_object_route_is_covered():
    assert {_basename(name) for name, _ in OBJECT_ROUTES} == set(OBJECTS)
    assert len(OBJECT_ROUTES) >= 20


@pytest.mark.parametrize("name", [name for name, _ in OBJECT_ROUTES])
def test_an_outsider_token_gets_404_for_anything_of_another_organisation(name, world, api_as):
    url = reverse(name, kwargs={"pk": OBJECTS[_basename(name)](world).pk})
    methods = sorted(resolve(url).func.actions)  # the methods this route answers
    api = api_as("outsider")
    for method in methods:
        response = getattr(api, method)(url, {}, format="json")
        assert response.status_code == 404, (
            method,
            url,
            response.status_code,
            response.content[:300],
        )


def test_an_outsider_cannot_use_another_organisations_ids_in_what_they_send(world, api_as):
    api = api_as("outsider")
    enrol = api.post(
        "/api/v1/enrolments/",
        {"trainee": world.trainee.pk, "cohort": world.other_cohort.pk},
        format="json",
    )
    assert enrol.status_code == 400
    assert "does not exist" in enrol.json()["trainee"][0]
    cohort = api.post(
        "/api/v1/cohorts/",
        {
            "programme": world.programme.pk,
            "name": "Taken over",
            "starts_on": "2026-01-01",
            "ends_on": "2027-01-01",
        },
        format="json",
    )
    assert cohort.status_code == 400 and "programme" in cohort.json()
    trainee = api.post(
        "/api/v1/trainees/",
        {
            "first_name": "A",
            "last_name": "B",
            "employee_number": "X1",
            "line_manager": world.person(Role.MANAGER).pk,
        },
        format="json",
    )
    assert trainee.status_code == 400 and "line_manager" in trainee.json()
    assert world.cohort.programme.cohorts.count() == 1


def test_filtering_by_another_organisations_ids_finds_nothing(world, api_as):
    api = api_as("outsider")
    assert api.get(f"/api/v1/enrolments/?cohort={world.cohort.pk}").json()["count"] == 0
    assert api.get(f"/api/v1/milestones/?programme={world.programme.pk}").json()["count"] == 0
    assert api.get("/api/v1/trainees/?q=Sam").json()["count"] == 0
    own = api.get(f"/api/v1/enrolments/?cohort={world.other_cohort.pk}").json()
    assert [row["id"] for row in own["results"]] == [world.other_enrolment.pk]


def test_a_role_that_may_not_act_gets_403_with_the_reason(world, api_as):
    url = f"/api/v1/enrolments/{world.enrolment.pk}/transition/"
    refused = api_as(Role.MANAGER).post(url, {"to_status": "paused", "reason": "x"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"]
    assert (
        api_as(Role.TRAINEE)
        .post("/api/v1/programmes/", {"title": "Mine"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_as(Role.PLANNER)
        .patch(f"/api/v1/trainees/{world.trainee.pk}/", {"band": "4"}, format="json")
        .status_code
        == 403
    )
    world.trainee.refresh_from_db()
    assert world.trainee.band == "3"


def test_invalid_input_is_400_naming_the_fields(world, api_as):
    lead = api_as(Role.TRAINING_LEAD)
    cohort = lead.post(
        "/api/v1/cohorts/",
        {
            "programme": world.programme.pk,
            "name": "Backwards",
            "starts_on": "2026-05-01",
            "ends_on": "2026-01-01",
        },
        format="json",
    )
    assert cohort.status_code == 400
    assert cohort.json() == {"non_field_errors": ["The expected end must be after the start date."]}
    bad_status = lead.post(
        f"/api/v1/enrolments/{world.enrolment.pk}/transition/",
        {"to_status": "applied"},
        format="json",
    )
    assert bad_status.status_code == 400
    assert "cannot become applied" in bad_status.json()["to_status"][0]
    no_outcome = lead.post(
        f"/api/v1/enrolments/{world.enrolment.pk}/transition/",
        {"to_status": "completed"},
        format="json",
    )
    assert no_outcome.status_code == 400 and "outcome" in no_outcome.json()
    assert lead.get("/api/v1/enrolments/?cohort=abc").status_code == 400
    assert lead.get("/api/v1/trainees/?band=99").status_code == 400


def test_an_enrolment_date_outside_the_cohort_is_400_naming_the_field(world, api_as):
    from trainees.models import Enrolment

    from ..trainees.helpers import add_trainee

    other, _ = add_trainee(world, enrol=False)
    refused = api_as(Role.TRAINING_LEAD).post(
        "/api/v1/enrolments/",
        {"trainee": other.pk, "cohort": world.cohort.pk, "enrolled_on": "1999-01-04"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "enrolled_on": ["The enrolment date 4 January 1999 is before the cohort starts (5 January 2026)."]
    }
    assert not Enrolment.objects.filter(trainee=other).exists()


def test_enrolling_someone_active_elsewhere_needs_confirm_active_elsewhere(world, api_as):
    from datetime import date

    from programmes import services
    from trainees.models import Enrolment

    second = services.cohort_create(
        programme=world.programme, name="Cohort 2", starts_on=date(2026, 9, 7), ends_on=date(2028, 7, 14)
    )
    lead = api_as(Role.TRAINING_LEAD)
    body = {"trainee": world.trainee.pk, "cohort": second.pk, "enrolled_on": "2026-09-07", "status": "active"}

    refused = lead.post("/api/v1/enrolments/", body, format="json")

    assert refused.status_code == 400
    assert refused.json() == {"confirm_active_elsewhere": [
        "Sam Trainee is already on another programme: Inpatient assistant practitioner: Cohort 1 (active). "
        "Send confirm_active_elsewhere: true to enrol them on this cohort as well."
    ]}
    assert not Enrolment.objects.filter(cohort=second).exists()
    assert lead.post("/api/v1/enrolments/", {**body, "confirm_active_elsewhere": False},
                     format="json").status_code == 400

    confirmed = lead.post("/api/v1/enrolments/", {**body, "confirm_active_elsewhere": True}, format="json")

    assert confirmed.status_code == 201, confirmed.content
    assert "confirm_active_elsewhere" not in confirmed.json()  # write-only
    assert Enrolment.objects.get(cohort=second, trainee=world.trainee).status == "active"
    # Someone on no other programme needs no confirmation; a withdrawn enrolment does not count.
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status="withdrawn")
    third = services.cohort_create(
        programme=world.programme, name="Cohort 3", starts_on=date(2027, 1, 4), ends_on=date(2028, 7, 14)
    )
    Enrolment.objects.filter(cohort=second).update(status="withdrawn")
    assert lead.post("/api/v1/enrolments/", {**body, "cohort": third.pk, "enrolled_on": "2027-01-04"},
                     format="json").status_code == 201


def test_the_schema_says_how_to_confirm_an_enrolment_elsewhere_and_which_dates_pass(world, api_as):
    schema = api_as(Role.TRAINING_LEAD).get("/api/schema/?format=json")
    assert schema.status_code == 200, schema.content[:300]
    fields = schema.json()["components"]["schemas"]["EnrolmentRequest"]["properties"]
    assert "unless this is true" in fields["confirm_active_elsewhere"]["description"]
    assert fields["confirm_active_elsewhere"]["type"] == "boolean"
    assert "between the cohort's start and its expected end" in fields["enrolled_on"]["description"]


def test_changes_through_the_api_are_attributed_to_the_token_owner(world, api_as):
    from auditlog.models import LogEntry

    lead = world.person(Role.TRAINING_LEAD)
    response = api_as(Role.TRAINING_LEAD).patch(
        f"/api/v1/trainees/{world.trainee.pk}/", {"band": "4"}, format="json"
    )
    assert response.status_code == 200 and response.json()["band"] == "4"
    entry = LogEntry.objects.get_for_object(world.trainee).order_by("-timestamp").first()
    assert entry.actor == lead
    assert "band" in entry.changes_dict


def test_a_moodle_csv_is_imported_as_an_upload(world, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from competencies.frameworks import moodle_csv
    from competencies.frameworks.services import framework_export

    from ..access_entries.api import own_framework

    framework = own_framework(world)
    text = framework_export(framework=framework).replace("ACME-API", "ACME-NEW")
    upload = SimpleUploadedFile("framework.csv", text.encode(), content_type="text/csv")
    response = api_as(Role.TRAINING_LEAD).post(
        "/api/v1/frameworks/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["id_number"] == "ACME-NEW" and response.json()["competency_count"] == 1
    broken = SimpleUploadedFile(
        "broken.csv", b"not,a,moodle,file\n1,2,3,4\n", content_type="text/csv"
    )
    refused = api_as(Role.TRAINING_LEAD).post(
        "/api/v1/frameworks/import/", {"file": broken}, format="multipart"
    )
    assert refused.status_code == 400 and refused.json()["file"]
    assert moodle_csv  # the reader the import uses


def test_the_browser_session_acts_as_the_membership_it_has_chosen(world):
    from rest_framework.test import APIClient

    from programmes import services
    from programmes.models import Membership

    # The outsider (a lead at Other) is also a trainee at Acme; the session picks the role.
    services.membership_grant(
        user=world.outsider, organisation=world.organisation, role=Role.TRAINEE
    )
    roles = {m.role: m for m in Membership.objects.filter(user=world.outsider)}
    client = APIClient()
    client.force_login(world.outsider)
    other_trainee = f"/api/v1/trainees/{world.other_trainee.pk}/"
    switch = reverse("dashboards:switch")
    assert client.post(switch, {"membership": roles[Role.TRAINING_LEAD].pk}).status_code == 302
    assert client.get(other_trainee).status_code == 200
    assert client.post(switch, {"membership": roles[Role.TRAINEE].pk}).status_code == 302
    assert client.get(other_trainee).status_code == 404
    programmes = client.get("/api/v1/programmes/").json()["results"]
    assert [p["id"] for p in programmes] == [world.programme.pk]


@pytest.mark.django_db(transaction=True)  # the job is published when the request commits
def test_a_report_queue_that_is_down_is_503_with_the_reason(world, api_as, monkeypatch):
    from reports import tasks
    from reports.models import ReportJob

    def broker_down(*args, **kwargs):
        raise ConnectionError("nothing listens")

    monkeypatch.setattr(tasks.render_report, "apply_async", broker_down)
    response = api_as(Role.PLANNER).post(
        "/api/v1/report-jobs/", {"programme": world.programme.pk}, format="json"
    )
    assert response.status_code == 503
    assert "unavailable" in response.json()["detail"]
    assert ReportJob.objects.get().status == ReportJob.Status.FAILED


def test_a_change_made_after_reading_is_refused_with_400(world, api_as):
    url = f"/api/v1/enrolments/{world.enrolment.pk}/transition/"
    lead = api_as(Role.TRAINING_LEAD)
    stale = lead.post(
        url, {"to_status": "paused", "reason": "Leave", "expected_version": 0}, format="json"
    )
    assert stale.status_code == 400
    assert "Someone else changed this enrolment" in stale.json()["non_field_errors"][0]
    paused = lead.post(
        url, {"to_status": "paused", "reason": "Leave", "expected_version": 1}, format="json"
    )
    assert paused.status_code == 200 and paused.json()["version"] == 2
