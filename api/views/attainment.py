"""Attainment (read) and self-assessments (a trainee submits; their assessor confirms)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from competencies.assessment import selectors as assessment_selectors
from competencies.assessment import services as assessment_services
from competencies.assessors import can_assess_trainee
from competencies.evidence.selectors import own_trainee_record
from competencies.models import AttainmentDecision, SelfAssessment
from competencies.validity import Status, expiring_window, status_of
from core.access import get_scoped_or_404
from programmes.models import Role
from trainees.selectors import trainees_visible_to

from ..serializers.attainment import AttainmentSerializer, ConfirmSerializer, SelfAssessmentSerializer
from .base import LadderViewSet
from .filtering import int_param

Kind = AttainmentDecision.Kind


def _status_q(value: str, today) -> Q:
    """The SQL for one status of a current version (see competencies.validity.status_of)."""
    withdrawn = Q(kind=Kind.WITHDRAWN)
    expired = Q(valid_until__lt=today) & ~withdrawn
    below = (Q(kind=Kind.PROGRESS) | Q(level__lt=F("target_level"))) & ~withdrawn & ~expired
    expiring = Q(valid_until__gte=today, valid_until__lte=today + expiring_window()) & ~withdrawn & ~below
    return {
        Status.WITHDRAWN: withdrawn,
        Status.EXPIRED: expired,
        Status.BELOW_TARGET: below,
        Status.EXPIRING: expiring,
        Status.CURRENT: ~withdrawn & ~expired & ~below & ~expiring,
    }[value]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("trainee", OpenApiTypes.INT, description="Only this trainee's."),
            OpenApiParameter("competency", OpenApiTypes.INT, description="Only this competency."),
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=list(Status.ALL), description="Only attainment in this status today."
            ),
        ]
    )
)
class AttainmentViewSet(mixins.ListModelMixin, LadderViewSet):
    """The current attainment of each trainee the caller sees in each competency with a
    decision: its level, status (current, expiring, expired, below_target, withdrawn), valid
    until, and history (every version, newest first). Expired and withdrawn count as not
    attained."""

    serializer_class = AttainmentSerializer

    def get_queryset(self):
        newest = (
            AttainmentDecision.objects.filter(
                trainee_id=OuterRef("trainee_id"), competency_id=OuterRef("competency_id")
            )
            .exclude(kind=Kind.SELF_RATED)
            .order_by("-decided_at", "-pk")
            .values("pk")[:1]
        )
        decisions = (
            AttainmentDecision.objects.filter(
                trainee__in=trainees_visible_to(membership=self.membership).values("pk"), pk=Subquery(newest)
            )
            .select_related("trainee")
            .prefetch_related(
                Prefetch(
                    "trainee__attainment_decisions",
                    queryset=AttainmentDecision.objects.select_related("assessor_organisation").order_by(
                        "-decided_at", "-pk"
                    ),
                    to_attr="all_versions",
                )
            )
            .order_by("trainee_id", "competency_id")
        )
        if (trainee := int_param(self.request, "trainee")) is not None:
            decisions = decisions.filter(trainee_id=trainee)
        if (competency := int_param(self.request, "competency")) is not None:
            decisions = decisions.filter(competency_id=competency)
        if value := self.request.query_params.get("status"):
            if value not in Status.ALL:
                raise ValidationError({"status": [f"Choose one of {', '.join(Status.ALL)}."]})
            decisions = decisions.filter(_status_q(value, timezone.localdate()))
        return decisions

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        today, window = timezone.localdate(), expiring_window()
        for decision in page if page is not None else []:
            decision.status = status_of(
                decision.kind, decision.valid_until, today, window, decision.level, decision.target_level
            )
        return page


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=list(SelfAssessment.Status.values),
                description="e.g. pending: waiting for an assessor.",
            ),
            OpenApiParameter("trainee", OpenApiTypes.INT, description="Only this trainee's."),
        ]
    )
)
class SelfAssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, LadderViewSet):
    """A trainee rates themself in a competency; their assessor confirms it (at a level,
    confirming the organisation's sign-off statement with ``agree``) with ``confirm``. An
    assessor lists what waits for them with ``?status=pending``."""

    serializer_class = SelfAssessmentSerializer
    write_roles = {"create": (Role.TRAINEE,), "confirm": (Role.MENTOR,)}

    def get_queryset(self):
        records = (
            assessment_selectors.self_assessments_visible_to(membership=self.membership)
            .prefetch_related("evidence")
            .order_by("submitted_at", "pk")
        )
        if value := self.request.query_params.get("status"):
            if value not in SelfAssessment.Status.values:
                raise ValidationError({"status": [f"Choose one of {', '.join(SelfAssessment.Status.values)}."]})
            records = records.filter(status=value)
        if (trainee := int_param(self.request, "trainee")) is not None:
            records = records.filter(trainee_id=trainee)
        return records

    def get_object(self):
        return get_scoped_or_404(self.get_queryset(), self.membership, None, pk=self.lookup_pk())

    def perform_create(self, serializer):
        trainee = own_trainee_record(self.membership)
        if trainee is None:
            raise PermissionDenied("Only a trainee with a record here rates themself.")
        data = serializer.validated_data
        [record] = assessment_services.self_assessment_submit(
            trainee=trainee,
            actor=self.request.user,
            ratings=[assessment_services.Rating(data["competency"], data["level"], data.get("confidence", ""))],
            evidence=data.get("evidence", []),
        )
        serializer.instance = self.get_queryset().get(pk=record.pk)

    @extend_schema(request=ConfirmSerializer, responses=SelfAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        record = self.get_object()
        if not can_assess_trainee(self.membership, record.trainee):
            raise PermissionDenied("Only the trainee's assessor (their mentor) can confirm a self-assessment.")
        serializer = ConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assessment_services.self_assessment_confirm(
            self_assessment=record,
            assessor=request.user,
            level=data["level"],
            comment=data.get("comment", ""),
            statement_confirmed=data["agree"],
        )
        return Response(self.get_serializer(self.get_object()).data, status=status.HTTP_200_OK)
