"""A training lead sets how long their own framework's sign-offs stay valid, each competency's
own period and which are delegated tasks (competencies.frameworks.services
.framework_validity_update, the page frameworks:validity); current sign-offs then run for the
new period, and what has expired is announced as the daily sweep announces it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competencies.assessment import services as assessment
from competencies.evidence import services as evidence_services
from competencies.evidence.selectors import attainment_for
from competencies.frameworks.services import CompetencyValidity, framework_validity_update
from competencies.models import AssessmentPolicy, AttainmentDecision, Competency, Framework
from competencies.signals import attainment_changed
from competencies.validity import add_months
from programmes.models import Membership, Role

from ..evidence.factories import make_competency, make_framework, make_profile, sign_off, submit


def _membership(world, role=Role.TRAINING_LEAD):
    return Membership.objects.select_related("user", "organisation").get(
        user=world.person(role), organisation=world.organisation, role=role
    )


def _outsider(world):
    return Membership.objects.select_related("user").get(user=world.outsider, organisation=world.other_organisation)


def _signed_on(world, competency, day: date):
    evidence = sign_off(submit(world.trainee, [competency]), {competency.pk: 1})
    evidence_services.decisions_backdate(
        evidence=evidence, decided_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    )


def _status(world, competency) -> str:
    return attainment_for([world.trainee], [competency])[(world.trainee.pk, competency.pk)].status


@pytest.fixture
def acme(world):
    """Acme's own framework, sign-offs valid three years, with two competencies in the role."""
    framework = make_framework(organisation=world.organisation, short_name="Acme skills", validity_months=36)
    fire = make_competency(framework, "Fire safety", id_number="F1")
    bls = make_competency(framework, "Basic life support", id_number="B1")
    make_profile(world.programme, [(fire, 1), (bls, 1)])
    return framework, fire, bls


@pytest.fixture
def heard():
    said = []

    def receiver(sender, pairs, reason, **kwargs):
        said.append((pairs, reason))

    attainment_changed.connect(receiver)
    yield said
    attainment_changed.disconnect(receiver)


# --- The service ----------------------------------------------------------------------------------


def test_a_lead_sets_the_periods_and_delegated_tasks_and_each_change_is_audited(world, acme):
    framework, fire, bls = acme
    lead = _membership(world)
    change = framework_validity_update(
        framework=framework, membership=lead, validity_months=24,
        competencies={fire.pk: CompetencyValidity(months=None, is_delegated_task=False),
                      bls.pk: CompetencyValidity(months="12", is_delegated_task=True)},
    )
    framework.refresh_from_db()
    bls.refresh_from_db()
    assert change.changed == 2
    assert framework.validity_months == 24 and (bls.reassessment_months, bls.is_delegated_task) == (12, True)
    entries = LogEntry.objects.filter(action=LogEntry.Action.UPDATE, actor=lead.user)
    framework_entry = entries.get(content_type__model="framework", object_id=framework.pk)
    bls_entry = entries.get(content_type__model="competency", object_id=bls.pk)
    assert framework_entry.changes_dict["validity_months"] == ["36", "24"]
    assert bls_entry.changes_dict == {"reassessment_months": ["None", "12"], "is_delegated_task": ["False", "True"]}
    assert not entries.filter(content_type__model="competency", object_id=fire.pk).exists()  # unchanged


@pytest.mark.parametrize("bad", [0, -1, 121, "1.5", "twelve", 2.5, True])
def test_a_period_that_is_not_a_whole_number_of_months_up_to_ten_years_is_refused_by_its_field(world, acme, bad):
    framework, fire, bls = acme
    with pytest.raises(ValidationError) as refused:
        framework_validity_update(
            framework=framework, membership=_membership(world), validity_months=bad,
            competencies={fire.pk: CompetencyValidity(months=bad, is_delegated_task=True)},
        )
    errors = refused.value.message_dict
    assert set(errors) == {"validity_months", f"months_{fire.pk}"}
    assert errors[f"months_{fire.pk}"] == [
        "Enter the period for F1 as a whole number of months from 1 to 120, or leave it blank"
    ]
    fire.refresh_from_db()
    framework.refresh_from_db()
    assert (framework.validity_months, fire.is_delegated_task) == (36, False)  # all or nothing


def test_a_competency_of_another_framework_is_refused(world, acme):
    framework, _, _ = acme
    elsewhere = make_competency(make_framework(organisation=world.organisation), "Elsewhere")
    with pytest.raises(ValidationError):
        framework_validity_update(
            framework=framework, membership=_membership(world), validity_months=36,
            competencies={elsewhere.pk: CompetencyValidity(months=6, is_delegated_task=True)},
        )
    elsewhere.refresh_from_db()
    assert elsewhere.reassessment_months is None


def test_only_a_training_lead_of_the_owning_organisation_may_change_it(world, acme):
    framework, fire, _ = acme
    national = make_framework(short_name="National")
    for membership, target in (
        (_membership(world, Role.MENTOR), framework),
        (_membership(world, Role.MANAGER), framework),
        (_outsider(world), framework),
        (_membership(world), national),  # national frameworks: administrators only
    ):
        with pytest.raises(PermissionDenied):
            framework_validity_update(framework=target, membership=membership, validity_months=6, competencies={})
    assert Framework.objects.get(pk=framework.pk).validity_months == 36
    assert Framework.objects.get(pk=national.pk).validity_months is None


def test_shortening_the_period_expires_a_current_sign_off_and_announces_it_once(
    world, acme, heard, django_capture_on_commit_callbacks
):
    framework, fire, bls = acme
    _signed_on(world, fire, timezone.localdate() - timedelta(days=400))
    _signed_on(world, bls, timezone.localdate() - timedelta(days=30))
    assert _status(world, fire) == "current"
    was = attainment_for([world.trainee], [fire])[(world.trainee.pk, fire.pk)].valid_until
    with django_capture_on_commit_callbacks(execute=True):
        change = framework_validity_update(
            framework=framework, membership=_membership(world), validity_months=12, competencies={}
        )
    assert (change.versions_changed, change.expired) == (2, 1)
    assert _status(world, fire) == "expired" and _status(world, bls) == "current"
    # Both versions' last valid day moved (credentials replace theirs); one has expired.
    assert heard == [
        ([(world.trainee.pk, fire.pk), (world.trainee.pk, bls.pk)], "revalidated"),
        ([(world.trainee.pk, fire.pk)], "expired"),
    ]
    decision = AttainmentDecision.objects.exclude(kind="self_rated").get(trainee=world.trainee, competency=fire)
    entry = LogEntry.objects.get_for_object(decision).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == world.person(Role.TRAINING_LEAD)
    assert entry.changes_dict == {"valid_until": [str(was), str(decision.valid_until)]}
    # The daily sweep finds nothing more to announce: it is the same announcement.
    with django_capture_on_commit_callbacks(execute=True):
        assert assessment.attainment_sweep_expired() == 0
    assert len(heard) == 2


def test_lengthening_it_again_makes_the_sign_off_current_and_its_next_expiry_is_announced(world, acme):
    framework, fire, _ = acme
    lead = _membership(world)
    _signed_on(world, fire, timezone.localdate() - timedelta(days=400))
    framework_validity_update(framework=framework, membership=lead, validity_months=12, competencies={})
    framework_validity_update(framework=framework, membership=lead, validity_months=None, competencies={})
    decision = AttainmentDecision.objects.exclude(kind="self_rated").get(trainee=world.trainee, competency=fire)
    assert _status(world, fire) == "current"
    assert (decision.valid_until, decision.expiry_announced_at) == (None, None)


def test_a_competency_marked_as_a_delegated_task_runs_for_the_organisations_default(world):
    framework = make_framework(organisation=world.organisation, short_name="Tasks")  # no period
    ecg = make_competency(framework, "ECG", id_number="T1")
    bloods = make_competency(framework, "Venepuncture", id_number="T2")
    make_profile(world.programme, [(ecg, 1), (bloods, 1)])
    AssessmentPolicy.objects.create(organisation=world.organisation, delegated_task_validity_months=18)
    for competency in (ecg, bloods):
        _signed_on(world, competency, timezone.localdate() - timedelta(days=400))
    framework_validity_update(
        framework=framework, membership=_membership(world), validity_months=None,
        competencies={ecg.pk: CompetencyValidity(months=None, is_delegated_task=True),
                      bloods.pk: CompetencyValidity(months=12, is_delegated_task=True)},
    )
    # 400 days into 18 months: still valid; a task's own 12 months beat the default.
    assert (_status(world, ecg), _status(world, bloods)) == ("current", "expired")


def test_below_target_and_earlier_versions_keep_their_dates(world, acme):
    framework, fire, _ = acme
    _signed_on(world, fire, timezone.localdate() - timedelta(days=400))
    first = AttainmentDecision.objects.exclude(kind="self_rated").get(trainee=world.trainee, competency=fire)
    assessment.attainment_reassess(
        trainee=world.trainee, competency=fire, assessor=world.person(Role.MENTOR), level=1
    )
    framework_validity_update(framework=framework, membership=_membership(world), validity_months=1, competencies={})
    assert AttainmentDecision.objects.get(pk=first.pk).valid_until == first.valid_until
    got = attainment_for([world.trainee], [fire])[(world.trainee.pk, fire.pk)]
    assert got.valid_until == add_months(timezone.localdate(), 1) and got.status == "expiring"


# --- The page ---------------------------------------------------------------------------------------


def test_the_detail_page_links_leads_of_the_owner_to_the_form(client_as, world, acme):
    framework, _, _ = acme
    url = reverse("frameworks:detail", args=[framework.pk])
    lead_html = client_as(Role.TRAINING_LEAD).get(url).content.decode()
    assert 'data-testid="change-validity"' in lead_html and "36 months" in lead_html
    assert 'data-testid="change-validity"' not in client_as(Role.MENTOR).get(url).content.decode()


def test_a_lead_saves_the_whole_framework_in_one_go(client_as, world, acme):
    framework, fire, bls = acme
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("frameworks:validity", args=[framework.pk])
    page = client.get(url).content.decode()
    assert page.count('data-testid="validity-table"') == 1 and "Basic life support" in page
    response = client.post(url, {
        "validity_months": "", f"months_{fire.pk}": "", f"months_{bls.pk}": "6", f"delegated_{bls.pk}": "on",
    }, follow=True)
    assert response.redirect_chain[-1][0] == reverse("frameworks:detail", args=[framework.pk])
    assert "Validity and delegated tasks saved" in response.content.decode()
    bls.refresh_from_db()
    assert (bls.reassessment_months, bls.is_delegated_task) == (6, True)
    assert Framework.objects.get(pk=framework.pk).validity_months is None


def test_a_bad_period_is_shown_by_its_field_and_nothing_is_saved(client_as, world, acme):
    framework, fire, bls = acme
    response = client_as(Role.TRAINING_LEAD).post(reverse("frameworks:validity", args=[framework.pk]), {
        "validity_months": "36", f"months_{fire.pk}": "500", f"months_{bls.pk}": "",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in html
    assert f'id="id_months_{fire.pk}-error"' in html
    assert "Enter the period for F1 as a whole number of months from 1 to 120, or leave it blank" in html
    assert Competency.objects.get(pk=fire.pk).reassessment_months is None


def test_a_national_framework_is_refused_to_a_lead(client_as, world):
    national = make_framework(short_name="National")
    assert client_as(Role.TRAINING_LEAD).get(reverse("frameworks:validity", args=[national.pk])).status_code == 403


def test_the_form_costs_the_same_queries_at_5_and_50_competencies(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    client.get(reverse("frameworks:list"))  # the session's first request loads what it keeps
    counts = []
    for size in (5, 50):
        framework = make_framework(organisation=world.organisation)
        for _ in range(size):
            make_competency(framework)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("frameworks:validity", args=[framework.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_shorter_default_for_delegated_tasks_expires_the_sign_offs_that_run_for_it(world):
    framework = make_framework(short_name="National tasks")  # national, no period
    on_default = make_competency(framework, "Insulin", id_number="N1", is_delegated_task=True)
    own_period = make_competency(framework, "Catheter care", id_number="N2", is_delegated_task=True,
                                 reassessment_months=12)
    make_profile(world.programme, [(on_default, 1), (own_period, 1)])
    for competency in (on_default, own_period):
        _signed_on(world, competency, timezone.localdate() - timedelta(days=200))
    assert _status(world, on_default) == "current"
    assessment.assessment_policy_update(
        organisation=world.organisation, actor=world.person(Role.TRAINING_LEAD), assessor_statement="",
        trainee_declaration="", delegated_task_validity_months=6,
    )
    assert (_status(world, on_default), _status(world, own_period)) == ("expired", "current")


def test_making_a_task_delegated_credits_the_sign_offs_it_already_has(world, acme, heard,
                                                                      django_capture_on_commit_callbacks):
    from credentials.models import Credential

    framework, fire, bls = acme
    sign_off(submit(world.trainee, [fire]), {fire.pk: 1})  # at its target, before it is a delegated task
    assert not Credential.objects.filter(trainee=world.trainee).exists()
    with django_capture_on_commit_callbacks(execute=True):
        framework_validity_update(
            framework=framework, membership=_membership(world), validity_months=36,
            competencies={fire.pk: CompetencyValidity(months=None, is_delegated_task=True),
                          bls.pk: CompetencyValidity(months=None, is_delegated_task=True)},
        )
    assert ([(world.trainee.pk, fire.pk)], "delegated") in heard
    [credential] = Credential.objects.filter(trainee=world.trainee)
    assert (credential.competency_id, credential.level_awarded) == (fire.pk, 1)  # none for bls: not signed off
    with django_capture_on_commit_callbacks(execute=True):  # saving again credits nothing twice
        framework_validity_update(
            framework=framework, membership=_membership(world), validity_months=36,
            competencies={fire.pk: CompetencyValidity(months=None, is_delegated_task=True)},
        )
    assert Credential.objects.filter(trainee=world.trainee).count() == 1
