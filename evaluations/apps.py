from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"

    def ready(self) -> None:
        from core.audit import audit_register

        from . import models
        from .interviews import receivers, tasks  # noqa: F401 (signal handlers; the reminder task)

        for model in (models.Interview, models.Answer, models.Coding, models.Stage,
                      models.AuditRound, models.AuditResult, models.SatisfactionResult,
                      models.Theme):
            audit_register(model)
