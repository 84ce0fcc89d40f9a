"""The role rules on the trainee-record screens: each person sees only the trainees they work
with, and the outsider sees nothing of Acme's."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from programmes import services as programme_services
from programmes.models import Role
from trainees import services

from .helpers import add_trainee

pytestmark = pytest.mark.django_db


def _detail(trainee):
    return reverse("trainees:detail", kwargs={"pk": trainee.pk})


def _enrolment(enrolment):
    return reverse("trainees:enrolment_detail", kwargs={"pk": enrolment.pk})


def _cohort(cohort):
    return reverse("trainees:cohort_detail", kwargs={"pk": cohort.pk})


def test_manager_sees_only_the_trainees_they_manage(world, client_as):
    other, other_enrolment = add_trainee(world)  # managed by nobody
    client = client_as(Role.MANAGER)
    assert client.get(_detail(world.trainee)).status_code == 200
    assert client.get(_enrolment(world.enrolment)).status_code == 200
    assert client.get(_detail(other)).status_code == 404
    assert client.get(_enrolment(other_enrolment)).status_code == 404
    page = client.get(_cohort(world.cohort)).content.decode()
    assert "Sam Trainee" in page and "Nobody Managed" not in page
    listing = client.get(reverse("trainees:list")).content.decode()
    assert "Sam Trainee" in listing and "Nobody Managed" not in listing


def test_mentor_sees_only_their_mentees(world, client_as):
    other, other_enrolment = add_trainee(world)
    client = client_as(Role.MENTOR)
    assert client.get(_enrolment(world.enrolment)).status_code == 200
    assert client.get(_detail(other)).status_code == 404
    assert client.get(_enrolment(other_enrolment)).status_code == 404
    assert "Nobody Managed" not in client.get(reverse("trainees:list")).content.decode()


def test_trainee_sees_only_themself(world, client_as):
    other, other_enrolment = add_trainee(world)
    client = client_as(Role.TRAINEE)
    assert client.get(_detail(world.trainee)).status_code == 200
    assert client.get(_detail(other)).status_code == 404
    assert client.get(_enrolment(other_enrolment)).status_code == 404
    page = client.get(_cohort(world.cohort)).content.decode()
    assert "Sam Trainee" in page and "Nobody Managed" not in page
    record = client.get(reverse("trainees:my_record"))
    assert record.status_code == 200
    assert record.context["enrolment"] == world.enrolment


def test_lecturer_sees_only_the_cohorts_they_teach(world, client_as):
    untaught = programme_services.cohort_create(
        programme=world.programme, name="Cohort 2", starts_on=date(2026, 9, 7),
        ends_on=date(2028, 7, 14),
    )
    other, other_enrolment = add_trainee(world, enrol=False)
    lead = world.person(Role.TRAINING_LEAD)
    elsewhere = services.enrolment_create(
        trainee=other, cohort=untaught, actor=lead, enrolled_on=date(2026, 9, 7), status="active"
    )
    client = client_as(Role.LECTURER)
    assert client.get(_cohort(world.cohort)).status_code == 200
    assert client.get(_enrolment(world.enrolment)).status_code == 200
    assert client.get(_cohort(untaught)).status_code == 404
    assert client.get(_enrolment(elsewhere)).status_code == 404
    assert client.get(_detail(other)).status_code == 404


def test_lecturer_sees_every_trainee_on_a_cohort_they_teach(world, client_as):
    other, _ = add_trainee(world)  # nobody's trainee, but on the lecturer's cohort
    page = client_as(Role.LECTURER).get(_cohort(world.cohort)).content.decode()
    assert "Sam Trainee" in page and "Nobody Managed" in page


def test_training_lead_sees_every_trainee_of_the_organisation(world, client_as):
    add_trainee(world)
    page = client_as(Role.TRAINING_LEAD).get(_cohort(world.cohort)).content.decode()
    assert "Sam Trainee" in page and "Nobody Managed" in page
    assert "Enrol a trainee" in page


def test_only_training_leads_are_offered_enrolling(world, client_as):
    for role in (Role.MANAGER, Role.PLANNER, Role.LECTURER):
        assert "Enrol a trainee" not in client_as(role).get(_cohort(world.cohort)).content.decode()


def test_outsider_sees_nothing_of_acme(world, client_as):
    client = client_as("outsider")
    for url in (_cohort(world.cohort), _detail(world.trainee), _enrolment(world.enrolment),
                reverse("trainees:edit", kwargs={"pk": world.trainee.pk}),
                reverse("trainees:enrol", kwargs={"pk": world.cohort.pk})):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("trainees:list")).content.decode()
    assert "Alex Elsewhere" in listing and "Sam Trainee" not in listing


def test_outsider_cannot_act_on_acme_records(world, client_as):
    client = client_as("outsider")
    pk = world.enrolment.pk
    for name in ("enrolment_transition", "contract_sign", "study_session_create", "review_create",
                 "contract_edit", "plan_edit"):
        assert client.post(reverse(f"trainees:{name}", kwargs={"pk": pk}), {}).status_code == 404, name
    assert world.enrolment.study_sessions.count() == 0


def test_a_person_who_may_not_act_is_refused_with_403(world, client_as):
    pk = world.enrolment.pk
    cases = [
        (Role.MENTOR, "study_session_create"), (Role.PLANNER, "study_session_create"),
        (Role.MENTOR, "review_create"), (Role.TRAINEE, "review_create"),
        (Role.MANAGER, "enrolment_transition"), (Role.TRAINING_LEAD, "contract_sign"),
        (Role.PLANNER, "contract_sign"),
    ]
    for role, name in cases:
        response = client_as(role).post(reverse(f"trainees:{name}", kwargs={"pk": pk}), {})
        assert response.status_code == 403, (role, name)


def test_ward_view_shows_a_manager_only_their_trainees_losses(world, client_as):
    other, other_enrolment = add_trainee(
        world, clinical_area=programme_services.clinical_area_ensure(
            organisation=world.organisation, name="Oak Ward"
        ),
    )
    lead = world.person(Role.TRAINING_LEAD)
    services.study_session_record(enrolment=other_enrolment, actor=lead, date=date(2026, 2, 3),
                                  hours=4, outcome="lost", lost_reason="sickness")
    services.study_session_record(enrolment=world.enrolment, actor=lead, date=date(2026, 2, 3),
                                  hours=2, outcome="lost", lost_reason="ward_staffing",
                                  cover_arranged=True)
    manager_page = client_as(Role.MANAGER).get(reverse("trainees:study_time_by_ward"))
    names = [w["name"] for w in manager_page.context["wards"]]
    assert names == ["Larch Ward"]
    lead_page = client_as(Role.TRAINING_LEAD).get(reverse("trainees:study_time_by_ward"))
    wards = {w["name"]: w for w in lead_page.context["wards"]}
    assert set(wards) == {"Larch Ward", "Oak Ward"}
    assert wards["Larch Ward"]["covered"] == 1 and wards["Oak Ward"]["hours"] == 4
    html = lead_page.content.decode()
    assert "Ward staffing" in html
    # Each ward in the summary links to the table of its reasons.
    assert html.count('data-testid="ward-reasons"') == 2
    assert 'href="#ward-2"' in html and 'id="ward-2" data-testid="ward-reasons"' in html
