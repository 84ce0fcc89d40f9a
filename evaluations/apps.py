from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        for model in (models.Interview, models.Answer, models.Coding, models.Stage,
                      models.AuditRound, models.AuditResult, models.SatisfactionResult):
            auditlog.register(model)
