"""Trainees, enrolments (status changes are an action), contract signatures, study time."""

from __future__ import annotations

from rest_framework import serializers

from programmes.models import ClinicalArea, Cohort
from programmes.selectors import cohorts_visible_to
from trainees.models import ContractSignature, Enrolment, LearningContract, StudySession, Trainee
from trainees.selectors import enrolments_visible_to, trainees_visible_to

from .fields import ScopedPrimaryKeyField, person_field


class TraineeSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)
    clinical_area = ScopedPrimaryKeyField(
        scope=lambda m: ClinicalArea.objects.filter(organisation_id=m.organisation_id),
        model=ClinicalArea,
        required=False,
        allow_null=True,
    )
    line_manager = person_field(required=False, allow_null=True)
    mentor = person_field(required=False, allow_null=True)
    user = person_field(
        required=False, allow_null=True, help_text="The trainee's own login, if they have one."
    )
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Trainee
        fields = [
            "id",
            "organisation",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "employee_number",
            "band",
            "job_title",
            "clinical_area",
            "line_manager",
            "mentor",
            "user",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list = []  # constraints are checked by the service (full_clean)


class EnrolmentSerializer(serializers.ModelSerializer):
    """Read: the enrolment with its study-time figures. Create: trainee, cohort and the first
    status; after that the status changes only through the transition action."""

    trainee = ScopedPrimaryKeyField(
        scope=lambda m: trainees_visible_to(membership=m), model=Trainee
    )
    cohort = ScopedPrimaryKeyField(scope=lambda m: cohorts_visible_to(membership=m), model=Cohort)
    status = serializers.ChoiceField(
        choices=Enrolment.Status.choices,
        default=Enrolment.Status.APPLIED,
        help_text="A new enrolment starts as applied or active; later changes go through the "
        "transition action.",
    )
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=2000
    )
    confirm_active_elsewhere = serializers.BooleanField(
        write_only=True, required=False, default=False,
        help_text="Enrolling a trainee who is already active or paused on another cohort is refused "
        "(400, naming this field and the other enrolments) unless this is true, as the enrol page "
        "asks the lead to confirm. Send true only once you know they are meant to be on both.",
    )
    # Set by the transition to completed; blank until then.
    outcome = serializers.ChoiceField(
        choices=Enrolment.Outcome.choices, allow_blank=True, read_only=True
    )
    hours_taken = serializers.DecimalField(max_digits=8, decimal_places=1, read_only=True)
    hours_lost = serializers.DecimalField(max_digits=8, decimal_places=1, read_only=True)
    signature_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "trainee",
            "cohort",
            "status",
            "reason",
            "confirm_active_elsewhere",
            "outcome",
            "outcome_detail",
            "study_hours_per_week",
            "enrolled_on",
            "ended_on",
            "version",
            "hours_taken",
            "hours_lost",
            "signature_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "outcome",
            "outcome_detail",
            "ended_on",
            "version",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"enrolled_on": {
            "required": False,
            "help_text": "The day they joined: between the cohort's start and its expected end (400 "
            "otherwise, as the enrol page and the enrolment import refuse). Left out: the cohort's "
            "start, or today if it has started.",
        }}
        validators: list = []

    def validate_status(self, status: str) -> str:
        if status not in (Enrolment.Status.APPLIED, Enrolment.Status.ACTIVE):
            raise serializers.ValidationError("A new enrolment starts as applied or active.")
        return status


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Enrolment.Status.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    outcome = serializers.ChoiceField(
        choices=Enrolment.Outcome.choices, required=False, allow_blank=True, default=""
    )
    outcome_detail = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )
    on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="When it ended (completing or withdrawing); today if left out.",
    )
    expected_version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=0,
        max_value=2**31 - 1,
        help_text="The version you read: refused (400) if someone changed the enrolment since.",
    )


class ContractSignatureSerializer(serializers.ModelSerializer):
    enrolment = ScopedPrimaryKeyField(
        scope=lambda m: enrolments_visible_to(membership=m), model=Enrolment, write_only=True
    )
    contract = serializers.PrimaryKeyRelatedField(read_only=True)
    enrolment_id = serializers.IntegerField(source="contract.enrolment_id", read_only=True)
    party = serializers.ChoiceField(choices=LearningContract.Party.choices)

    class Meta:
        model = ContractSignature
        fields = ["id", "enrolment", "enrolment_id", "contract", "party", "signed_by", "signed_at"]
        read_only_fields = ["signed_by", "signed_at"]
        validators: list = []


class StudySessionSerializer(serializers.ModelSerializer):
    enrolment = ScopedPrimaryKeyField(
        scope=lambda m: enrolments_visible_to(membership=m), model=Enrolment
    )
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=99)

    class Meta:
        model = StudySession
        fields = [
            "id",
            "enrolment",
            "date",
            "hours",
            "outcome",
            "lost_reason",
            "cover_arranged",
            "note",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["recorded_by", "created_at"]
        validators: list = []
