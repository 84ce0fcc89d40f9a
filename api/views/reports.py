"""Report jobs: ask for a case study, watch its progress, download the PDF (or Word file)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, renderers
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation

from programmes.selectors import get_programme_for
from reports import selectors, services
from reports.models import ReportJob

from ..serializers.reports import ReportJobSerializer
from .base import LadderViewSet

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class FirstRenderer(BaseContentNegotiation):
    """The download answers a file, or an error in JSON, whatever the client's Accept header
    says (``Accept: application/pdf`` must not be refused as unacceptable)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReportJobViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, LadderViewSet
):
    """Leads and planners see their organisation's report jobs; anyone else only their own."""

    serializer_class = ReportJobSerializer
    write_roles = {"create": selectors.REPORT_ROLES}

    def get_queryset(self):
        return selectors.report_jobs_visible_to(membership=self.membership).order_by(
            "-requested_at", "-pk"
        )

    def get_object(self):
        return selectors.get_job_for(membership=self.membership, pk=self.lookup_pk())

    def perform_create(self, serializer):
        programme = serializer.validated_data["programme"]
        selectors.check_can_request(self.membership, programme)
        file_format = serializer.validated_data.get("file_format") or "pdf"
        serializer.instance = services.report_job_request(
            membership=self.membership,
            kind=serializer.validated_data["kind"],
            programme=programme,
            options={"format": file_format} if file_format != "pdf" else None,
        )
        serializer.instance.refresh_from_db()  # rendered in-process (eager Celery) by now, maybe

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            (200, DOCX): OpenApiResponse(OpenApiTypes.BINARY, description="The Word file."),
        }
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer],
        content_negotiation_class=FirstRenderer,
    )
    def download(self, request, pk=None):
        """The finished report's file (404 until it is done)."""
        job = self.get_object()
        if job.programme_id:  # the programme must still be visible to the person asking
            get_programme_for(membership=self.membership, pk=job.programme_id)
        if job.status != ReportJob.Status.DONE or not job.file:
            raise Http404("This report is not ready.")
        response = FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=job.file_name,
            content_type=DOCX if job.file_name.endswith(".docx") else "application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
