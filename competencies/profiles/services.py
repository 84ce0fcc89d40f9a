"""Writes for mappings (the crosswalk between frameworks), courses and role profiles.

Callers (views, the API, commands) have already checked that the actor may write (see
selectors.get_*_for with write=True): these functions check the data and write it. Each runs
in a transaction and raises ValidationError, keyed by the form field when there is one.

Visibility rule used throughout: an organisation may use the competencies of national
frameworks (no organisation) and of its own frameworks, never another organisation's.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Max, Q

from core.audit import audit_log_created
from core.bulk import bulk_insert
from programmes.models import Organisation, Programme

from ..models import Competency, Course, Framework, Mapping, RoleProfile, RoleProfileItem
from .mapping_csv import Problem, parse_mapping_csv

logger = logging.getLogger(__name__)

DATABASE_FAILED = (
    "The database failed while saving the mappings, so nothing was imported. Try again; if it "
    "happens again, tell your administrator."
)

NOTE_MAX = Mapping._meta.get_field("note").max_length
STRENGTHS = {
    **{value: value for value in Mapping.Strength.values},
    **{str(label).lower(): value for value, label in Mapping.Strength.choices},
    "": Mapping.Strength.EQUIVALENT,
}


def _usable_by(competency: Competency, organisation_id: int | None) -> bool:
    """National competencies are usable by everyone; an organisation's only by itself. A
    national mapping (organisation_id None) may only join national competencies."""
    owner = competency.framework.organisation_id
    return owner is None or owner == organisation_id


def _label(competency: Competency) -> str:
    return f"{competency.id_number} {competency.name}"


def _not_usable(competency: Competency) -> str:
    return f"{_label(competency)} is not in a national framework or one of your organisation's."


# --- Mappings ---------------------------------------------------------------------------------


class MappingImportError(ValidationError):
    """The import was refused; ``problems`` lists every reason, by line. Nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__([str(problem) for problem in problems])


def _lock(*competency_ids: int) -> None:
    list(
        Competency.objects.select_for_update()
        .filter(pk__in=competency_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _pair_exists(organisation_id: int | None, source_id: int, target_id: int) -> bool:
    """Mapped already, in either direction, nationally or by this organisation."""
    both_ways = Q(source_id=source_id, target_id=target_id) | Q(
        source_id=target_id, target_id=source_id
    )
    owners = Q(organisation__isnull=True)
    if organisation_id is not None:
        owners |= Q(organisation_id=organisation_id)
    return Mapping.objects.filter(both_ways, owners).exists()


@transaction.atomic
def mapping_create(
    *,
    organisation: Organisation | None,
    source: Competency,
    target: Competency,
    strength: str = Mapping.Strength.EQUIVALENT,
    note: str = "",
    actor=None,
) -> Mapping:
    """Map ``source`` to ``target`` for ``organisation`` (None: a national mapping, which only
    data loading makes). Refuses a competency mapped to itself, two competencies of the same
    framework, a pair already mapped (either way round, nationally or by the organisation) and
    competencies the organisation cannot use. Locks both competencies' rows. A few queries."""
    organisation_id = organisation.pk if organisation is not None else None
    if source.pk == target.pk:
        raise ValidationError({"target": "A competency cannot be mapped to itself."})
    if source.framework_id == target.framework_id:
        raise ValidationError(
            {"target": "Choose a competency of another framework: a mapping links two frameworks."}
        )
    for competency in (source, target):
        if not _usable_by(competency, organisation_id):
            raise ValidationError({"target": _not_usable(competency)})
    if strength not in Mapping.Strength.values:
        raise ValidationError({"strength": "Choose how closely the competencies correspond."})
    note = (note or "").strip()
    # The unique constraint cannot see the pair the other way round, nor national mappings
    # (NULL organisation): lock both competencies so two people mapping them at once queue.
    _lock(source.pk, target.pk)
    if _pair_exists(organisation_id, source.pk, target.pk):
        raise ValidationError(
            {"target": f"{_label(source)} and {_label(target)} are already mapped."}
        )
    mapping = Mapping(
        organisation_id=organisation_id,
        source=source,
        target=target,
        strength=strength,
        note=note,
        created_by=actor,
    )
    mapping.full_clean(validate_constraints=False)  # the pair was checked above, both ways
    try:
        with transaction.atomic():
            mapping.save()
    except IntegrityError as error:  # mapped by someone else a moment ago
        raise ValidationError({"target": "These competencies are already mapped."}) from error
    return mapping


@transaction.atomic
def mapping_delete(*, mapping: Mapping, actor=None) -> None:
    """Remove an organisation's mapping. National mappings belong to data loading."""
    if mapping.organisation_id is None:
        raise ValidationError(
            "National mappings are part of the national data and cannot be removed here."
        )
    mapping.delete()


@transaction.atomic
def mappings_import_csv(*, data: bytes, organisation: Organisation, actor=None) -> list[Mapping]:
    """Import a mapping CSV (see mapping_csv.COLUMNS) for ``organisation``: all rows or none.

    Raises MappingImportError listing every problem by line (file-level problems stop the
    checks). Costs six queries whatever the number of rows (frameworks, competencies, a lock
    on the competencies involved, existing mappings, one bulk insert and one of their audit
    entries), so it runs in the request; files are capped at mapping_csv.MAX_ROWS rows."""
    parsed = parse_mapping_csv(data)
    if parsed.problems and not parsed.rows:
        raise MappingImportError(parsed.problems)
    problems = list(parsed.problems)

    # Frameworks by ID number: national and the organisation's own. An ID number both have
    # is ambiguous: refused rather than guessed.
    frameworks: dict[str, list[Framework]] = {}
    for framework in Framework.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation)
    ).only("pk", "id_number", "organisation_id", "short_name", "version"):
        frameworks.setdefault(framework.id_number.lower(), []).append(framework)

    wanted_ids = {
        row[name] for row in parsed.rows for name in ("source_id_number", "target_id_number")
    }
    framework_pks = [f.pk for group in frameworks.values() for f in group]
    competencies: dict[tuple[int, str], Competency] = {}
    for competency in Competency.objects.filter(
        framework_id__in=framework_pks, id_number__in=wanted_ids
    ).only("pk", "id_number", "short_name", "framework_id"):
        competencies[(competency.framework_id, competency.id_number)] = competency

    planned: list[tuple[int, Competency, Competency, str, str]] = []
    for row in parsed.rows:
        row_problems: list[str] = []
        ends = []
        for side in ("source", "target"):
            framework_id_number = row[f"{side}_framework"]
            id_number = row[f"{side}_id_number"]
            if not framework_id_number:
                row_problems.append(f"{side}_framework is blank.")
                continue
            if not id_number:
                row_problems.append(f"{side}_id_number is blank.")
                continue
            matches = frameworks.get(framework_id_number.lower(), [])
            if not matches:
                row_problems.append(
                    f"there is no framework with ID number \u201c{framework_id_number}\u201d "
                    "(national or your organisation's)."
                )
                continue
            if len(matches) > 1:
                row_problems.append(
                    f"the ID number \u201c{framework_id_number}\u201d names both a national "
                    "framework and one of your organisation's; change your framework's ID number."
                )
                continue
            competency = competencies.get((matches[0].pk, id_number))
            if competency is None:
                row_problems.append(
                    f"framework \u201c{framework_id_number}\u201d has no competency with ID number "
                    f"\u201c{id_number}\u201d."
                )
                continue
            ends.append(competency)
        strength = STRENGTHS.get(row["strength"].lower())
        if strength is None:
            row_problems.append(
                f"strength \u201c{row['strength']}\u201d is not one of: equivalent, partial."
            )
        if len(row["note"]) > NOTE_MAX:
            row_problems.append(f"the note is longer than {NOTE_MAX} characters.")
        if len(ends) == 2:
            source, target = ends
            if source.pk == target.pk:
                row_problems.append("a competency cannot be mapped to itself.")
            elif source.framework_id == target.framework_id:
                row_problems.append(
                    "both competencies are in the same framework; a mapping links two different "
                    "frameworks."
                )
        if row_problems:
            problems.extend(Problem(row.line, message) for message in row_problems)
        else:
            planned.append((row.line, ends[0], ends[1], strength, row["note"]))

    # Duplicates: of a mapping that exists (either way round, national or the organisation's),
    # or of an earlier line of the file.
    pairs = {frozenset((source.pk, target.pk)) for _, source, target, _, _ in planned}
    involved = {pk for pair in pairs for pk in pair}
    _lock(*involved)
    existing = {
        frozenset(pair)
        for pair in Mapping.objects.filter(
            Q(organisation__isnull=True) | Q(organisation=organisation),
            source_id__in=involved,
            target_id__in=involved,
        ).values_list("source_id", "target_id")
    }
    first_line: dict[frozenset, int] = {}
    for line, source, target, _, _ in planned:
        pair = frozenset((source.pk, target.pk))
        if pair in existing:
            problems.append(
                Problem(line, f"{_label(source)} and {_label(target)} are already mapped.")
            )
        elif pair in first_line:
            problems.append(Problem(line, f"repeats the mapping on line {first_line[pair]}."))
        else:
            first_line[pair] = line

    if problems:
        raise MappingImportError(sorted(problems, key=lambda p: p.line or 0))
    try:
        with transaction.atomic():
            return _mappings_insert(planned, organisation, actor)
    except DatabaseError as exc:
        # The database failed part-way: the insert is rolled back, so nothing was imported.
        logger.exception("Mapping import for %s failed in the database", organisation)
        raise MappingImportError([Problem(None, DATABASE_FAILED)]) from exc


def _mappings_insert(planned, organisation: Organisation, actor) -> list[Mapping]:
    created = bulk_insert(
        [
            Mapping(
                organisation=organisation,
                source=source,
                target=target,
                strength=strength,
                note=note,
                created_by=actor,
            )
            for _, source, target, strength, note in planned
        ]
    )
    audit_log_created(created, actor=actor)  # the entries each save() would have written
    return created


# --- Courses ----------------------------------------------------------------------------------


def _checked_covers(organisation: Organisation, covers: Iterable[Competency]) -> list[Competency]:
    covers = list(covers)
    refused = [c for c in covers if not _usable_by(c, organisation.pk)]
    if refused:
        raise ValidationError({"covers": _not_usable(refused[0])})
    return covers


@transaction.atomic
def course_create(
    *,
    organisation: Organisation,
    name: str,
    provider: str = "",
    covers: Iterable[Competency] = (),
    actor=None,
) -> Course:
    """Existing education the organisation runs or buys, and the competencies it covers."""
    covers = _checked_covers(organisation, covers)
    course = Course(
        organisation=organisation, name=(name or "").strip(), provider=(provider or "").strip()
    )
    course.full_clean()
    course.save()
    course.covers.set(covers)
    return course


@transaction.atomic
def course_update(
    *,
    course: Course,
    name: str,
    provider: str = "",
    covers: Iterable[Competency] | None = None,
    actor=None,
) -> Course:
    course.name, course.provider = (name or "").strip(), (provider or "").strip()
    course.full_clean()
    course.save()
    if covers is not None:
        course.covers.set(_checked_covers(course.organisation, covers))
    return course


# --- Role profiles ----------------------------------------------------------------------------


@transaction.atomic
def role_profile_get_or_create(programme: Programme) -> RoleProfile:
    profile, _ = RoleProfile.objects.get_or_create(programme=programme)
    return profile


def _check_target(competency: Competency, target_level: int) -> None:
    scale = competency.effective_scale()
    if not 0 <= target_level < len(scale.levels):
        raise ValidationError(
            {
                "target_level": (
                    f"{_label(competency)} is measured on “{scale.name}”, which has no such level."
                )
            }
        )
    if not scale.is_proficient(target_level):
        # A target says what competent looks like: "Not yet competent" is never one.
        raise ValidationError(
            {
                "target_level": (
                    f"“{scale.levels[target_level]['name']}” is not a proficient level of "
                    f"“{scale.name}”: choose a level at which {_label(competency)} is competent."
                )
            }
        )


def _check_kind(kind: str) -> None:
    if kind not in RoleProfileItem.Kind.values:
        raise ValidationError({"kind": "Choose core or role-specific."})


@transaction.atomic
def role_profile_add(
    *,
    profile: RoleProfile,
    competencies: Iterable[Competency],
    kind: str,
    target_level: int | None = None,
) -> list[RoleProfileItem]:
    """Add competencies to the role profile, after the ones already there. ``target_level``
    None gives each the first proficient level of its own scale; a number must be a level of
    every competency's scale. Locks the profile row so two leads adding at once keep a clean
    order. Refuses competencies the programme's organisation cannot use and ones already in."""
    competencies = list(dict.fromkeys(competencies))
    if not competencies:
        raise ValidationError({"competencies": "Select at least one competency."})
    _check_kind(kind)
    RoleProfile.objects.select_for_update().filter(pk=profile.pk).first()
    organisation_id = profile.programme.organisation_id
    for competency in competencies:
        if not _usable_by(competency, organisation_id):
            raise ValidationError({"competencies": _not_usable(competency)})
        if target_level is not None:
            _check_target(competency, target_level)
    already = set(
        profile.items.filter(competency__in=competencies).values_list("competency_id", flat=True)
    )
    if already:
        names = ", ".join(_label(c) for c in competencies if c.pk in already)
        raise ValidationError({"competencies": f"Already in the role profile: {names}."})
    last = profile.items.aggregate(last=Max("sort_order"))["last"] or 0
    items = []
    for offset, competency in enumerate(competencies, start=1):
        item = RoleProfileItem(
            profile=profile,
            competency=competency,
            kind=kind,
            target_level=(
                competency.effective_scale().first_proficient_index
                if target_level is None
                else target_level
            ),
            sort_order=last + offset,
        )
        item.full_clean(validate_constraints=False)
        item.save()
        items.append(item)
    profile.save(update_fields=["updated_at"])
    return items


@transaction.atomic
def role_profile_update_item(
    *, item: RoleProfileItem, kind: str, target_level: int
) -> RoleProfileItem:
    _check_kind(kind)
    _check_target(item.competency, target_level)
    item.kind, item.target_level = kind, target_level
    item.full_clean(validate_constraints=False)
    item.save(update_fields=["kind", "target_level"])
    item.profile.save(update_fields=["updated_at"])
    return item


@transaction.atomic
def role_profile_remove(*, item: RoleProfileItem) -> None:
    profile = item.profile
    item.delete()
    profile.save(update_fields=["updated_at"])
