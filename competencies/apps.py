from django.apps import AppConfig


class CompetenciesConfig(AppConfig):
    name = "competencies"

    def ready(self) -> None:
        from core.audit import audit_register

        from . import models

        # Evidence is part of a trainee's record: every change is attributable.
        for model in (
            models.Evidence, models.EvidenceClaim, models.EvidenceFile, models.EvidenceComment,
            models.RoleProfile, models.RoleProfileItem, models.Mapping, models.Course,
            models.AttainmentDecision, models.SelfAssessment, models.AssessmentPolicy,
        ):
            audit_register(model)
