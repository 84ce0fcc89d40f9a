"""A programme's case-study narrative: the words the records cannot supply."""

from __future__ import annotations

from django.db import models
from rest_framework import serializers

from reports.documents.case_study import NARRATIVE_FIELDS
from reports.models import CaseStudyNarrative

MAX_TEXT = 20_000


class CaseStudyNarrativeSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="programme_id", read_only=True)
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version you read. A PATCH must send it back: it is refused (409) if "
        "someone has saved the case study since, so nobody's words are overwritten unseen. "
        "Each save adds one.",
    )
    updated_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When it was last saved (null: never)."
    )
    updated_by = serializers.SerializerMethodField()

    class Meta:
        model = CaseStudyNarrative
        fields = ["programme", *NARRATIVE_FIELDS, "version", "updated_at", "updated_by"]
        extra_kwargs = {
            name: {"max_length": MAX_TEXT}
            for name in NARRATIVE_FIELDS
            if isinstance(CaseStudyNarrative._meta.get_field(name), models.TextField)
        }

    def get_updated_by(self, narrative: CaseStudyNarrative) -> str | None:
        """Who saved it last (their name), or null if nobody has yet."""
        user = narrative.updated_by
        if user is None:
            return None
        return user.get_full_name() or user.username

    def validate(self, attrs: dict) -> dict:
        if "version" not in attrs:
            raise serializers.ValidationError(
                {"version": ["Send the version you read (GET it first), so a change made since "
                             "by someone else is not overwritten."]}
            )
        return attrs
