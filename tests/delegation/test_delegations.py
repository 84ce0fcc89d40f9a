"""Cross-organisation sign-off, delegation records, supervision contacts, automatic suspension
when competence lapses, and the manager's view of what each worker may be delegated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from competencies.assessment.services import attainment_withdraw
from competencies.models import Evidence
from competencies.signals import announce_attainment_changed
from delegation import selectors, services
from delegation.models import Delegation, SupervisionContact
from delegation.signals import delegation_suspended
from programmes import services as programme_services
from programmes.models import Role

from ..conftest import make_person
from ..evidence.factories import submit
from .factories import add_partner, membership, register


@pytest.fixture
def joint(world):
    return add_partner(world)


def test_the_partners_nurse_signs_off_and_the_record_shows_person_and_organisation(client, joint):
    world = joint
    evidence = Evidence.objects.get(pk=world.signed_evidence.pk)
    assert evidence.status == Evidence.Status.SIGNED_OFF
    assert evidence.assessed_by == world.nurse
    assert evidence.assessor_organisation == world.partner_organisation
    # The trainee's own page says who and from where.
    client.force_login(world.person(Role.TRAINEE))
    page = client.get(reverse("evidence:detail", kwargs={"pk": evidence.pk})).content.decode()
    assert "Mentor Eastvale, Eastvale Community Health NHS Trust" in page
    # The portfolio's history of the competency says it too, on the version itself.
    client.force_login(world.person(Role.MENTOR))
    response = client.get(reverse("evidence:portfolio", kwargs={"trainee_pk": world.trainee.pk}))
    (entry,) = [e for e in response.context["portfolio"].profile if e.competency == world.insulin]
    (version,) = entry.history
    assert version.assessor_organisation == world.partner_organisation
    history = response.content.decode().split('data-testid="history"')[1].split("</ol>")[0]
    assert "Signed off, Competent, by Mentor Eastvale, Eastvale Community Health NHS Trust" in history


def test_the_nurse_signs_off_through_the_page(client, joint):
    world = joint
    client.force_login(world.nurse)
    listing = client.get(reverse("delegation:assessments")).content.decode()
    assert "Insulin, second observation" in listing
    url = reverse("delegation:assessment_detail", kwargs={"pk": world.partner_evidence.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "sign_off-version": world.partner_evidence.version,
        f"sign_off-level_{world.insulin.pk}": "1",
        "sign_off-comment": "Safe technique, correct site rotation.",
    })
    assert response.status_code == 302
    world.partner_evidence.refresh_from_db()
    assert world.partner_evidence.status == Evidence.Status.SIGNED_OFF
    assert world.partner_evidence.assessor_organisation == world.partner_organisation


def test_the_nurse_cannot_assess_a_competency_the_partnership_does_not_name(joint):
    world = joint
    other = submit(world.trainee, [world.blood_glucose], title="Blood glucose")
    assert not selectors.partner_evidence_visible_to(membership=world.nurse_membership).filter(pk=other.pk).exists()
    with pytest.raises(PermissionDenied):
        services.partner_evidence_sign_off(
            evidence=other, membership=world.nurse_membership, levels={world.blood_glucose.pk: 1}
        )


def test_after_the_partnership_ends_the_nurse_sees_and_assesses_nothing(joint):
    world = joint
    programme_services.partnership_end(
        partnership=world.partnership, actor=world.person(Role.TRAINING_LEAD),
        organisation=world.organisation,
    )
    assert not selectors.partner_evidence_visible_to(membership=world.nurse_membership).exists()
    with pytest.raises(PermissionDenied):
        services.partner_evidence_sign_off(
            evidence=world.partner_evidence, membership=world.nurse_membership,
            levels={world.insulin.pk: 1},
        )


def test_a_partner_nurse_sees_no_record_of_the_lead_organisation_beyond_the_partnership(client, joint):
    world = joint
    client.force_login(world.nurse)
    assert client.get(reverse("trainees:detail", kwargs={"pk": world.trainee.pk})).status_code == 404
    assert client.get(reverse("evidence:detail", kwargs={"pk": world.partner_evidence.pk})).status_code == 404


def test_an_unregistered_mentor_of_the_partner_cannot_assess(joint):
    world = joint
    from ..conftest import make_person

    hca = make_person(world.partner_organisation, Role.MENTOR, "hca.eastvale")
    member = membership(hca, world.partner_organisation, Role.MENTOR)
    assert not selectors.partner_evidence_visible_to(membership=member).exists()


def test_a_delegation_is_acknowledged_by_the_worker_and_supervision_is_logged(client, joint):
    world = joint
    delegation = world.delegation
    assert delegation.status == Delegation.Status.AWAITING
    assert delegation.partnership == world.partnership
    client.force_login(world.person(Role.TRAINEE))
    response = client.post(reverse("delegation:acknowledge", kwargs={"pk": delegation.pk}))
    assert response.status_code == 302
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.ACTIVE and delegation.acknowledged_by == world.person(Role.TRAINEE)

    client.force_login(world.nurse)
    today = timezone.localdate()
    response = client.post(reverse("delegation:contact_create", kwargs={"pk": delegation.pk}), {
        "occurred_on_day": today.day, "occurred_on_month": today.month, "occurred_on_year": today.year,
        "mode": "direct", "observed": "Drew up and gave 10 units correctly.", "concerns": "",
    })
    assert response.status_code == 302
    contact = SupervisionContact.objects.get(delegation=delegation)
    assert contact.recorded_by_organisation == world.partner_organisation
    page = client.get(reverse("delegation:detail", kwargs={"pk": delegation.pk})).content.decode()
    assert "Drew up and gave 10 units correctly." in page


def test_a_supervision_contact_in_the_future_is_refused_next_to_the_date(client, joint):
    world = joint
    client.force_login(world.nurse)
    later = timezone.localdate() + timedelta(days=5)
    response = client.post(reverse("delegation:contact_create", kwargs={"pk": world.delegation.pk}), {
        "occurred_on_day": later.day, "occurred_on_month": later.month, "occurred_on_year": later.year,
        "mode": "remote", "observed": "Phone call.", "concerns": "",
    })
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert "Phone call." in response.content.decode()  # what was typed is kept
    assert not SupervisionContact.objects.exists()


def test_a_reason_too_long_to_keep_ends_nothing_and_is_refused_next_to_the_field(client, joint):
    world = joint
    client.force_login(world.nurse)
    url = reverse("delegation:end", kwargs={"pk": world.delegation.pk})
    response = client.post(url, {"reason": "x" * 1001})
    assert response.status_code == 200
    assert response.context["end_form"].errors["reason"] == ["Give the reason in 1,000 characters or fewer"]
    page = response.content.decode()
    assert "There is a problem" in page and page.count("Give the reason in 1,000 characters or fewer") == 2
    assert 'data-testid="end-delegation" open' in page  # the form stays open with what was typed
    assert "<title>Error: " in page
    world.delegation.refresh_from_db()
    assert world.delegation.status == Delegation.Status.AWAITING and world.delegation.ended_at is None
    # A reason that fits ends it, and is kept.
    assert client.post(url, {"reason": "Moved to another care home."}).status_code == 302
    world.delegation.refresh_from_db()
    assert world.delegation.status == Delegation.Status.ENDED
    assert world.delegation.status_reason == "Moved to another care home."


def test_a_review_date_before_the_start_is_refused_next_to_the_review_date(client, joint):
    world = joint
    client.force_login(world.person(Role.MENTOR))  # Acme's ward nurse, delegating within Acme
    url = reverse("delegation:create")
    (task,) = client.get(url).context["tasks"]
    today = timezone.localdate()
    response = client.post(url, {
        "task": task.key, "setting": "Larch Ward", "supervision": "direct", "supervision_detail": "On shift",
        "starts_on_day": today.day, "starts_on_month": today.month, "starts_on_year": today.year,
        "review_on_day": today.day, "review_on_month": today.month, "review_on_year": today.year,
    })
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["review_on"] == ["The review date must be after the start date"]
    assert not form.non_field_errors()
    page = response.content.decode()
    assert '<a href="#id_review_on_day">The review date must be after the start date</a>' in page
    assert 'id="id_review_on-error"><span class="nhsuk-u-visually-hidden">Error: </span>The review date' in page
    assert Delegation.objects.count() == 1  # add_partner's, and no other


def _delegate_again(client, task):
    today = timezone.localdate()
    return client.post(reverse("delegation:create"), {
        "task": task.key, "setting": "Larch Ward", "supervision": "direct", "supervision_detail": "On shift",
        "starts_on_day": today.day, "starts_on_month": today.month, "starts_on_year": today.year,
        "review_on_day": today.day, "review_on_month": today.month, "review_on_year": today.year + 1,
    })


def test_a_task_in_force_for_the_worker_is_not_delegated_again_and_the_page_names_it(client, joint):
    world = joint
    # Acme's ward nurse (Sam's mentor) tries to delegate insulin, which Eastvale's nurse
    # delegated to Sam and Sam has not yet acknowledged.
    client.force_login(world.person(Role.MENTOR))
    (task,) = client.get(reverse("delegation:create")).context["tasks"]
    assert (task.trainee, task.competency) == (world.trainee, world.insulin)
    response = _delegate_again(client, task)
    assert response.status_code == 200
    started = f"{world.delegation.starts_on:%-d %B %Y}"
    assert response.context["form"].errors["task"] == [
        f"Insulin administration is already delegated to Sam Trainee, by Eastvale Community Health NHS Trust "
        f"from {started}. It is waiting for the care worker to acknowledge: end it before delegating the task again"
    ]
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_task"' in page
    in_force = page.split('data-testid="in-force"')[1].split("</div>")[0]
    assert reverse("delegation:detail", kwargs={"pk": world.delegation.pk}) in in_force  # Sam's mentor sees it
    assert Delegation.objects.filter(trainee=world.trainee, competency=world.insulin).count() == 1


def test_a_suspended_delegation_is_still_in_force_until_it_is_ended(client, joint):
    world = joint
    services.delegation_suspend(delegation=world.delegation, reason="Medication incident", actor=world.nurse)

    def again():
        return services.delegation_create(
            membership=world.nurse_membership, trainee=world.trainee, competency=world.insulin,
            setting="Elm House", starts_on=timezone.localdate(), supervision="remote",
            supervision_detail="Phone", review_on=timezone.localdate() + timedelta(days=30),
        )

    with pytest.raises(services.DelegationInForce, match="a suspended delegation is still in force") as refused:
        again()
    assert refused.value.delegation == world.delegation
    # A registered nurse of Acme who is not Sam's mentor cannot open Eastvale's record: the
    # page says whose it is and whom to ask, with no link that would answer 404.
    other_nurse = register(make_person(world.organisation, Role.MENTOR, "nurse2.acme"), world.organisation)
    client.force_login(other_nurse.user)
    (task,) = client.get(reverse("delegation:create")).context["tasks"]
    response = _delegate_again(client, task)
    assert "It is suspended, and a suspended delegation is still in force" in response.context["form"].errors["task"][0]
    in_force = response.content.decode().split('data-testid="in-force"')[1].split("</div>")[0]
    assert "Eastvale Community Health NHS Trust" in in_force and "<a " not in in_force
    services.delegation_end(delegation=world.delegation, membership=world.nurse_membership, reason="Reviewed")
    replacement = again()
    assert replacement.status == Delegation.Status.AWAITING


def test_the_database_holds_one_delegation_in_force_per_worker_and_task(joint):
    from django.db import IntegrityError, transaction

    world = joint
    duplicate = Delegation(
        competency=world.insulin, trainee=world.trainee, delegated_by=world.nurse,
        delegator_organisation=world.partner_organisation, setting="Elm House",
        starts_on=world.delegation.starts_on, supervision="remote", supervision_detail="Phone",
        review_on=world.delegation.review_on, status=Delegation.Status.SUSPENDED,
    )
    with pytest.raises(ValidationError, match="already delegated to this care worker"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    duplicate.status = Delegation.Status.ENDED  # an ended one is history: any number
    duplicate.save()


def test_the_migration_ends_all_but_the_newest_of_delegations_made_twice_before_it(joint):
    import importlib

    from django.apps import apps
    from django.db import connection

    world = joint
    migration = importlib.import_module("delegation.migrations.0003_one_delegation_in_force_per_worker_and_task")
    (constraint,) = [c for c in Delegation._meta.constraints if c.name == "delegation_one_in_force_per_worker_and_task"]
    with connection.schema_editor() as editor:  # as it was before: rolled back with the test
        editor.remove_constraint(Delegation, constraint)
    Delegation.objects.filter(pk=world.delegation.pk).update(status=Delegation.Status.SUSPENDED)
    fields = {f.name: getattr(world.delegation, f.name) for f in Delegation._meta.concrete_fields if not f.primary_key}
    later = Delegation.objects.create(**{**fields, "status": Delegation.Status.ACTIVE})
    with connection.schema_editor() as editor:
        migration.end_all_but_the_newest_in_force(apps, editor)
        editor.add_constraint(Delegation, constraint)
    world.delegation.refresh_from_db()
    later.refresh_from_db()
    assert later.status == Delegation.Status.ACTIVE
    assert world.delegation.status == Delegation.Status.ENDED and world.delegation.ended_at is not None
    assert f"delegated to the same worker again (delegation {later.pk})" in world.delegation.status_reason


def test_a_setting_with_patient_identifiers_is_refused(joint):
    world = joint
    with pytest.raises(ValidationError, match="no NHS numbers"):
        services.delegation_create(
            membership=world.nurse_membership, trainee=world.trainee, competency=world.insulin,
            setting="Mrs Smith 943 476 5919", starts_on=timezone.localdate(),
            supervision="direct", supervision_detail="Visit", review_on=timezone.localdate() + timedelta(days=30),
        )


def test_a_task_the_worker_is_not_signed_off_for_cannot_be_delegated(joint):
    world = joint
    with pytest.raises((ValidationError, PermissionDenied)):
        services.delegation_create(
            membership=world.ward_nurse_membership, trainee=world.trainee, competency=world.blood_glucose,
            setting="Larch Ward", starts_on=timezone.localdate(), supervision="direct",
            supervision_detail="On shift", review_on=timezone.localdate() + timedelta(days=30),
        )


def test_withdrawn_competence_suspends_the_delegation_and_tells_both_organisations(
    joint, django_capture_on_commit_callbacks
):
    world = joint
    mail.outbox.clear()
    heard = []

    def listen(sender, *, delegation_id, trainee_id, competency_id, reason, **kwargs):
        heard.append((delegation_id, trainee_id, competency_id))

    delegation_suspended.connect(listen, weak=False, dispatch_uid="test-listen")

    with django_capture_on_commit_callbacks(execute=True):
        attainment_withdraw(
            trainee=world.trainee, competency=world.insulin, actor=world.person(Role.TRAINING_LEAD),
            reason="Medication incident under review",
        )
    world.delegation.refresh_from_db()
    assert world.delegation.status == Delegation.Status.SUSPENDED
    assert "withdrawn" in world.delegation.status_reason
    delegation_suspended.disconnect(dispatch_uid="test-listen")
    assert heard == [(world.delegation.pk, world.trainee.pk, world.insulin.pk)]  # announced after commit
    recipients = {address for message in mail.outbox for address in message.to}
    assert "lead.eastvale@example.org" in recipients  # the delegating organisation
    assert "training_lead.acme@example.org" in recipients  # the worker's organisation
    assert "nurse.eastvale@example.org" in recipients and "manager.acme@example.org" in recipients


def test_a_change_that_keeps_competence_leaves_the_delegation_alone(joint, django_capture_on_commit_callbacks):
    world = joint
    with django_capture_on_commit_callbacks(execute=True):
        announce_attainment_changed([(world.trainee.pk, world.insulin.pk)], "reassessed")
    world.delegation.refresh_from_db()
    assert world.delegation.status == Delegation.Status.AWAITING


def test_the_manager_sees_per_worker_what_they_may_be_delegated(client, joint):
    world = joint
    client.force_login(world.person(Role.MANAGER))
    page = client.get(reverse("delegation:workers")).content.decode()
    assert "Sam Trainee" in page
    may, _, rest = page.partition('data-testid="not-now"')
    assert "Insulin administration" in may
    assert "Capillary blood glucose monitoring" in rest


def test_the_workers_page_costs_the_same_queries_at_two_sizes(joint, django_assert_num_queries):
    world = joint
    from trainees import services as trainee_services

    from ..conftest import make_person

    manager = membership(world.person(Role.MANAGER), world.organisation, Role.MANAGER)
    lead = world.person(Role.TRAINING_LEAD)

    def grow(n):
        for i in range(n):
            trainee = trainee_services.trainee_create(
                organisation=world.organisation, actor=lead, first_name=f"Worker{i}", last_name="Care",
                employee_number=f"W{i:04d}-{n}", line_manager=world.person(Role.MANAGER),
                user=make_person(world.organisation, Role.TRAINEE, f"worker{i}-{n}.acme"),
            )
            trainee_services.enrolment_create(trainee=trainee, cohort=world.cohort, actor=lead, status="active")
            submit(trainee, [world.insulin], title="Insulin")

    # the visible cohort ids, enrolments, delegated role-profile items, attainment, delegations
    grow(2)
    with django_assert_num_queries(5):
        selectors.workers_for(membership=manager)
    grow(8)
    with django_assert_num_queries(5):
        assert len(selectors.workers_for(membership=manager)) == 11


def test_the_delegation_list_costs_the_same_queries_at_two_sizes(joint, django_assert_num_queries):
    world = joint
    lead = membership(world.person(Role.TRAINING_LEAD), world.organisation, Role.TRAINING_LEAD)
    with django_assert_num_queries(1):
        rows = list(selectors.delegation_list(membership=lead))
        [(r.competency.short_name, r.trainee.organisation.name, r.delegator_organisation.name) for r in rows]
    previous = world.delegation
    for _ in range(5):  # one in force at a time: each ended before the next
        services.delegation_end(delegation=previous, membership=world.nurse_membership)
        previous = services.delegation_create(
            membership=world.nurse_membership, trainee=world.trainee, competency=world.insulin,
            setting="Elm House", starts_on=timezone.localdate(), supervision="remote",
            supervision_detail="Phone", review_on=timezone.localdate() + timedelta(days=30),
        )
    with django_assert_num_queries(1):
        rows = list(selectors.delegation_list(membership=lead))
        [(r.competency.short_name, r.trainee.organisation.name, r.delegator_organisation.name) for r in rows]
    assert len(rows) == 6


def test_ending_the_partnership_ends_the_delegations_resting_on_it_and_the_task_can_be_delegated_again(
    client, joint, mailoutbox, django_capture_on_commit_callbacks
):
    world = joint
    client.force_login(world.partner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("delegation:partnership_end", kwargs={"pk": world.partnership.pk}))
    assert response.status_code == 302
    world.delegation.refresh_from_db()
    assert world.delegation.status == Delegation.Status.ENDED
    assert "the partnership between" in world.delegation.status_reason
    # Told as an end, not as a suspension waiting for a reassessment the worker does not need.
    [told] = [m for m in mailoutbox if m.subject.startswith("Delegation ended")]
    assert "nothing about the care worker's competence" in " ".join(told.body.split())
    assert not [m for m in mailoutbox if m.subject.startswith("Delegation suspended")]
    # The nurse still reads their own record of it, with the reason.
    client.force_login(world.nurse)
    page = client.get(reverse("delegation:detail", kwargs={"pk": world.delegation.pk})).content.decode()
    assert "the partnership between" in page
    # Nothing is left in force, so the worker's own organisation may delegate the task again.
    assert not Delegation.objects.filter(
        trainee=world.delegation.trainee, competency=world.delegation.competency
    ).exclude(status=Delegation.Status.ENDED).exists()


def test_the_partner_assessment_list_costs_the_same_queries_at_two_sizes(joint, django_assert_num_queries):
    world = joint
    # registration, the evidence page, its claims, their competencies
    with django_assert_num_queries(4):
        rows = list(selectors.partner_evidence_list(membership=world.nurse_membership))
        [(e.trainee.organisation.name, [c.competency.short_name for c in e.claims.all()]) for e in rows]
    for i in range(6):
        submit(world.trainee, [world.insulin], title=f"Insulin {i}")
    with django_assert_num_queries(4):
        rows = list(selectors.partner_evidence_list(membership=world.nurse_membership))
        [(e.trainee.organisation.name, [c.competency.short_name for c in e.claims.all()]) for e in rows]
    assert len(rows) == 8
