"""Organisations, programmes, milestones and cohorts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from programmes.models import (
    ClinicalArea,
    Cohort,
    Membership,
    Milestone,
    Organisation,
    Programme,
    Role,
)
from programmes.selectors import programmes_visible_to

from .fields import ScopedPrimaryKeyField


class OrganisationSerializer(serializers.ModelSerializer):
    # What a client shows before it asks an assessor for `agree` (or a trainee rating themself):
    # the organisation's words as they read now; empty when it has set none.
    assessor_statement = serializers.SerializerMethodField(
        help_text="The statement an assessor confirms when signing off this organisation's trainees at or "
        "above target (send agree: true); empty when the organisation has set none.")
    trainee_declaration = serializers.SerializerMethodField(
        help_text="What this organisation's trainees declare when rating themselves; empty when it has set none.")

    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "kind", "description", "assessor_statement", "trainee_declaration"]
        read_only_fields = fields

    @staticmethod
    def _policy(organisation: Organisation):
        try:
            return organisation.assessment_policy  # select_related by the view
        except ObjectDoesNotExist:
            return None

    def get_assessor_statement(self, organisation: Organisation) -> str:
        policy = self._policy(organisation)
        return policy.assessor_statement if policy else ""

    def get_trainee_declaration(self, organisation: Organisation) -> str:
        policy = self._policy(organisation)
        return policy.trainee_declaration if policy else ""


def _own_clinical_areas(membership: Membership):
    return ClinicalArea.objects.filter(organisation_id=membership.organisation_id)


class ProgrammeSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)
    # Only organisations that accepted a partnership (by consent, on the partnership pages):
    # one that was merely asked is never named here.
    partners = serializers.SerializerMethodField()
    clinical_areas = ScopedPrimaryKeyField(
        scope=_own_clinical_areas, model=ClinicalArea, many=True, required=False
    )
    intended_benefits = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False
    )
    drivers_and_standards = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False
    )
    cohort_count = serializers.IntegerField(read_only=True)
    trainee_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "organisation",
            "title",
            "description",
            "setting",
            "partners",
            "clinical_areas",
            "intended_benefits",
            "education_route",
            "education_detail",
            "apprenticeship_standard",
            "funding_source",
            "drivers_and_standards",
            "status",
            "cohort_count",
            "trainee_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_partners(self, programme: Programme) -> list[int]:
        return [p.organisation_id for p in programme.accepted_partnerships]


class MilestoneSerializer(serializers.ModelSerializer):
    programme = ScopedPrimaryKeyField(
        scope=lambda m: programmes_visible_to(membership=m), model=Programme
    )

    class Meta:
        model = Milestone
        fields = ["id", "programme", "title", "description", "due_on", "done_on"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:  # a milestone stays on its programme
            fields["programme"].read_only = True
        return fields


def _lecturers(membership: Membership):
    people = Membership.objects.active().filter(role=Role.LECTURER)
    return get_user_model().objects.filter(pk__in=people.values("user_id"))


class CohortSerializer(serializers.ModelSerializer):
    programme = ScopedPrimaryKeyField(
        scope=lambda m: programmes_visible_to(membership=m), model=Programme
    )
    lecturers = ScopedPrimaryKeyField(
        scope=_lecturers, model=get_user_model(), many=True, required=False
    )
    trainee_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cohort
        fields = [
            "id",
            "programme",
            "name",
            "intake_number",
            "starts_on",
            "ends_on",
            "study_hours_per_week",
            "lecturers",
            "trainee_count",
        ]
        extra_kwargs = {"intake_number": {"required": False}}
        # Cohort's unique (programme, intake_number) is checked by the service (full_clean).
        validators: list = []

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["programme"].read_only = True
        return fields
