"""Reads for organisations and people, each scoped to the acting membership."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from core.access import get_scoped_or_404, scoped
from core.prepared import Param, compiled_once, instance_of, membership_params, params_membership

from .models import Cohort, Membership, Milestone, Organisation, Partnership, Programme, Role


def people_in_organisation(*, membership: Membership) -> QuerySet[Membership]:
    """Everyone with an active role in the acting organisation. One query."""
    return (
        scoped(Membership.objects.active(), membership, "organisation")
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )


def people_count_by_role(*, membership: Membership) -> list[tuple[str, int]]:
    """(role label, number of people) for every role, in the order of Role. One query,
    compiled once (core.prepared): the lead's and planner's home pages show it."""
    counts = {row["role"]: row["n"] for row in _people_by_role().rows(**membership_params(membership))}
    return [(label, counts.get(value, 0)) for value, label in Role.choices]


@compiled_once
def _people_by_role() -> QuerySet[Membership]:
    return (
        scoped(Membership.objects.active(), params_membership(), "organisation")
        .values("role").annotate(n=Count("id")).values("role", "n")
    )


# --- Programmes and cohorts -------------------------------------------------------------------
# A programme is seen by the people of its lead organisation and of the organisations that
# ACCEPTED a partnership on it (a partner university's lecturers, a care provider, a community
# nursing team). A proposal not yet answered, a declined or an ended one gives nothing. Only the
# lead organisation's training leads change it.

def accepted_partner_ids(*, programme_ids) -> QuerySet:
    """Organisation ids of the accepted partners of these programmes (a subquery)."""
    return Partnership.objects.accepted().filter(programme_id__in=programme_ids).values(
        "organisation_id"
    )


def with_partners(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    """Prefetch each programme's accepted partnerships (and their organisations) into
    ``programme.accepted_partnerships``: one query for the lot."""
    return programmes.prefetch_related(
        Prefetch(
            "partnerships",
            queryset=Partnership.objects.accepted().select_related("organisation").order_by(
                "organisation__name"
            ),
            to_attr="accepted_partnerships",
        )
    )


def is_accepted_partner(membership: Membership | None, programme: Programme) -> bool:
    """Whether the acting organisation is an accepted partner of the programme. One query."""
    return membership is not None and Partnership.objects.accepted().filter(
        programme=programme, organisation_id=membership.organisation_id
    ).exists()


def programmes_visible_to(*, membership: Membership | None) -> QuerySet[Programme]:
    if membership is None:
        return Programme.objects.none()
    org = membership.organisation_id
    partnered = Partnership.objects.accepted().filter(
        programme_id=OuterRef("pk"), organisation_id=org
    )
    return Programme.objects.filter(Q(organisation_id=org) | Exists(partnered)).select_related(
        "organisation"
    )


def can_change_programme(membership: Membership | None, programme: Programme) -> bool:
    return (
        membership is not None
        and membership.role == Role.TRAINING_LEAD
        and programme.organisation_id == membership.organisation_id
    )


# Who reads a programme's evaluation (stages, interviews, findings, audits, satisfaction): the
# training leads and workforce planners of its *lead* organisation. Partners see the programme
# but not what its staff said about it.
EVALUATION_READERS = (Role.TRAINING_LEAD, Role.PLANNER)


def can_read_evaluation(membership: Membership | None, programme: Programme) -> bool:
    return (
        membership is not None
        and membership.role in EVALUATION_READERS
        and programme.organisation_id == membership.organisation_id
    )


def check_programme_access(
    membership: Membership | None, programme: Programme, *, write: bool = False,
    evaluation: bool = False, noun: str = "programme",
) -> None:
    """403 (with the reason) unless the membership, which can see the programme, may change it
    (``write``) or read its evaluation (``evaluation``). The one check behind every
    ``get_<model>_for`` of a programme's records and the API's writes."""
    if write and not can_change_programme(membership, programme):
        raise PermissionDenied(f"Only the lead organisation's training leads can change this {noun}.")
    if evaluation and not can_read_evaluation(membership, programme):
        raise PermissionDenied(
            "Evaluation findings are for the training leads and workforce planners of "
            f"{programme.organisation.name}, which leads this programme."
        )


def get_programme_for(
    *, membership: Membership | None, pk, write: bool = False, evaluation: bool = False
) -> Programme:
    """The programme if the person may see it (404 otherwise); with write=True, 403 unless
    they may change it; with evaluation=True, 403 unless they may read its evaluation."""
    programme = get_scoped_or_404(programmes_visible_to(membership=membership), membership, None, pk=pk)
    check_programme_access(membership, programme, write=write, evaluation=evaluation)
    return programme


def programme_list(*, membership: Membership | None) -> QuerySet[Programme]:
    """The programme list page: counts of cohorts and trainees come annotated (no N+1), each a
    subquery on the programme's own cohorts: joining cohorts and enrolments to group by the
    programme sorted every enrolment of the organisation with the programmes' long texts."""
    of_programme = Cohort.objects.filter(programme=OuterRef("pk")).order_by().values("programme")
    return programmes_visible_to(membership=membership).annotate(
        cohort_count=_count_of(of_programme.annotate(n=Count("pk"))),
        trainee_count=_count_of(of_programme.annotate(n=Count("enrolments"))),
    )


def _count_of(counted: QuerySet) -> Coalesce:
    """The ``n`` of a subquery grouped by the outer row: 0 when it has no row."""
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def programmes_at_a_glance(*, membership: Membership | None, limit: int) -> list[Programme]:
    """The first ``limit`` of programme_list by title, with no more than a home page shows of
    them (title, status, the counts: as .only() would load them). One query, compiled once
    (core.prepared): the lead's and planner's home pages show them."""
    if membership is None:
        return []
    programmes = []
    for row in _programmes_at_a_glance(limit).rows(**membership_params(membership)):
        programme = instance_of(Programme, row, {"id": "pk", "title": "title", "status": "status"})
        programme.cohort_count, programme.trainee_count = row["cohort_count"], row["trainee_count"]
        programmes.append(programme)
    return programmes


@compiled_once
def _programmes_at_a_glance(limit: int) -> QuerySet[Programme]:
    return (
        programme_list(membership=params_membership()).select_related(None).order_by("title")
        .values("pk", "title", "status", "cohort_count", "trainee_count")[:limit]
    )


def cohorts_visible_to(*, membership: Membership | None) -> QuerySet[Cohort]:
    """Cohorts of the programmes the person sees (a partner: only where its partnership shares
    the cohorts); a lecturer sees the cohorts they teach."""
    if membership is None:
        return Cohort.objects.none()
    org = membership.organisation_id
    shared = Partnership.objects.accepted().filter(
        programme_id=OuterRef("programme_id"), organisation_id=org, shares_cohorts=True
    )
    cohorts = Cohort.objects.filter(
        Q(programme__organisation_id=org) | Exists(shared)
    ).select_related("programme", "programme__organisation")
    if membership.role == Role.LECTURER:
        cohorts = cohorts.filter(lecturers__id=membership.user_id)  # the id: see core.prepared
    return cohorts


def get_cohort_for(
    *, membership: Membership | None, pk, write: bool = False, evaluation: bool = False
) -> Cohort:
    """The cohort if the person may see it (404 otherwise: another organisation's, or, for a
    lecturer, one they do not teach); with write=True, 403 unless they may change its
    programme; with evaluation=True, 403 unless they may read its programme's evaluation.
    One query, compiled once (core.prepared): the cohort page, the matrix and the findings ask
    on every visit."""
    try:
        rows = _cohort_by_pk(membership.role).rows(**membership_params(membership), pk=int(pk)) if membership else []
    except (TypeError, ValueError):  # not a number: as get_scoped_or_404 answers
        rows = []
    if not rows:
        raise Http404("No cohort found.")
    cohort = cohort_of_row(rows[0], _COHORT_LOADED)
    check_programme_access(
        membership, cohort.programme, write=write, evaluation=evaluation, noun="cohort"
    )
    cohort._seen_by = membership  # see cohort_seen_by
    return cohort


# Everything of the cohort, its programme and the programme's organisation, as
# cohorts_visible_to's select_related loads them: {model: {field: its name in the row}}.
_COHORT_LOADED = {
    model: {field.attname: prefix + field.attname for field in model._meta.concrete_fields}
    for model, prefix in ((Cohort, ""), (Programme, "programme__"), (Organisation, "programme__organisation__"))
}


def cohort_of_row(row: dict, loaded: dict) -> Cohort:
    """A core.prepared row as the cohort, its programme and the programme's organisation that
    select_related and only() would have loaded: ``loaded`` is {Cohort: {field: the row's
    name}, Programme: {...}, Organisation: {...}}, in that order."""
    cohort, programme, organisation = (instance_of(model, row, fields) for model, fields in loaded.items())
    programme.organisation, cohort.programme = organisation, programme
    return cohort


@compiled_once
def _cohort_by_pk(role: str) -> QuerySet[Cohort]:
    """get_cohort_for's statement (Params user_id, organisation_id, pk)."""
    return cohorts_visible_to(membership=params_membership(role)).filter(pk=Param("pk")).order_by().values(
        *(name for fields in _COHORT_LOADED.values() for name in fields.values())
    )


def cohort_seen_by(cohort: Cohort, membership: Membership | None) -> bool:
    """Whether ``cohort`` came from get_cohort_for for this very membership, so a read of its
    enrolments need not ask again which cohorts the person sees (trainees.selectors
    .enrolments_on_cohort). False for a cohort loaded any other way."""
    return membership is not None and getattr(cohort, "_seen_by", None) is membership


def lecturers_of(cohort: Cohort) -> list:
    """The cohort's lecturers by name (cohort.lecturers, read as the ORM would), for a cohort
    already scoped: one query, compiled once (core.prepared), the cohort page's."""
    rows = _lecturers_of().rows(cohort_id=cohort.pk)
    return [instance_of(Cohort.lecturers.field.related_model, row, _LECTURER_LOADED) for row in rows]


_LECTURER_LOADED = {
    field.attname: field.attname for field in Cohort.lecturers.field.related_model._meta.concrete_fields
}


@compiled_once
def _lecturers_of() -> QuerySet:
    """lecturers_of's statement: Param cohort_id."""
    return Cohort.lecturers.field.related_model.objects.filter(cohorts_taught__id=Param("cohort_id")).order_by(
        "last_name", "first_name"
    ).values(*_LECTURER_LOADED)


class ParamsCohort:
    """Stands in for a cohort that get_cohort_for gave ``membership`` (a core.prepared
    ParamsMembership) while a statement is compiled: its id is Param("cohort_id"), and
    cohort_seen_by says yes, so enrolments_on_cohort narrows on it as it does for the cohort page
    and the matrix. Only for a statement whose caller has the cohort from get_cohort_for."""

    def __init__(self, membership):
        self.pk = self.id = Param("cohort_id")
        self._seen_by = membership


def milestones_with_lateness(*, programme: Programme, today) -> list[tuple[Milestone, bool]]:
    return [(m, m.is_late(today)) for m in programme.milestones.all()]


# --- Programme pages --------------------------------------------------------------------------

VIEWER_ROLES = tuple(role for role in Role.values if role != Role.TRAINEE)


def programme_page(*, membership: Membership | None, pk) -> Programme:
    """The programme page: the programme (404 unless visible) with its accepted partners, clinical areas
    and milestones prefetched. Four queries, whatever their number."""
    return get_scoped_or_404(
        with_partners(programmes_visible_to(membership=membership)).prefetch_related(
            "clinical_areas", "milestones"
        ),
        membership,
        None,
        pk=pk,
    )


def cohorts_of_programme(
    *, membership: Membership | None, programme: Programme
) -> QuerySet[Cohort]:
    """The programme's cohorts the person may see (a lecturer: the ones they teach), each with
    its lecturers and a count of enrolled trainees. Two queries."""
    return (
        cohorts_visible_to(membership=membership)
        .filter(programme=programme)
        .annotate(trainee_count=Count("enrolments", distinct=True))
        .prefetch_related("lecturers")
        .order_by("intake_number", "pk")
    )


def get_milestone_for(*, membership: Membership | None, pk, write: bool = False) -> Milestone:
    """The milestone if the person may see its programme (404 otherwise); with write=True, 403
    unless they may change the programme. One query."""
    milestone = get_scoped_or_404(
        Milestone.objects.filter(
            programme__in=programmes_visible_to(membership=membership).values("pk")
        ).select_related("programme", "programme__organisation"),
        membership,
        None,
        pk=pk,
    )
    check_programme_access(membership, milestone.programme, write=write)
    return milestone


def clinical_area_choices(*, organisation_id: int) -> QuerySet:
    from .models import ClinicalArea

    return ClinicalArea.objects.filter(organisation_id=organisation_id).order_by("name")


def lecturer_choices(*, programme: Programme) -> QuerySet:
    """People with an active lecturer role in the programme's lead or partner organisations."""
    from django.contrib.auth import get_user_model

    partners = accepted_partner_ids(programme_ids=[programme.pk])
    lecturers = Membership.objects.active().filter(
        Q(organisation_id=programme.organisation_id) | Q(organisation_id__in=partners),
        role=Role.LECTURER,
    )
    return (
        get_user_model()
        .objects.filter(pk__in=lecturers.values("user_id"))
        .order_by("last_name", "first_name", "username")
    )


def organisations_visible_to(*, membership: Membership | None) -> QuerySet:
    """The acting organisation, and the lead and ACCEPTED partner organisations of the
    programmes the person sees (an organisation that was only asked stays unnamed). One query."""
    from .models import Organisation

    if membership is None:
        return Organisation.objects.none()
    visible = programmes_visible_to(membership=membership).values("pk")
    leads = Programme.objects.filter(pk__in=visible).values("organisation_id")
    return Organisation.objects.filter(
        Q(pk=membership.organisation_id)
        | Q(pk__in=leads)
        | Q(pk__in=accepted_partner_ids(programme_ids=visible))
    ).order_by("name")
