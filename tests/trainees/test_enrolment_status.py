"""Changing an enrolment's status from its page: allowed moves only, reasons and outcomes,
stale forms refused, and the history says who did what and why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from programmes.models import Role
from trainees import services
from trainees.models import Enrolment, EnrolmentTransition

pytestmark = pytest.mark.django_db


def _post(client, enrolment, **data):
    data.setdefault("version", enrolment.version)
    return client.post(reverse("trainees:enrolment_transition", kwargs={"pk": enrolment.pk}), data)


def test_lead_pauses_an_enrolment_with_a_reason(world, client_as):
    response = _post(client_as(Role.TRAINING_LEAD), world.enrolment, to_status="paused",
                     reason="Long-term sickness")
    assert response.status_code == 302
    assert response["Location"].endswith("#status")
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == "paused"
    assert world.enrolment.version == 2


def test_an_illegal_transition_is_refused_with_its_message_and_nothing_saved(world, client_as):
    response = _post(client_as(Role.TRAINING_LEAD), world.enrolment, to_status="applied",
                     reason="Back to the start")
    assert response.status_code == 200
    errors = response.context["transition_form"].errors["to_status"]
    assert errors == [
        "An enrolment that is active cannot become applied; it can become completed, paused, withdrawn."
    ]
    assert "cannot become applied" in response.content.decode()
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == "active"
    assert world.enrolment.transitions.count() == 1


def test_a_closed_enrolment_offers_no_status_change_and_refuses_one(world, client_as):
    lead = world.person(Role.TRAINING_LEAD)
    services.enrolment_transition(enrolment=world.enrolment, to_status="withdrawn", actor=lead,
                                  reason="Left the trust")
    world.enrolment.refresh_from_db()
    client = client_as(Role.TRAINING_LEAD)
    page = client.get(reverse("trainees:enrolment_detail", kwargs={"pk": world.enrolment.pk}))
    assert page.context["transition_form"] is None
    assert "can no longer change" in page.content.decode()
    response = _post(client, world.enrolment, to_status="active")
    assert "it is closed" in response.context["transition_form"].errors["to_status"][0]


def test_completing_needs_an_outcome(world, client_as):
    response = _post(client_as(Role.TRAINING_LEAD), world.enrolment, to_status="completed")
    assert response.status_code == 200
    assert response.context["transition_form"].errors["outcome"] == [
        "Choose the outcome of the programme for this trainee."
    ]
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == "active"


def test_progressing_to_further_training_needs_to_say_what(world, client_as):
    response = _post(client_as(Role.TRAINING_LEAD), world.enrolment, to_status="completed",
                     outcome="progressed")
    assert "outcome_detail" in response.context["transition_form"].errors


def test_lead_completes_with_an_outcome(world, client_as):
    response = _post(client_as(Role.TRAINING_LEAD), world.enrolment, to_status="completed",
                     outcome="progressed", outcome_detail="Nursing degree (abbreviated)")
    assert response.status_code == 302
    world.enrolment.refresh_from_db()
    assert (world.enrolment.status, world.enrolment.outcome) == ("completed", "progressed")
    assert world.enrolment.ended_on is not None


def test_a_stale_form_is_refused_keeping_the_input(world, client_as):
    lead = world.person(Role.TRAINING_LEAD)
    read_version = world.enrolment.version
    # Someone else changes the enrolment after the page was read.
    services.enrolment_transition(enrolment=world.enrolment, to_status="paused", actor=lead,
                                  reason="Maternity leave")
    response = _post(client_as(Role.TRAINING_LEAD), world.enrolment, version=read_version,
                     to_status="withdrawn", reason="My careful reason")
    assert response.status_code == 200
    form = response.context["transition_form"]
    assert form.non_field_errors()[0].startswith("Someone else changed this enrolment")
    html = response.content.decode()
    # The summary at the top of the page says so, and the typed reason is still there.
    assert html.index("Someone else changed this enrolment") < html.index("<h1")
    assert "My careful reason" in html
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == "paused"


def test_the_history_shows_each_change_with_who_and_why(world, client_as):
    lead = world.person(Role.TRAINING_LEAD)
    services.enrolment_transition(enrolment=world.enrolment, to_status="paused", actor=lead,
                                  reason="Long-term sickness")
    services.enrolment_transition(enrolment=world.enrolment, to_status="active", actor=lead,
                                  reason="Back at work")
    response = client_as(Role.MANAGER).get(
        reverse("trainees:enrolment_detail", kwargs={"pk": world.enrolment.pk})
    )
    transitions = response.context["transitions"]
    assert [(t.from_status, t.to_status, t.reason) for t in transitions] == [
        ("", "active", "Enrolled"),
        ("active", "paused", "Long-term sickness"),
        ("paused", "active", "Back at work"),
    ]
    html = response.content.decode()
    assert "Active → Paused" in html and "Long-term sickness" in html
    assert lead.get_full_name() in html
    # The audit trail is for training leads only.
    assert response.context["audit_entries"] is None


def test_leads_see_the_audit_trail(world, client_as):
    response = client_as(Role.TRAINING_LEAD).get(
        reverse("trainees:enrolment_detail", kwargs={"pk": world.enrolment.pk})
    )
    assert response.context["audit_entries"].exists()
    assert 'data-testid="audit-trail"' in response.content.decode()


def test_enrolling_a_trainee(world, client_as):
    from .helpers import add_trainee

    other, _ = add_trainee(world, enrol=False)
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:enrol", kwargs={"pk": world.cohort.pk})
    form = client.get(url).context["form"]
    assert list(form.fields["trainee"].queryset) == [other]  # Sam is already on the cohort
    response = client.post(url, {"trainee": other.pk, "enrolled_on": "2026-02-02", "status": "applied"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(trainee=other, cohort=world.cohort)
    assert enrolment.status == "applied"
    assert EnrolmentTransition.objects.filter(enrolment=enrolment, actor=world.person(Role.TRAINING_LEAD)).exists()


@pytest.mark.parametrize("day, message", [
    ("1999-01-04", "The enrolment date 4 January 1999 is before the cohort starts (5 January 2026)."),
    ("2026-01-04", "The enrolment date 4 January 2026 is before the cohort starts (5 January 2026)."),
    ("2027-12-18", "The enrolment date 18 December 2027 is after the cohort's expected end (17 December 2027)."),
    ("2062-01-05", "The enrolment date 5 January 2062 is after the cohort's expected end (17 December 2027)."),
])
def test_an_enrolment_date_outside_the_cohort_is_refused_next_to_the_field(world, client_as, day, message):
    from ..programmes.helpers import Page
    from .helpers import add_trainee

    other, _ = add_trainee(world, enrol=False)
    response = client_as(Role.TRAINING_LEAD).post(
        reverse("trainees:enrol", kwargs={"pk": world.cohort.pk}),
        {"trainee": other.pk, "enrolled_on": day, "status": "active"},
    )
    assert response.status_code == 200
    assert Page(response).error_for("id_enrolled_on") == message
    assert not Enrolment.objects.filter(trainee=other).exists()


@pytest.mark.parametrize("day", ["2026-01-05", "2027-12-17"])  # the cohort's first and last days
def test_an_enrolment_on_the_cohorts_first_or_last_day_is_accepted(world, client_as, day):
    from .helpers import add_trainee

    other, _ = add_trainee(world, enrol=False)
    response = client_as(Role.TRAINING_LEAD).post(
        reverse("trainees:enrol", kwargs={"pk": world.cohort.pk}),
        {"trainee": other.pk, "enrolled_on": day, "status": "applied"},
    )
    assert response.status_code == 302
    assert str(Enrolment.objects.get(trainee=other).enrolled_on) == day


def test_the_service_refuses_an_implausible_enrolment_date_whoever_calls_it(world):
    from datetime import date

    from django.core.exceptions import ValidationError

    from .helpers import add_trainee

    other, _ = add_trainee(world, enrol=False)
    with pytest.raises(ValidationError) as refused:
        services.enrolment_create(trainee=other, cohort=world.cohort, actor=world.person(Role.TRAINING_LEAD),
                                  enrolled_on=date(1999, 1, 4), status="active")
    assert refused.value.message_dict == {
        "enrolled_on": ["The enrolment date 4 January 1999 is before the cohort starts (5 January 2026)."]
    }
    assert not Enrolment.objects.filter(trainee=other).exists()


def test_enrolling_refuses_someone_already_on_the_cohort(world, client_as):
    response = client_as(Role.TRAINING_LEAD).post(
        reverse("trainees:enrol", kwargs={"pk": world.cohort.pk}),
        {"trainee": world.trainee.pk, "enrolled_on": "2026-02-02", "status": "active"},
    )
    assert response.status_code == 200
    assert "trainee" in response.context["form"].errors


def test_enrolling_someone_active_elsewhere_warns_with_a_way_on_then_enrols_once_confirmed(
    world, client_as
):
    from datetime import date

    from programmes import services as programme_services

    second = programme_services.cohort_create(
        programme=world.programme, name="Cohort 2", starts_on=date(2026, 9, 7),
        ends_on=date(2028, 7, 14),
    )
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("trainees:enrol", kwargs={"pk": second.pk})
    data = {"trainee": world.trainee.pk, "enrolled_on": "2026-09-07", "status": "active"}

    warned = client.post(url, data)

    assert warned.status_code == 200
    body = warned.content.decode()
    assert "Already on another programme" in body
    # The way on: the other enrolment, to close it first, or the box to go ahead.
    assert reverse("trainees:enrolment_detail", kwargs={"pk": world.enrolment.pk}) in body
    assert warned.context["form"].errors["enrol_anyway"] == [
        "Sam Trainee is already on another programme. Select “Enrol them on this cohort as well” "
        "to go ahead, or choose another trainee"
    ]
    assert not Enrolment.objects.filter(trainee=world.trainee, cohort=second).exists()

    confirmed = client.post(url, {**data, "enrol_anyway": "on"})

    assert confirmed.status_code == 302
    assert Enrolment.objects.get(trainee=world.trainee, cohort=second).status == "active"
