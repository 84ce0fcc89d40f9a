"""Attainment (the current version of each trainee's competence, with its history) and
self-assessments."""

from __future__ import annotations

from rest_framework import serializers

from competencies.access import competencies_visible_to
from competencies.models import AttainmentDecision, Competency, Evidence, SelfAssessment
from competencies.validity import Status

from .fields import ScopedPrimaryKeyField


class VersionSerializer(serializers.ModelSerializer):
    decided_on = serializers.SerializerMethodField()
    assessor_organisation_name = serializers.CharField(
        source="assessor_organisation.name", default="", read_only=True,
        help_text="The organisation the person deciding acted for (a partner's, on a joint programme).",
    )

    class Meta:
        model = AttainmentDecision
        fields = [
            "id",
            "kind",
            "level",
            "target_level",
            "decided_at",
            "decided_on",
            "decided_by",
            "assessor_organisation",
            "assessor_organisation_name",
            "valid_until",
            "statement",
            "declaration",
            "comment",
            "evidence",
            "self_assessment",
        ]
        read_only_fields = fields

    def get_decided_on(self, decision) -> str:
        from django.utils import timezone

        return timezone.localtime(decision.decided_at).date().isoformat()


class AttainmentSerializer(serializers.ModelSerializer):
    """One trainee's current attainment in one competency (``id`` is its current version's)."""

    status = serializers.SerializerMethodField(help_text=f"One of {', '.join(Status.ALL)}.")
    attained = serializers.SerializerMethodField(help_text="Counts as attained: not expired or withdrawn.")
    history = serializers.SerializerMethodField(help_text="Every version, newest first.")

    class Meta:
        model = AttainmentDecision
        fields = [
            "id",
            "trainee",
            "competency",
            "level",
            "status",
            "attained",
            "valid_until",
            "kind",
            "decided_at",
            "history",
        ]
        read_only_fields = fields

    def get_status(self, decision) -> str:
        return decision.status

    def get_attained(self, decision) -> bool:
        return decision.status in Status.COUNTS

    def get_history(self, decision) -> list[dict]:
        versions = [
            v for v in getattr(decision.trainee, "all_versions", []) if v.competency_id == decision.competency_id
        ]
        return VersionSerializer(versions, many=True).data


class SelfAssessmentSerializer(serializers.ModelSerializer):
    competency = ScopedPrimaryKeyField(
        scope=lambda m: competencies_visible_to(membership=m),
        model=Competency,
    )
    evidence = ScopedPrimaryKeyField(
        scope=lambda m: Evidence.objects.filter(trainee__user_id=m.user_id, trainee__organisation_id=m.organisation_id),
        model=Evidence,
        many=True,
        required=False,
        help_text="Your own evidence to show your assessor.",
    )
    level = serializers.IntegerField(min_value=0, max_value=100, help_text="An index into the competency's scale.")

    class Meta:
        model = SelfAssessment
        fields = [
            "id",
            "trainee",
            "competency",
            "level",
            "confidence",
            "evidence",
            "status",
            "declaration",
            "submitted_at",
            "decided_by",
            "decided_at",
            "confirmed_level",
            "assessor_comment",
        ]
        read_only_fields = [
            "trainee",
            "status",
            "declaration",
            "submitted_at",
            "decided_by",
            "decided_at",
            "confirmed_level",
            "assessor_comment",
        ]


STATEMENT_HELP = (
    "True: the assessor confirms the organisation's sign-off statement, which is kept with the "
    "decision as it reads at that moment. Needed when the organisation has set a statement, unless "
    "the level is below the target (progress needs none)."
)


class ConfirmSerializer(serializers.Serializer):
    level = serializers.IntegerField(
        min_value=0, max_value=100, help_text="The level confirmed (an index into the scale)."
    )
    agree = serializers.BooleanField(required=False, default=False, help_text=STATEMENT_HELP)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed when confirming a lower level than the trainee's own rating.",
    )

    def validate(self, data):
        if "statement" in self.initial_data:
            raise serializers.ValidationError(
                {"statement": ["The statement is the organisation's own: confirm it with agree."]}
            )
        return data
