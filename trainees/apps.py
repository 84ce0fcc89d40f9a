from django.apps import AppConfig


class TraineesConfig(AppConfig):
    name = "trainees"

    def ready(self) -> None:
        from core.audit import audit_register

        from . import models

        # The audit trail: every create, update and delete, with the actor and changed fields.
        for model in (
            models.Trainee, models.Enrolment, models.LearningContract,
            models.ContractSignature, models.StudySession, models.ProgressReview,
        ):
            audit_register(model)
