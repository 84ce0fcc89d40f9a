"""Evaluation stages (opening and closing as actions), interviews with answers (recording as
an action), audit tools and rounds, satisfaction results."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.access import get_scoped_or_404, scoped
from evaluations.findings import selectors as findings_selectors
from evaluations.findings import services as findings_services
from evaluations.interviews import selectors as interview_selectors
from evaluations.interviews import services as interview_services
from evaluations.models import (
    Answer,
    AuditResult,
    AuditRound,
    Interview,
    Question,
    SatisfactionResult,
)
from programmes.models import Role
from programmes.selectors import check_programme_access

from ..permissions import roles_only
from ..serializers.evaluations import (
    AuditRoundSerializer,
    AuditToolSerializer,
    DefaultStagesSerializer,
    InterviewRecordSerializer,
    InterviewSerializer,
    SatisfactionResultSerializer,
    StageSerializer,
)
from .base import LadderViewSet
from .filtering import int_param

LEADS = (Role.TRAINING_LEAD,)
READERS = findings_selectors.FINDINGS_READERS  # training leads and planners
PROGRAMME_PARAM = OpenApiParameter(
    "programme", OpenApiTypes.INT, description="Only this programme's."
)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("cohort", OpenApiTypes.INT, description="Only this cohort's."),
        ]
    )
)
class StageViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, LadderViewSet
):
    """A cohort's evaluation stages (start, mid-way, qualification, or the programme's own), for
    its organisation's training leads and planners. Opening a stage makes its interviews due."""

    serializer_class = StageSerializer
    write_roles = {"create": LEADS, "defaults": LEADS, "open": LEADS, "close": LEADS}

    def get_permissions(self):
        return [*super().get_permissions(), roles_only(*READERS)()]

    def get_queryset(self):
        stages = interview_selectors.stages_visible_to(membership=self.membership).order_by(
            "cohort_id", "order", "pk"
        )
        if (cohort := int_param(self.request, "cohort")) is not None:
            stages = stages.filter(cohort_id=cohort)
        return stages

    def get_object(self):
        return interview_selectors.get_stage_for(
            membership=self.membership, pk=self.lookup_pk(), write=self.action in ("open", "close")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        cohort = data.pop("cohort")
        check_programme_access(self.membership, cohort.programme, write=True, noun="cohort")
        serializer.instance = interview_services.stage_create(
            cohort=cohort, actor=self.request.user, **data
        )

    @extend_schema(request=DefaultStagesSerializer, responses={201: StageSerializer(many=True)})
    @action(detail=False, methods=["post"], pagination_class=None)  # answers every stage made, as a plain list
    def defaults(self, request):
        """Set up a cohort's stages from its programme's plan, or the three usual ones (start,
        mid-way, on qualification) with the ready-made interview questions. Idempotent."""
        serializer = DefaultStagesSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        cohort = serializer.validated_data["cohort"]
        check_programme_access(self.membership, cohort.programme, write=True, noun="cohort")
        stages = interview_services.stages_create_defaults(cohort=cohort, actor=request.user)
        return Response(StageSerializer(stages, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=StageSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Open the stage: each active trainee's interview, and one for each of their line
        managers, fall due."""
        stage = self.get_object()
        interview_services.stage_open(stage=stage, actor=request.user)
        return Response(StageSerializer(self.get_object()).data)

    @extend_schema(request=None, responses=StageSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        stage = self.get_object()
        interview_services.stage_close(stage=stage, actor=request.user)
        return Response(StageSerializer(self.get_object()).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("stage", OpenApiTypes.INT, description="Only this stage's."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Interview.Status.values),
        ]
    )
)
class InterviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LadderViewSet):
    """Interviews with trainees and managers at each stage, with their answers. Leads and
    planners see their organisation's; a manager the ones they hold or answer."""

    serializer_class = InterviewSerializer

    def get_queryset(self):
        interviews = (
            interview_selectors.interviews_visible_to(membership=self.membership)
            .select_related(*interview_selectors.INTERVIEW_RELATED)
            .prefetch_related(
                Prefetch(
                    "answers",
                    queryset=Answer.objects.select_related("question").order_by(
                        "question__order", "pk"
                    ),
                ),
                Prefetch(
                    "instrument__questions", queryset=Question.objects.order_by("order", "pk")
                ),
            )
            .order_by("stage_id", "-subject", "pk")
        )
        if (stage := int_param(self.request, "stage")) is not None:
            interviews = interviews.filter(stage_id=stage)
        if status_value := self.request.query_params.get("status"):
            if status_value not in Interview.Status.values:
                raise ValidationError(
                    {"status": [f"Choose one of {', '.join(Interview.Status.values)}."]}
                )
            interviews = interviews.filter(status=status_value)
        return interviews

    def get_object(self):
        return get_scoped_or_404(self.get_queryset(), self.membership, None, pk=self.lookup_pk())

    @extend_schema(request=InterviewRecordSerializer, responses=InterviewSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Save answers as a draft, or complete the interview (every required question, the
        date held and the interviewer)."""
        interview = self.get_object()
        if not interview_selectors.may_record(self.membership, interview):
            raise PermissionDenied(
                "Only the person responsible for this interview, or a training lead, can record it."
            )
        serializer = InterviewRecordSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data["interviewer"] is None:
            data["interviewer"] = request.user
        if not interview.answers.exists():  # like opening the form: move to the current questions
            interview_services.interview_start(interview=interview, actor=request.user)
        interview_services.interview_save(interview=interview, actor=request.user, **data)
        return Response(self.get_serializer(self.get_object()).data)


class AuditToolViewSet(mixins.ListModelMixin, LadderViewSet):
    """The organisation's audit tools and their criteria (the physical healthcare assessment
    audit is there from the start, as on the audits page)."""

    serializer_class = AuditToolSerializer

    def get_permissions(self):
        return [*super().get_permissions(), roles_only(*READERS)()]

    def get_queryset(self):
        return findings_selectors.audit_tools_for(organisation_id=self.membership.organisation_id)

    def list(self, request, *args, **kwargs):
        if self.membership.role == Role.TRAINING_LEAD:
            findings_services.audit_tools_ensure_defaults(organisation=self.membership.organisation)
        return super().list(request, *args, **kwargs)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME_PARAM]))
class AuditRoundViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, LadderViewSet
):
    """Rounds of an audit on a ward at a stage: records sampled and how many met each criterion."""

    serializer_class = AuditRoundSerializer
    write_roles = {"create": LEADS}

    def get_permissions(self):
        return [*super().get_permissions(), roles_only(*READERS)()]

    def get_queryset(self):
        rounds = (
            scoped(AuditRound.objects.all(), self.membership, "programme__organisation")
            .prefetch_related(
                Prefetch("results", queryset=AuditResult.objects.order_by("criterion__order", "pk"))
            )
            .order_by("-held_on", "-pk")
        )
        if (programme := int_param(self.request, "programme")) is not None:
            rounds = rounds.filter(programme_id=programme)
        return rounds

    def get_object(self):
        return get_scoped_or_404(self.get_queryset(), self.membership, None, pk=self.lookup_pk())

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        check_programme_access(self.membership, data["programme"], write=True)
        audit_round = findings_services.audit_round_record(
            programme=data["programme"],
            tool=data["tool"],
            clinical_area=data["clinical_area"],
            stage_name=data["stage_name"],
            held_on=data["held_on"],
            records_sampled=data["records_sampled"],
            results=data["records_met"],
            actor=self.request.user,
        )
        serializer.instance = self.get_queryset().get(pk=audit_round.pk)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME_PARAM]))
class SatisfactionResultViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, LadderViewSet
):
    """Service users' satisfaction on each ward of a programme, per period."""

    serializer_class = SatisfactionResultSerializer
    write_roles = {"create": LEADS}

    def get_permissions(self):
        return [*super().get_permissions(), roles_only(*READERS)()]

    def get_queryset(self):
        results = scoped(
            SatisfactionResult.objects.all(), self.membership, "programme__organisation"
        ).order_by("programme_id", "period_start", "pk")
        if (programme := int_param(self.request, "programme")) is not None:
            results = results.filter(programme_id=programme)
        return results

    def get_object(self):
        return get_scoped_or_404(self.get_queryset(), self.membership, None, pk=self.lookup_pk())

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        programme = data.pop("programme")
        check_programme_access(self.membership, programme, write=True)
        item = findings_services.SatisfactionInput(
            clinical_area=data["clinical_area"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            responses=data["responses"],
            score=data["score"],
            questions=tuple(data.get("questions", ())),
            source=data.get("source", ""),
        )
        serializer.instance = findings_services.satisfaction_record(
            programme=programme, item=item, actor=self.request.user
        )
