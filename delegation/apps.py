from django.apps import AppConfig


class DelegationConfig(AppConfig):
    """Partnerships' cross-organisation assessors, delegation records and supervision contacts. Above competencies."""

    name = "delegation"
    verbose_name = "Delegation"

    def ready(self) -> None:
        from competencies.signals import attainment_changed
        from core.audit import audit_register

        from . import models, receivers

        for model in (
            models.PartnershipCompetency, models.PractitionerRegistration, models.Delegation,
            models.SupervisionContact,
        ):
            audit_register(model)
        attainment_changed.connect(
            receivers.suspend_lapsed_delegations, dispatch_uid="delegation.suspend_lapsed"
        )
