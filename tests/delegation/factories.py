"""A joint programme across two organisations, built through the services people use.

``add_partner(world)`` adds to the standard world: Eastvale Community Health NHS Trust (a
community district nursing team) with an ACCEPTED partnership on Acme's programme, its
training lead (``world.partner``, the access walk's partner persona) and a district nurse
registered with the NMC (``world.nurse``); a delegated healthcare task (insulin
administration) in the programme's role profile, named on the partnership; Acme's trainee's
evidence for it, one piece signed off by the nurse and one waiting; and a delegation of the
task by the nurse to Acme's trainee, waiting for acknowledgement. Acme's mentor is a
registered nurse too (a ward nurse), who may delegate within Acme.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from competencies.models import RoleProfileItem
from delegation import services
from delegation.models import PractitionerRegistration
from programmes import services as programme_services
from programmes.models import Membership, Organisation, Role

from ..conftest import make_person, partner_with
from ..evidence.factories import make_competency, make_framework, make_profile, submit


def membership(user, organisation, role) -> Membership:
    return Membership.objects.select_related("user", "organisation").get(
        user=user, organisation=organisation, role=role
    )


def register(user, organisation, role=Role.MENTOR, profession="District nurse") -> Membership:
    member = membership(user, organisation, role)
    services.practitioner_register(
        membership=member, profession=profession, register=PractitionerRegistration.Register.NMC,
        registration_number=f"12A{user.pk:04d}E", expires_on=timezone.localdate() + timedelta(days=365),
        actor=None,
    )
    return member


def add_partner(world, *, with_delegation: bool = True):
    if getattr(world, "partner", None) is not None:
        return world
    eastvale = programme_services.organisation_ensure(
        slug="eastvale", name="Eastvale Community Health NHS Trust",
        kind=Organisation.Kind.NHS_TRUST,
    )
    world.partner_organisation = eastvale
    world.partner = make_person(eastvale, Role.TRAINING_LEAD, "lead.eastvale")
    world.nurse = make_person(eastvale, Role.MENTOR, "nurse.eastvale")
    world.nurse_membership = register(world.nurse, eastvale)
    world.ward_nurse_membership = register(
        world.person(Role.MENTOR), world.organisation, profession="Registered nurse"
    )
    world.partnership = partner_with(
        world.programme, eastvale, proposer=world.person(Role.TRAINING_LEAD), accepter=world.partner,
        purpose="District nurses assess and delegate insulin administration.",
    )
    framework = make_framework(short_name="Delegated healthcare tasks")
    world.insulin = make_competency(
        framework, "Insulin administration", id_number="DHT1", is_delegated_task=True,
        reassessment_months=12,
    )
    world.blood_glucose = make_competency(
        framework, "Capillary blood glucose monitoring", id_number="DHT2", is_delegated_task=True,
    )
    make_profile(world.programme, [
        (world.insulin, 1, RoleProfileItem.Kind.ROLE_SPECIFIC),
        (world.blood_glucose, 1, RoleProfileItem.Kind.ROLE_SPECIFIC),
    ])
    services.partnership_competencies_set(
        partnership=world.partnership, competencies=[world.insulin],
        actor=world.person(Role.TRAINING_LEAD),
    )
    today = timezone.localdate()
    signed = submit(world.trainee, [world.insulin], title="Insulin, observed", occurred_on=today - timedelta(days=3))
    world.signed_evidence = services.partner_evidence_sign_off(
        evidence=signed, membership=world.nurse_membership, levels={world.insulin.pk: 1},
    )
    world.partner_evidence = submit(
        world.trainee, [world.insulin], title="Insulin, second observation", occurred_on=today - timedelta(days=1)
    )
    if with_delegation:
        world.delegation = services.delegation_create(
            membership=world.nurse_membership, trainee=world.trainee, competency=world.insulin,
            setting="Elm House nursing home: residents with diabetes", starts_on=today,
            supervision="remote", supervision_detail="Phone the district nursing hub; weekly visit.",
            review_on=today + timedelta(days=90),
        )
    return world


__all__ = ["add_partner", "membership", "register", "date"]
