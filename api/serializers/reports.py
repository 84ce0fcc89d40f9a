"""Report jobs: what was asked, its progress, and where to download it."""

from __future__ import annotations

from rest_framework import serializers

from programmes.models import Programme
from programmes.selectors import programmes_visible_to
from reports.models import ReportJob

from .fields import ScopedPrimaryKeyField


class ReportJobSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        choices=ReportJob.Kind.choices,
        default=ReportJob.Kind.CASE_STUDY,
        help_text="What to produce. The API asks for case studies (PDF); jobs asked for on the "
        "pages may be of the other kinds.",
    )
    programme = ScopedPrimaryKeyField(
        scope=lambda m: programmes_visible_to(membership=m), model=Programme
    )
    format = serializers.ChoiceField(
        source="file_format",
        choices=[("pdf", "PDF"), ("docx", "Word (.docx)")],
        default="pdf",
        allow_blank=True,
        help_text="A case study's format: pdf (tagged, for publishing) or docx (an editable Word "
        "file with the same sections). Blank for jobs of other kinds.",
    )
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "format",
            "programme",
            "status",
            "progress",
            "stage",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "file_name",
            "page_count",
            "failure_reason",
            "download_url",
        ]
        read_only_fields = [
            "status",
            "progress",
            "stage",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "file_name",
            "page_count",
            "failure_reason",
        ]

    def validate_kind(self, kind: str) -> str:
        if kind != ReportJob.Kind.CASE_STUDY:
            raise serializers.ValidationError("The API asks for case studies only, for now.")
        return kind

    def validate_format(self, file_format: str) -> str:
        if not file_format:
            raise serializers.ValidationError("Choose pdf or docx.")
        return file_format

    def get_download_url(self, job: ReportJob) -> str | None:
        if job.status != ReportJob.Status.DONE:
            return None
        return f"/api/v1/report-jobs/{job.pk}/download/"
