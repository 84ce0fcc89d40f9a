"""Trainees, enrolments (with status transitions as an action), learning-contract signatures
and study-time sessions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.access import get_scoped_or_404
from programmes.models import Role
from trainees import selectors, services
from trainees.filters import CohortEnrolmentFilter, TraineeFilter
from trainees.models import AgendaForChangeBand, ContractSignature, Enrolment, StudySession

from ..pagination import CountedPagination
from ..serializers.rows import represent_rows
from ..serializers.trainees import (
    ContractSignatureSerializer,
    EnrolmentSerializer,
    StudySessionSerializer,
    TraineeSerializer,
    TransitionSerializer,
)
from .base import LadderViewSet
from .filtering import apply_filters, int_param

LEADS = (Role.TRAINING_LEAD,)
ONLY_LEADS = "Only a training lead of the trainee's organisation"
WARD_PARAM = OpenApiParameter("ward", OpenApiTypes.INT, description="Only trainees on this ward.")
ENROLMENT_PARAM = OpenApiParameter(
    "enrolment", OpenApiTypes.INT, description="Only this enrolment's."
)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Name or employee number."),
            WARD_PARAM,
            OpenApiParameter("band", OpenApiTypes.STR, enum=AgendaForChangeBand.values),
        ]
    )
)
class TraineeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    LadderViewSet,
):
    serializer_class = TraineeSerializer
    write_roles = {"create": LEADS, "update": LEADS, "partial_update": LEADS}

    def get_queryset(self):
        trainees = selectors.trainees_visible_to(membership=self.membership).order_by(
            "last_name", "first_name", "pk"
        )
        if self.action == "list":
            return apply_filters(
                TraineeFilter, self.request, trainees, wards=selectors.clinical_areas_of(trainees)
            )
        return trainees

    def get_object(self):
        write = self.action in ("update", "partial_update")
        return selectors.get_trainee_for(
            membership=self.membership, pk=self.lookup_pk(), write=write
        )

    def perform_create(self, serializer):
        serializer.instance = services.trainee_create(
            organisation=self.membership.organisation,
            actor=self.request.user,
            **serializer.validated_data,
        )

    def perform_update(self, serializer):
        serializer.instance = services.trainee_update(
            trainee=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


# The query parameters that narrow the list of enrolments (get_queryset).
_LIST_FILTERS = frozenset({"cohort", "trainee", *CohortEnrolmentFilter.base_filters})


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("cohort", OpenApiTypes.INT, description="Only this cohort's."),
            OpenApiParameter("trainee", OpenApiTypes.INT, description="Only this trainee's."),
            OpenApiParameter("q", OpenApiTypes.STR, description="The trainee's name."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Enrolment.Status.values),
            WARD_PARAM,
        ]
    )
)
class EnrolmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, LadderViewSet
):
    serializer_class = EnrolmentSerializer
    pagination_class = CountedPagination
    write_roles = {"create": LEADS, "transition": LEADS}

    def list(self, request, *args, **kwargs):
        # Not narrowed: read by a statement compiled once, its rows represented as the
        # serializer represents them (the ORM's statement and DRF's fields took 4 ms a page).
        if _LIST_FILTERS.isdisjoint(request.query_params):
            rows = self.paginate_queryset(selectors.enrolment_list(membership=self.membership))
            return self.get_paginated_response(represent_rows(self.get_serializer_class(), rows))
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        # What the serializer shows of an enrolment (selectors.enrolment_list's figures).
        enrolments = selectors.with_signature_count(selectors.with_study_hours(
            selectors.enrolments_visible_to(membership=self.membership)
        )).order_by(*selectors.ENROLMENT_LIST_ORDER)
        if self.action != "list":
            return enrolments
        # A row of the list gives its trainee's and cohort's ids only (their own columns):
        # the selector's joins for pages (trainee, ward, manager, mentor, cohort, programme)
        # cost more to plan than the rest of the statement.
        enrolments = enrolments.select_related(None)
        for name in ("cohort", "trainee"):
            if (pk := int_param(self.request, name)) is not None:
                enrolments = enrolments.filter(**{f"{name}_id": pk})
        trainees = selectors.trainees_visible_to(membership=self.membership)
        return apply_filters(
            CohortEnrolmentFilter,
            self.request,
            enrolments,
            wards=selectors.clinical_areas_of(trainees),
        )

    def get_object(self):
        return get_scoped_or_404(self.get_queryset(), self.membership, None, pk=self.lookup_pk())

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        confirmed = data.pop("confirm_active_elsewhere", False)
        trainee = data["trainee"]
        if not selectors.can_change_trainee(self.membership, trainee):
            raise PermissionDenied(f"{ONLY_LEADS} can enrol them.")
        elsewhere = selectors.enrolments_active_elsewhere(trainee_ids=[trainee.pk], cohort=data["cohort"])
        if elsewhere and not confirmed:
            raise ValidationError({"confirm_active_elsewhere": [
                f"{trainee.full_name} is already on another programme: "
                f"{selectors.describe_enrolments(elsewhere[trainee.pk])}. Send confirm_active_elsewhere: "
                "true to enrol them on this cohort as well."
            ]})
        enrolment = services.enrolment_create(actor=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=enrolment.pk)

    @extend_schema(request=TransitionSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the enrolment along an allowed status change (applied -> active -> paused,
        completed or withdrawn), keeping who, when and why. Completing needs an outcome."""
        enrolment = self.get_object()
        if not selectors.can_manage_enrolment(self.membership, enrolment):
            raise PermissionDenied(f"{ONLY_LEADS} can change the status.")
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.enrolment_transition(
            enrolment=enrolment, actor=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema_view(list=extend_schema(parameters=[ENROLMENT_PARAM]))
class ContractSignatureViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, LadderViewSet):
    """Signatures of the learning contracts of the enrolments the caller sees. A trainee, their
    mentor, their line manager and the cohort's lecturers sign, each as their own party."""

    serializer_class = ContractSignatureSerializer

    def get_queryset(self):
        signatures = (
            ContractSignature.objects.filter(
                contract__enrolment__in=selectors.enrolments_visible_to(
                    membership=self.membership
                ).values("pk")
            )
            .select_related("contract")
            .order_by("signed_at", "pk")
        )
        if (pk := int_param(self.request, "enrolment")) is not None:
            signatures = signatures.filter(contract__enrolment_id=pk)
        return signatures

    def perform_create(self, serializer):
        enrolment = serializer.validated_data["enrolment"]
        parties = selectors.contract_parties_for(self.membership, enrolment)
        if not parties:
            raise PermissionDenied(
                "Only the trainee, their mentor, their line manager and the cohort's lecturers "
                "sign the learning contract."
            )
        serializer.instance = services.contract_sign(
            contract=enrolment.contract,
            party=serializer.validated_data["party"],
            user=self.request.user,
            allowed_parties=parties,
        )


@extend_schema_view(list=extend_schema(parameters=[ENROLMENT_PARAM]))
class StudySessionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, LadderViewSet):
    """Protected study time, taken or lost, of the enrolments the caller sees."""

    serializer_class = StudySessionSerializer

    def get_queryset(self):
        sessions = StudySession.objects.filter(
            enrolment__in=selectors.enrolments_visible_to(membership=self.membership).values("pk")
        ).order_by("-date", "-pk")
        if (pk := int_param(self.request, "enrolment")) is not None:
            sessions = sessions.filter(enrolment_id=pk)
        return sessions

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        enrolment = data.pop("enrolment")
        if not selectors.can_record_study_time(self.membership, enrolment):
            raise PermissionDenied(
                "Study time is recorded by the trainee, their line manager or a training lead, "
                "while the enrolment is open."
            )
        serializer.instance = services.study_session_record(
            enrolment=enrolment, actor=self.request.user, **data
        )
