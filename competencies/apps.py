from django.apps import AppConfig


class CompetenciesConfig(AppConfig):
    name = "competencies"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from core.audit import audit_register

        from . import models

        # Evidence is part of a trainee's record: every change is attributable.
        for model in (
            models.Evidence, models.EvidenceClaim, models.EvidenceFile, models.EvidenceComment,
            models.RoleProfile, models.RoleProfileItem, models.Mapping, models.Course,
            models.AttainmentDecision, models.SelfAssessment, models.AssessmentPolicy,
        ):
            audit_register(model)
        # Frameworks and competencies are reference data, but how long a sign-off stays valid
        # and whether a competency is a delegated task decide trainees' attainment: who
        # changed those, and when, is recorded (nothing else of them).
        auditlog.register(models.Framework, include_fields=["validity_months"])
        auditlog.register(models.Competency, include_fields=["reassessment_months", "is_delegated_task"])
