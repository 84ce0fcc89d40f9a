from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes and people"

    def ready(self) -> None:
        from core.audit import audit_register

        from . import models

        for model in (
            models.Programme, models.Milestone, models.Cohort, models.Membership, models.Partnership,
        ):
            audit_register(model)
