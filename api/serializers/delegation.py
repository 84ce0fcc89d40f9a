"""Partnerships and delegation records, read-only: what each states, with its status now."""

from __future__ import annotations

from rest_framework import serializers

from delegation.models import Delegation
from programmes.models import Partnership


class _Organisation(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class PartnershipSerializer(serializers.ModelSerializer):
    programme_title = serializers.CharField(source="programme.title", read_only=True)
    lead_organisation = _Organisation(source="programme.organisation", read_only=True)
    partner_organisation = _Organisation(source="organisation", read_only=True)
    assessable_competencies = serializers.SerializerMethodField(
        help_text="Ids of the competencies the partner's registered practitioners may assess "
        "on the lead organisation's trainees."
    )

    class Meta:
        model = Partnership
        fields = [
            "id", "programme", "programme_title", "lead_organisation", "partner_organisation",
            "status", "purpose", "shares_cohorts", "assessable_competencies", "proposed_at",
            "answered_at", "ended_at",
        ]
        read_only_fields = fields

    def get_assessable_competencies(self, partnership: Partnership) -> list[int]:
        return sorted(row.competency_id for row in partnership.assessable_competencies.all())


class _Worker(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The trainee record's id.")
    name = serializers.CharField(source="full_name", read_only=True)
    organisation = _Organisation(read_only=True)


class _Practitioner(serializers.Serializer):
    name = serializers.SerializerMethodField()
    organisation = _Organisation(source="delegator_organisation", read_only=True)

    def get_name(self, delegation: Delegation) -> str:
        user = delegation.delegated_by
        return (user.get_full_name() or user.get_username()) if user else ""


class _Task(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text="The competency's id.")
    code = serializers.CharField(source="id_number", read_only=True)
    name = serializers.CharField(source="short_name", read_only=True)


class DelegationSerializer(serializers.ModelSerializer):
    task = _Task(source="competency", read_only=True)
    worker = _Worker(source="trainee", read_only=True)
    practitioner = _Practitioner(source="*", read_only=True)

    class Meta:
        model = Delegation
        fields = [
            "id", "status", "status_reason", "task", "worker", "practitioner", "partnership",
            "setting", "starts_on", "supervision", "supervision_detail", "review_on",
            "acknowledged_at", "suspended_at", "ended_at",
        ]
        read_only_fields = fields
