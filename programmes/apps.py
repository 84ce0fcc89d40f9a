from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes and people"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        for model in (models.Programme, models.Milestone, models.Cohort, models.Membership):
            auditlog.register(model)
        auditlog.register(models.Programme.partners.through)
