"""A programme's case-study narrative: GET and PATCH /api/v1/programmes/{id}/case-study/.

Who may: the same people as on the pages. Reading is for the training leads and workforce
planners of the programme's lead organisation (who may preview and produce the case study);
writing is for those who may change the programme (its training leads), as in the editor.
Lost updates are refused as in the editor: a PATCH sends back the version it read, and gets
409 with the reason and the current version if someone has saved since."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.errors import StaleEdit
from programmes.selectors import get_programme_for
from reports import services
from reports.models import CaseStudyNarrative
from reports.selectors import check_can_request

from ..serializers.case_study import NARRATIVE_FIELDS, CaseStudyNarrativeSerializer

STALE = OpenApiResponse(
    response={
        "type": "object",
        "properties": {"detail": {"type": "string"}, "version": {"type": "integer"}},
        "required": ["detail", "version"],
    },
    description="Someone saved the case study after the version you sent: `detail` says so "
    "and `version` is the current one. GET it again, merge, and send that version.",
)


def _narrative_of(programme) -> CaseStudyNarrative:
    return (
        CaseStudyNarrative.objects.select_related("updated_by").filter(programme=programme).first()
        or CaseStudyNarrative(programme=programme)
    )


class CaseStudyActions:
    """Mixed into the programme view set (the URL hangs off the programme)."""

    @extend_schema(methods=["GET"], responses=CaseStudyNarrativeSerializer)
    @extend_schema(
        methods=["PATCH"],
        request=CaseStudyNarrativeSerializer,
        responses={200: CaseStudyNarrativeSerializer, 409: STALE},
    )
    @action(detail=True, methods=["get", "patch"], url_path="case-study", url_name="case-study")
    def case_study(self, request, pk=None):
        """The case study's narrative. PATCH any of its fields with the version you read;
        fields left out keep their words. The figures come from the programme's records."""
        writing = request.method == "PATCH"
        programme = get_programme_for(membership=self.membership, pk=self.lookup_pk(), write=writing)
        check_can_request(self.membership, programme)
        narrative = _narrative_of(programme)
        if not writing:
            return Response(CaseStudyNarrativeSerializer(narrative).data)
        serializer = CaseStudyNarrativeSerializer(narrative, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.narrative_update(
                programme=programme,
                actor=request.user,
                expected_version=data["version"],
                **{name: data[name] for name in NARRATIVE_FIELDS if name in data},
            )
        except StaleEdit as error:
            return Response(
                {"detail": error.messages[0], "version": _narrative_of(programme).version},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(CaseStudyNarrativeSerializer(_narrative_of(programme)).data)
