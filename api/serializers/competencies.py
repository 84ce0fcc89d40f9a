"""Frameworks and competencies (read; import of a Moodle CSV), role profiles, evidence."""

from __future__ import annotations

from rest_framework import serializers

from competencies.access import competencies_visible_to
from competencies.frameworks.forms import DELIMITER_CHARACTERS, ENCODINGS, MAX_UPLOAD_BYTES
from competencies.models import Competency, Evidence, EvidenceClaim, Framework, RoleProfileItem
from programmes.models import Programme
from programmes.selectors import programmes_visible_to

from .attainment import STATEMENT_HELP
from .fields import ScopedPrimaryKeyField


class FrameworkSerializer(serializers.ModelSerializer):
    competency_count = serializers.IntegerField(read_only=True)
    is_national = serializers.SerializerMethodField()

    class Meta:
        model = Framework
        fields = [
            "id",
            "organisation",
            "is_national",
            "id_number",
            "short_name",
            "family",
            "version",
            "description",
            "source",
            "licence_note",
            "taxonomies",
            "competency_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_national(self, framework: Framework) -> bool:
        return framework.organisation_id is None


class FrameworkImportedSerializer(FrameworkSerializer):
    """An imported framework, with where Ladder had to interpret the file (each naming its line,
    e.g. a scale configuration entry beyond the scale, ignored as Moodle ignores it)."""

    warnings = serializers.SerializerMethodField()

    class Meta(FrameworkSerializer.Meta):
        fields = [*FrameworkSerializer.Meta.fields, "warnings"]
        read_only_fields = fields

    def get_warnings(self, framework: Framework) -> list[str]:
        return [str(warning) for warning in self.context.get("warnings", ())]


class FrameworkImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A Moodle competency-framework CSV file, 5 MB at most.")
    encoding = serializers.ChoiceField(choices=[value for value, _ in ENCODINGS], default="utf-8")
    delimiter = serializers.ChoiceField(choices=list(DELIMITER_CHARACTERS), default="comma")

    def validate_file(self, upload):
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError("The largest framework file Ladder imports is 5 MB.")
        return upload


class CompetencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Competency
        fields = [
            "id",
            "framework",
            "parent",
            "id_number",
            "short_name",
            "name",
            "description",
            "depth",
            "sort_order",
            "is_delegated_task",
            "reassessment_months",
        ]
        read_only_fields = fields


class RoleProfileItemSerializer(serializers.ModelSerializer):
    programme = ScopedPrimaryKeyField(
        scope=lambda m: programmes_visible_to(membership=m),
        model=Programme,
        source="profile.programme",
    )
    competency = ScopedPrimaryKeyField(
        scope=lambda m: competencies_visible_to(membership=m), model=Competency
    )
    target_level = serializers.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        help_text="An index into the competency's scale; left out: its first proficient level.",
    )

    class Meta:
        model = RoleProfileItem
        fields = ["id", "programme", "competency", "kind", "target_level", "sort_order"]
        read_only_fields = ["sort_order"]
        validators: list = []


class EvidenceClaimSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceClaim
        fields = ["competency", "level_awarded"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    trainee = serializers.PrimaryKeyRelatedField(read_only=True)
    claims = EvidenceClaimSerializer(many=True, read_only=True)
    competencies = ScopedPrimaryKeyField(
        scope=lambda m: competencies_visible_to(membership=m),
        model=Competency,
        many=True,
        write_only=True,
        help_text="The competencies this evidence is for (at least one).",
    )
    assessor_organisation_name = serializers.CharField(
        source="assessor_organisation.name", default="", read_only=True,
        help_text="The organisation the assessor acted for (a partner's, on a joint programme).",
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "trainee",
            "title",
            "kind",
            "occurred_on",
            "description",
            "competencies",
            "claims",
            "status",
            "submitted_by",
            "assessed_by",
            "assessor_organisation",
            "assessor_organisation_name",
            "assessed_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "submitted_by",
            "assessed_by",
            "assessor_organisation",
            "assessed_at",
            "version",
            "created_at",
            "updated_at",
        ]


class SignOffSerializer(serializers.Serializer):
    levels = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=100),
        help_text="For each claimed competency (its id, as a string key), the index of the level "
        "reached.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    expected_version = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=2**31 - 1
    )
    agree = serializers.BooleanField(required=False, default=False, help_text=STATEMENT_HELP)

    def validate_levels(self, levels):
        try:
            return {int(key): value for key, value in levels.items()}
        except ValueError as exc:
            raise serializers.ValidationError("Each key must be a competency id.") from exc


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, help_text="What the trainee should change.")
    expected_version = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=2**31 - 1
    )
