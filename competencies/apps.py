from django.apps import AppConfig


class CompetenciesConfig(AppConfig):
    name = "competencies"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Evidence is part of a trainee's record: every change is attributable.
        for model in (
            models.Evidence, models.EvidenceClaim, models.EvidenceFile, models.EvidenceComment,
            models.RoleProfile, models.RoleProfileItem, models.Mapping,
        ):
            auditlog.register(model)
