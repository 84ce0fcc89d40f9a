"""Organisations (read), programmes, milestones and cohorts."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins

from core.access import get_scoped_or_404
from programmes import selectors, services
from programmes.filters import ProgrammeFilter
from programmes.models import Milestone, Programme, Role

from ..serializers.programmes import (
    CohortSerializer,
    MilestoneSerializer,
    OrganisationSerializer,
    ProgrammeSerializer,
)
from .base import LadderViewSet
from .case_study import CaseStudyActions
from .filtering import apply_filters, int_param

LEADS = (Role.TRAINING_LEAD,)
PROGRAMME_PARAM = OpenApiParameter(
    "programme", OpenApiTypes.INT, description="Only this programme's."
)


class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LadderViewSet):
    """The acting organisation and the organisations of the programmes the caller sees."""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return selectors.organisations_visible_to(membership=self.membership).select_related("assessment_policy")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="Search by title."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Programme.Status.values),
        ]
    )
)
class ProgrammeViewSet(
    CaseStudyActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    LadderViewSet,
):
    serializer_class = ProgrammeSerializer
    write_roles = {"create": LEADS, "update": LEADS, "partial_update": LEADS}

    def get_queryset(self):
        programmes = (
            selectors.with_partners(selectors.programme_list(membership=self.membership))
            .prefetch_related("clinical_areas")
            .order_by("title", "pk")  # a stable order for the pages of the list
        )
        if self.action == "list":
            return apply_filters(ProgrammeFilter, self.request, programmes)
        return programmes

    def get_object(self):
        if self.action in ("update", "partial_update"):
            return selectors.get_programme_for(
                membership=self.membership, pk=self.lookup_pk(), write=True
            )
        return get_scoped_or_404(self.get_queryset(), self.membership, None, pk=self.lookup_pk())

    def _reread(self, programme: Programme) -> Programme:
        return self.get_queryset().get(pk=programme.pk)

    def perform_create(self, serializer):
        serializer.instance = self._reread(
            services.programme_create(
                organisation=self.membership.organisation, **serializer.validated_data
            )
        )

    def perform_update(self, serializer):
        serializer.instance = self._reread(
            services.programme_update(programme=serializer.instance, **serializer.validated_data)
        )


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME_PARAM]))
class MilestoneViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    LadderViewSet,
):
    serializer_class = MilestoneSerializer
    write_roles = {"create": LEADS, "update": LEADS, "partial_update": LEADS, "destroy": LEADS}

    def get_queryset(self):
        milestones = Milestone.objects.filter(
            programme__in=selectors.programmes_visible_to(membership=self.membership).values("pk")
        ).order_by("due_on", "pk")
        if (programme := int_param(self.request, "programme")) is not None:
            milestones = milestones.filter(programme_id=programme)
        return milestones

    def get_object(self):
        write = self.action in ("update", "partial_update", "destroy")
        return selectors.get_milestone_for(
            membership=self.membership, pk=self.lookup_pk(), write=write
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        programme = data.pop("programme")
        selectors.check_programme_access(self.membership, programme, write=True)
        serializer.instance = services.milestone_create(programme=programme, **data)

    def perform_update(self, serializer):
        serializer.instance = services.milestone_update(
            milestone=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.milestone_delete(milestone=instance)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME_PARAM]))
class CohortViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    LadderViewSet,
):
    serializer_class = CohortSerializer
    write_roles = {"create": LEADS, "update": LEADS, "partial_update": LEADS}

    def get_queryset(self):
        cohorts = (
            selectors.cohorts_visible_to(membership=self.membership)
            .annotate(trainee_count=Count("enrolments", distinct=True))
            .prefetch_related("lecturers")
            .order_by("programme__title", "intake_number", "pk")
        )
        if (programme := int_param(self.request, "programme")) is not None:
            cohorts = cohorts.filter(programme_id=programme)
        return cohorts

    def get_object(self):
        if self.action in ("update", "partial_update"):
            return selectors.get_cohort_for(
                membership=self.membership, pk=self.lookup_pk(), write=True
            )
        return get_scoped_or_404(self.get_queryset(), self.membership, None, pk=self.lookup_pk())

    def _reread(self, cohort):
        return self.get_queryset().get(pk=cohort.pk)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        programme = data.pop("programme")
        selectors.check_programme_access(self.membership, programme, write=True)
        serializer.instance = self._reread(services.cohort_create(programme=programme, **data))

    def perform_update(self, serializer):
        serializer.instance = self._reread(
            services.cohort_update(cohort=serializer.instance, **serializer.validated_data)
        )
