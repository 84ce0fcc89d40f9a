"""Reads for mappings, courses, role profiles and gap analysis, each scoped to the acting
membership, with the queries decided here (the pages pin their counts)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet

from core.access import get_scoped_or_404, scoped
from core.status import StatusTag
from programmes.models import Membership, Programme, Role
from programmes.selectors import can_change_programme, programmes_visible_to

from ..access import competencies_visible_to, frameworks_visible_to
from ..models import Competency, Course, Framework, Mapping, RoleProfile, RoleProfileItem

ITEM_RELATED = (
    "competency__framework__scale",
    "competency__scale",
    "competency__framework__organisation",
)


def is_training_lead(membership: Membership | None) -> bool:
    return membership is not None and membership.role == Role.TRAINING_LEAD


# --- Competencies and mappings ----------------------------------------------------------------


def get_competency_for(*, membership: Membership | None, pk) -> Competency:
    """A competency of a national framework or of the person's organisation; 404 otherwise."""
    return get_scoped_or_404(
        competencies_visible_to(membership=membership).select_related(
            "framework__scale", "framework__organisation"
        ),
        membership,
        None,
        pk=pk,
    )


def mappings_visible_to(*, membership: Membership | None) -> QuerySet[Mapping]:
    """National mappings and the person's organisation's own."""
    if membership is None:
        return Mapping.objects.none()
    return Mapping.objects.filter(
        Q(organisation__isnull=True) | Q(organisation_id=membership.organisation_id)
    )


def can_change_mapping(membership: Membership | None, mapping: Mapping) -> bool:
    return is_training_lead(membership) and mapping.organisation_id == membership.organisation_id


def get_mapping_for(*, membership: Membership | None, pk, write: bool = False) -> Mapping:
    mapping = get_scoped_or_404(
        mappings_visible_to(membership=membership).select_related(
            "source__framework", "target__framework", "created_by"
        ),
        membership,
        None,
        pk=pk,
    )
    if write and not can_change_mapping(membership, mapping):
        raise PermissionDenied(
            "National mappings are part of the national data; your organisation's are changed "
            "by its training leads."
        )
    return mapping


@dataclass(frozen=True)
class MappingSide:
    """One mapping as seen from one of its competencies: the competency on the other side."""

    mapping: Mapping
    other: Competency
    outgoing: bool  # this competency is the mapping's source
    can_remove: bool


def mappings_for(competency: Competency, membership: Membership | None) -> list[MappingSide]:
    """The competency's mappings on both sides (it is the source or the target), national and
    the person's organisation's, each with the competency on the other side. One query."""
    mappings = (
        mappings_visible_to(membership=membership)
        .filter(Q(source=competency) | Q(target=competency))
        .select_related("source__framework", "target__framework", "organisation", "created_by")
        .order_by("pk")
    )
    sides = []
    for mapping in mappings:
        outgoing = mapping.source_id == competency.pk
        sides.append(
            MappingSide(
                mapping=mapping,
                other=mapping.target if outgoing else mapping.source,
                outgoing=outgoing,
                can_remove=can_change_mapping(membership, mapping),
            )
        )
    sides.sort(key=lambda s: (str(s.other.framework), s.other.sort_order, s.other.pk))
    return sides


def mapping_target_frameworks(
    *, membership: Membership | None, competency: Competency
) -> QuerySet[Framework]:
    """Frameworks a competency may be mapped into: every other framework the person sees."""
    return frameworks_visible_to(membership=membership).exclude(pk=competency.framework_id)


def framework_competencies(*, framework: Framework) -> QuerySet[Competency]:
    return framework.competencies.select_related("scale").order_by("sort_order", "pk")


# --- Courses ----------------------------------------------------------------------------------


def courses_visible_to(*, membership: Membership | None) -> QuerySet[Course]:
    """The organisation's courses with what each covers. Two queries."""
    return scoped(Course.objects.all(), membership, "organisation").prefetch_related(
        Prefetch(
            "covers",
            queryset=Competency.objects.select_related("framework").order_by(
                "framework_id", "sort_order", "pk"
            ),
        )
    )


def get_course_for(*, membership: Membership | None, pk, write: bool = False) -> Course:
    course = get_scoped_or_404(
        Course.objects.select_related("organisation"), membership, "organisation", pk=pk
    )
    if write and not is_training_lead(membership):
        raise PermissionDenied("Only training leads change courses.")
    return course


# --- Role profiles ----------------------------------------------------------------------------


def role_profile_of(programme: Programme) -> RoleProfile | None:
    """The programme's role profile, or None before anything is added. One query."""
    profile = RoleProfile.objects.filter(programme=programme).first()
    if profile is not None:
        profile.programme = programme  # already loaded, with its organisation
    return profile


def role_profile_items(profile: RoleProfile | None) -> list[RoleProfileItem]:
    """The items with their competency, framework and scales: one query, any number of items."""
    if profile is None:
        return []
    return list(profile.items.select_related(*ITEM_RELATED).order_by("sort_order", "pk"))


def level_name(competency: Competency, index: int) -> str:
    levels = competency.effective_scale().levels
    return levels[index]["name"] if 0 <= index < len(levels) else f"Level {index + 1}"


def get_role_profile_item_for(
    *, membership: Membership | None, pk, write: bool = False
) -> RoleProfileItem:
    """An item of the role profile of a programme the person sees (404 otherwise); with
    write=True, 403 unless they may change the programme."""
    item = get_scoped_or_404(
        RoleProfileItem.objects.filter(
            profile__programme__in=programmes_visible_to(membership=membership).values("pk")
        ).select_related("profile__programme__organisation", *ITEM_RELATED),
        membership,
        None,
        pk=pk,
    )
    if write and not can_change_programme(membership, item.profile.programme):
        raise PermissionDenied(
            "Only the lead organisation's training leads change the role profile."
        )
    return item


def profile_competency_ids(profile: RoleProfile | None) -> set[int]:
    if profile is None:
        return set()
    return set(profile.items.values_list("competency_id", flat=True))


# --- Gap analysis -----------------------------------------------------------------------------


class Coverage(StrEnum):
    """How a role profile competency is covered, best first ("don't reinvent the education").
    Only a course teaches: a national standard (or a mapping to one) says what to reach, not
    that education for it exists here."""

    COURSE = "course"
    STANDARD = "standard"
    GAP = "gap"

    @property
    def label(self) -> str:
        return COVERAGE_LABELS[self]

    @property
    def status_tag(self) -> StatusTag:
        """The short words of the tag, coloured: green taught, yellow still to teach, red gap."""
        return COVERAGE_TAGS[self]


COVERAGE_TAGS = {
    Coverage.COURSE: StatusTag("Taught by an existing course", "green"),
    Coverage.STANDARD: StatusTag("National standard: education still needed", "yellow"),
    Coverage.GAP: StatusTag("Gap: no course, no national standard", "red"),
}

COVERAGE_LABELS = {
    Coverage.COURSE: "Taught by an existing course",
    Coverage.STANDARD: "Mapped to a national standard (education still needed)",
    Coverage.GAP: "Gap: no course, no national standard",
}


@dataclass(frozen=True)
class MappedCompetency:
    """A national competency an organisation's own competency is mapped to (either direction)."""

    competency_id: int
    id_number: str
    short_name: str
    framework: str
    strength: str
    strength_label: str


@dataclass(frozen=True)
class CourseCover:
    course_id: int
    name: str
    provider: str
    via: str = ""  # "" when the course covers the competency itself; else the mapped competency


@dataclass(frozen=True)
class GapItem:
    item_id: int
    kind: str
    kind_label: str
    competency_id: int
    id_number: str
    short_name: str
    framework_id: int
    framework: str
    framework_is_national: bool
    target_level: int
    target_level_name: str
    coverage: Coverage
    mapped_to: tuple[MappedCompetency, ...] = ()
    courses: tuple[CourseCover, ...] = ()

    @property
    def is_gap(self) -> bool:
        return self.coverage is Coverage.GAP


@dataclass(frozen=True)
class CoverageCount:
    coverage: Coverage
    count: int
    percent: float  # of the total it belongs to, one decimal place; 0.0 when that total is 0

    @property
    def label(self) -> str:
        return self.coverage.label


def _counts(items: list[GapItem]) -> tuple[CoverageCount, ...]:
    total = len(items)
    result = []
    for coverage in Coverage:
        count = sum(1 for item in items if item.coverage is coverage)
        result.append(
            CoverageCount(coverage, count, round(100 * count / total, 1) if total else 0.0)
        )
    return tuple(result)


@dataclass(frozen=True)
class KindAnalysis:
    kind: str  # RoleProfileItem.Kind value
    label: str
    items: tuple[GapItem, ...]
    counts: tuple[CoverageCount, ...]  # one per Coverage, in Coverage order

    @property
    def total(self) -> int:
        return len(self.items)

    def count(self, coverage: Coverage | str) -> int:
        return next(c.count for c in self.counts if c.coverage == Coverage(coverage))


@dataclass(frozen=True)
class SummaryRow:
    """One line of the summary table: a coverage, its count per kind (in the order of
    GapAnalysis.kinds) and over all items."""

    coverage: Coverage
    by_kind: tuple[CoverageCount, ...]
    all: CoverageCount

    @property
    def label(self) -> str:
        return self.coverage.label


@dataclass(frozen=True)
class GapAnalysis:
    """Plain data (no model instances, no HTML): the page and the report generator read it."""

    programme_id: int
    programme_title: str
    organisation: str
    kinds: tuple[KindAnalysis, ...]  # core, then role-specific
    counts: tuple[CoverageCount, ...]  # all items, one per Coverage
    coverages: tuple[Coverage, ...] = field(default=tuple(Coverage))

    @property
    def items(self) -> tuple[GapItem, ...]:
        return tuple(item for kind in self.kinds for item in kind.items)

    @property
    def total(self) -> int:
        return sum(kind.total for kind in self.kinds)

    @property
    def summary(self) -> tuple[SummaryRow, ...]:
        return tuple(
            SummaryRow(total.coverage, tuple(kind.counts[index] for kind in self.kinds), total)
            for index, total in enumerate(self.counts)
        )

    @property
    def gaps(self) -> tuple[GapItem, ...]:
        return tuple(item for item in self.items if item.is_gap)

    @property
    def taught_count(self) -> int:
        return self.count(Coverage.COURSE)

    @property
    def standard_count(self) -> int:
        return self.count(Coverage.STANDARD)

    def kind(self, kind: str) -> KindAnalysis:
        return next(k for k in self.kinds if k.kind == kind)

    def count(self, coverage: Coverage | str, kind: str | None = None) -> int:
        if kind is not None:
            return self.kind(kind).count(coverage)
        return next(c.count for c in self.counts if c.coverage == Coverage(coverage))


def gap_analysis(*, profile: RoleProfile, membership: Membership | None) -> GapAnalysis:
    """How each competency of the role profile is already covered, judged for the programme's
    organisation (its mappings and courses, plus national mappings):

    - COURSE: a course of the organisation covers it, or covers a competency it is mapped to:
      taught by existing education;
    - STANDARD: no course, but it is in a national framework or mapped (either direction) to
      a national competency: a standard exists, the education is still needed;
    - GAP: none of these.

    The first that applies is the coverage; the mapped national competencies and the courses
    are listed whatever it is. Items of a programme the membership cannot see are left out.
    Three queries whatever the profile's size: items, mappings, courses.
    """
    programme = profile.programme
    organisation_id = programme.organisation_id
    items = (
        []
        if profile.pk is None
        else list(
            RoleProfileItem.objects.filter(
                profile=profile,
                profile__programme__in=programmes_visible_to(membership=membership).values("pk"),
            )
            .select_related(*ITEM_RELATED)
            .order_by("sort_order", "pk")
        )
    )
    ids = {item.competency_id for item in items}

    mapped: dict[int, list[tuple[Competency, Mapping]]] = defaultdict(list)
    if ids:
        for mapping in (
            Mapping.objects.filter(
                Q(organisation__isnull=True) | Q(organisation_id=organisation_id)
            )
            .filter(Q(source_id__in=ids) | Q(target_id__in=ids))
            .select_related("source__framework", "target__framework")
            .order_by("pk")
        ):
            if mapping.source_id in ids:
                mapped[mapping.source_id].append((mapping.target, mapping))
            if mapping.target_id in ids:
                mapped[mapping.target_id].append((mapping.source, mapping))

    # Competency id -> the organisation's courses covering it, for the items and everything
    # they are mapped to.
    wanted = ids | {other.pk for pairs in mapped.values() for other, _ in pairs}
    courses: dict[int, list[Course]] = defaultdict(list)
    if wanted:
        for cover in (
            Course.covers.through.objects.filter(
                competency_id__in=wanted, course__organisation_id=organisation_id
            )
            .select_related("course")
            .order_by("course__name", "course_id")
        ):
            courses[cover.competency_id].append(cover.course)

    analysed: dict[str, list[GapItem]] = {kind: [] for kind in RoleProfileItem.Kind.values}
    for item in items:
        competency = item.competency
        national = competency.framework.organisation_id is None
        mapped_to = tuple(
            MappedCompetency(
                competency_id=other.pk,
                id_number=other.id_number,
                short_name=other.name,
                framework=str(other.framework),
                strength=mapping.strength,
                strength_label=mapping.get_strength_display(),
            )
            for other, mapping in mapped.get(competency.pk, [])
            if other.framework.organisation_id is None
        )
        covers: dict[int, CourseCover] = {}
        for course in courses.get(competency.pk, []):
            covers.setdefault(course.pk, CourseCover(course.pk, course.name, course.provider))
        for other, _ in mapped.get(competency.pk, []):
            for course in courses.get(other.pk, []):
                covers.setdefault(
                    course.pk,
                    CourseCover(
                        course.pk,
                        course.name,
                        course.provider,
                        via=f"{other.id_number} {other.name}",
                    ),
                )
        if covers:
            coverage = Coverage.COURSE
        elif national or mapped_to:
            coverage = Coverage.STANDARD
        else:
            coverage = Coverage.GAP
        analysed[item.kind].append(
            GapItem(
                item_id=item.pk,
                kind=item.kind,
                kind_label=item.get_kind_display(),
                competency_id=competency.pk,
                id_number=competency.id_number,
                short_name=competency.name,
                framework_id=competency.framework_id,
                framework=str(competency.framework),
                framework_is_national=national,
                target_level=item.target_level,
                target_level_name=level_name(competency, item.target_level),
                coverage=coverage,
                mapped_to=mapped_to,
                courses=tuple(covers.values()),
            )
        )
    kinds = tuple(
        KindAnalysis(
            kind=value,
            label=str(label),
            items=tuple(analysed[value]),
            counts=_counts(analysed[value]),
        )
        for value, label in RoleProfileItem.Kind.choices
    )
    return GapAnalysis(
        programme_id=programme.pk,
        programme_title=programme.title,
        organisation=programme.organisation.name,
        kinds=kinds,
        counts=_counts([item for kind in kinds for item in kind.items]),
    )
