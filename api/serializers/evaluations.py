"""Evaluation stages, interviews with their answers, audits and satisfaction results."""

from __future__ import annotations

from rest_framework import serializers

from evaluations.interviews.selectors import instruments_visible_to
from evaluations.models import (
    Answer,
    AuditCriterion,
    AuditResult,
    AuditRound,
    AuditTool,
    Instrument,
    Interview,
    Question,
    SatisfactionResult,
    Stage,
)
from programmes.models import ClinicalArea, Cohort, Programme
from programmes.selectors import cohorts_visible_to, programmes_visible_to

from .fields import ScopedPrimaryKeyField, person_field


def _own_cohorts(membership):
    # Partners do not see a cohort's evaluation: only the lead organisation's cohorts.
    return cohorts_visible_to(membership=membership).filter(
        programme__organisation_id=membership.organisation_id
    )


def _own_programmes(membership):
    return programmes_visible_to(membership=membership).filter(
        organisation_id=membership.organisation_id
    )


def _instruments(membership):
    return instruments_visible_to(membership=membership)


class StageSerializer(serializers.ModelSerializer):
    cohort = ScopedPrimaryKeyField(scope=_own_cohorts, model=Cohort)
    trainee_instrument = ScopedPrimaryKeyField(
        scope=_instruments, model=Instrument, required=False, allow_null=True
    )
    manager_instrument = ScopedPrimaryKeyField(
        scope=_instruments, model=Instrument, required=False, allow_null=True
    )

    class Meta:
        model = Stage
        fields = [
            "id",
            "cohort",
            "name",
            "order",
            "opens_on",
            "due_on",
            "status",
            "trainee_instrument",
            "manager_instrument",
            "opened_at",
            "opened_by",
        ]
        read_only_fields = ["order", "status", "opened_at", "opened_by"]
        validators: list = []


class DefaultStagesSerializer(serializers.Serializer):
    cohort = ScopedPrimaryKeyField(scope=_own_cohorts, model=Cohort)


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.key", read_only=True)
    question_text = serializers.CharField(source="question.text", read_only=True)

    class Meta:
        model = Answer
        fields = ["question", "question_text", "value", "number"]
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = [
            "key",
            "order",
            "text",
            "help_text",
            "kind",
            "scale_low_label",
            "scale_high_label",
            "choices",
            "required",
        ]
        read_only_fields = fields


class InterviewSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(source="instrument.questions", many=True, read_only=True)
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Interview
        fields = [
            "id",
            "stage",
            "subject",
            "enrolment",
            "manager",
            "responsible",
            "instrument",
            "status",
            "interviewer",
            "held_on",
            "consent_to_quote",
            "completed_at",
            "cancelled_reason",
            "version",
            "questions",
            "answers",
        ]
        read_only_fields = fields


class InterviewRecordSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=10000),
        required=False,
        default=dict,
        help_text="Question key -> answer: text; 1-5 for a scale; 'yes'/'no'; a number; one of "
        "the choices. Keys left out keep their answer. Errors come back keyed 'q_<key>'.",
    )
    interviewer = person_field(required=False, allow_null=True, default=None)
    held_on = serializers.DateField(required=False, allow_null=True, default=None)
    consent_to_quote = serializers.BooleanField(required=False, default=False)
    complete = serializers.BooleanField(
        required=False, default=False, help_text="Save as done (else a draft)."
    )
    expected_version = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=2**31 - 1
    )


class AuditCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditCriterion
        fields = ["id", "order", "text"]
        read_only_fields = fields


class AuditToolSerializer(serializers.ModelSerializer):
    criteria = AuditCriterionSerializer(many=True, read_only=True)

    class Meta:
        model = AuditTool
        fields = ["id", "name", "description", "criteria"]
        read_only_fields = fields


class AuditResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditResult
        fields = ["criterion", "records_met"]
        read_only_fields = fields


class AuditRoundSerializer(serializers.ModelSerializer):
    programme = ScopedPrimaryKeyField(scope=_own_programmes, model=Programme)
    tool = ScopedPrimaryKeyField(
        scope=lambda m: AuditTool.objects.filter(organisation_id=m.organisation_id), model=AuditTool
    )
    clinical_area = ScopedPrimaryKeyField(
        scope=lambda m: ClinicalArea.objects.filter(organisation_id=m.organisation_id),
        model=ClinicalArea,
    )
    records_sampled = serializers.IntegerField(min_value=0, max_value=100000)
    results = AuditResultSerializer(many=True, read_only=True)
    records_met = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100000),
        write_only=True,
        help_text="For every criterion of the tool (its id, as a string key), how many records "
        "met it.",
    )

    class Meta:
        model = AuditRound
        fields = [
            "id",
            "programme",
            "tool",
            "clinical_area",
            "stage_name",
            "held_on",
            "records_sampled",
            "auditor",
            "results",
            "records_met",
        ]
        read_only_fields = ["auditor"]
        validators: list = []

    def validate_records_met(self, value):
        try:
            return {int(key): count for key, count in value.items()}
        except ValueError as exc:
            raise serializers.ValidationError("Each key must be a criterion id.") from exc


class SatisfactionResultSerializer(serializers.ModelSerializer):
    programme = ScopedPrimaryKeyField(scope=_own_programmes, model=Programme)
    clinical_area = ScopedPrimaryKeyField(
        scope=lambda m: ClinicalArea.objects.filter(organisation_id=m.organisation_id),
        model=ClinicalArea,
    )
    responses = serializers.IntegerField(min_value=0, max_value=1000000)
    score = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100)
    questions = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, default=list
    )

    class Meta:
        model = SatisfactionResult
        fields = [
            "id",
            "programme",
            "clinical_area",
            "period_start",
            "period_end",
            "responses",
            "score",
            "questions",
            "source",
            "entered_by",
        ]
        read_only_fields = ["entered_by"]
        validators: list = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["questions"] = [line for line in (instance.questions or "").splitlines() if line]
        return data
