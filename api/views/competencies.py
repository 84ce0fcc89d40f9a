"""Frameworks and competencies (read, and import of a Moodle CSV), role profiles, evidence with
sign-off and return as actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from competencies.access import competencies_visible_to, frameworks_visible_to, get_framework_for
from competencies.assessors import can_assess_trainee
from competencies.evidence import selectors as evidence_selectors
from competencies.evidence import services as evidence_services
from competencies.frameworks import moodle_csv
from competencies.frameworks.forms import DELIMITER_CHARACTERS
from competencies.frameworks.services import framework_import
from competencies.models import Evidence, EvidenceClaim, RoleProfileItem
from competencies.profiles import selectors as profile_selectors
from competencies.profiles import services as profile_services
from core.access import get_scoped_or_404
from programmes.models import Role
from programmes.selectors import can_change_programme, programmes_visible_to

from ..serializers.competencies import (
    CompetencySerializer,
    EvidenceSerializer,
    FrameworkImportedSerializer,
    FrameworkImportSerializer,
    FrameworkSerializer,
    ReturnSerializer,
    RoleProfileItemSerializer,
    SignOffSerializer,
)
from .base import LadderViewSet
from .filtering import int_param

LEADS = (Role.TRAINING_LEAD,)


class FrameworkViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LadderViewSet):
    """National frameworks and the acting organisation's own."""

    serializer_class = FrameworkSerializer
    write_roles = {"import_csv": LEADS}

    def get_queryset(self):
        return (
            frameworks_visible_to(membership=self.membership)
            .annotate(competency_count=Count("competencies"))
            .order_by("organisation_id", "short_name", "pk")
        )

    def get_object(self):
        get_framework_for(membership=self.membership, pk=self.lookup_pk())  # 404 unless visible
        return self.get_queryset().get(pk=self.lookup_pk())

    @extend_schema(
        request={"multipart/form-data": FrameworkImportSerializer},
        responses={201: FrameworkImportedSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_csv(self, request):
        """Import a Moodle competency-framework CSV into the acting organisation: all of it, or
        nothing with every problem listed by line."""
        serializer = FrameworkImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            parsed = moodle_csv.read_framework(
                data["file"].read(),
                encoding=data["encoding"],
                delimiter=DELIMITER_CHARACTERS[data["delimiter"]],
            )
        except moodle_csv.MoodleCsvError as exc:
            raise ValidationError({"file": [str(problem) for problem in exc.problems]}) from exc
        framework = framework_import(
            parsed=parsed, organisation=self.membership.organisation, actor=request.user
        )
        imported = FrameworkImportedSerializer(
            self.get_queryset().get(pk=framework.pk),
            context={**self.get_serializer_context(), "warnings": parsed.warnings},
        )
        return Response(imported.data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("framework", OpenApiTypes.INT, description="Only this framework's."),
        ]
    )
)
class CompetencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LadderViewSet):
    serializer_class = CompetencySerializer

    def get_queryset(self):
        competencies = competencies_visible_to(membership=self.membership).order_by(
            "framework_id", "sort_order", "pk"
        )
        if (framework := int_param(self.request, "framework")) is not None:
            competencies = competencies.filter(framework_id=framework)
        return competencies

    def get_object(self):
        return profile_selectors.get_competency_for(membership=self.membership, pk=self.lookup_pk())


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "programme", OpenApiTypes.INT, description="Only this programme's role profile."
            ),
        ]
    )
)
class RoleProfileItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    LadderViewSet,
):
    """The competencies each programme's role needs (core or role-specific, with a target
    level). Everyone who sees the programme reads it; its training leads change it."""

    serializer_class = RoleProfileItemSerializer
    write_roles = {"create": LEADS, "destroy": LEADS}

    def get_queryset(self):
        items = (
            RoleProfileItem.objects.filter(
                profile__programme__in=programmes_visible_to(membership=self.membership).values(
                    "pk"
                )
            )
            .select_related("profile")
            .order_by("profile_id", "sort_order", "pk")
        )
        if (programme := int_param(self.request, "programme")) is not None:
            items = items.filter(profile__programme_id=programme)
        return items

    def get_object(self):
        write = self.action == "destroy"
        return profile_selectors.get_role_profile_item_for(
            membership=self.membership, pk=self.lookup_pk(), write=write
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        programme = data["profile"]["programme"]
        if not can_change_programme(self.membership, programme):
            raise PermissionDenied(
                "Only the lead organisation's training leads change the role profile."
            )
        profile = profile_services.role_profile_get_or_create(programme)
        [item] = profile_services.role_profile_add(
            profile=profile,
            competencies=[data["competency"]],
            kind=data["kind"],
            target_level=data.get("target_level"),
        )
        serializer.instance = item

    def perform_destroy(self, instance):
        profile_services.role_profile_remove(item=instance)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("trainee", OpenApiTypes.INT, description="Only this trainee's."),
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=["submitted", "returned", "signed_off"]
            ),
        ]
    )
)
class EvidenceViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, LadderViewSet
):
    """Work-based evidence. A trainee submits their own; their mentor signs it off (awarding a
    level of each claimed competency) or returns it with a comment."""

    serializer_class = EvidenceSerializer
    write_roles = {
        "create": (Role.TRAINEE,),
        "sign_off": (Role.MENTOR,),
        "return_to_trainee": (Role.MENTOR,),
    }

    def get_queryset(self):
        evidence = (
            evidence_selectors.evidence_visible_to(membership=self.membership)
            .select_related("trainee", "assessor_organisation")
            .prefetch_related(Prefetch("claims", queryset=EvidenceClaim.objects.order_by("pk")))
            .order_by("-created_at", "-pk")
        )
        if (trainee := int_param(self.request, "trainee")) is not None:
            evidence = evidence.filter(trainee_id=trainee)
        if status_value := self.request.query_params.get("status"):
            if status_value not in Evidence.Status.values:
                raise ValidationError(
                    {"status": [f"Choose one of {', '.join(Evidence.Status.values)}."]}
                )
            evidence = evidence.filter(status=status_value)
        return evidence

    def get_object(self):
        return get_scoped_or_404(self.get_queryset(), self.membership, None, pk=self.lookup_pk())

    def perform_create(self, serializer):
        trainee = evidence_selectors.own_trainee_record(self.membership)
        if trainee is None:
            raise PermissionDenied("Only a trainee with a record here submits evidence.")
        data = serializer.validated_data
        evidence = evidence_services.evidence_submit(
            trainee=trainee,
            actor=self.request.user,
            title=data["title"],
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            description=data["description"],
            competencies=data["competencies"],
        )
        serializer.instance = self.get_queryset().get(pk=evidence.pk)

    def _assessable(self):
        evidence = self.get_object()
        if not can_assess_trainee(self.membership, evidence.trainee):
            raise PermissionDenied("Only the trainee's mentor can assess this evidence.")
        return evidence

    @extend_schema(request=SignOffSerializer, responses=EvidenceSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        evidence = self._assessable()
        serializer = SignOffSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        evidence_services.evidence_sign_off(
            evidence=evidence, assessor=request.user, statement_confirmed=data.pop("agree"), **data
        )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=ReturnSerializer, responses=EvidenceSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_trainee(self, request, pk=None):
        evidence = self._assessable()
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evidence_services.evidence_return(
            evidence=evidence, assessor=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(self.get_object()).data)
