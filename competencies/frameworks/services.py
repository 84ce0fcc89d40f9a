"""Writing frameworks: import from a parsed Moodle CSV file, and the export that goes with it;
how long their sign-offs stay valid and which competencies are delegated tasks.

``framework_import`` turns a :class:`~competencies.frameworks.moodle_csv.ParsedFramework` into rows, all or
nothing; ``framework_export`` turns the rows back into a Moodle file, so that export then import
gives the same tree, scales and cross-references. The bundled national frameworks load through
the same import (see ``bundled.py``).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from core.audit import audit_log_changed
from core.bulk import bulk_insert
from programmes.models import Membership, Organisation

from ..access import can_change_framework
from ..assessment.services import attainment_validity_refresh
from ..models import AttainmentDecision, Competency, Framework, Scale
from ..signals import announce_attainment_changed
from . import moodle_csv

logger = logging.getLogger(__name__)

DATABASE_FAILED = (
    "The database failed while importing the framework, so nothing was imported. Try again; "
    "if it happens again, tell your administrator."
)

# Ladder lets a framework name its levels in its own words ("dimension", "standard"); Moodle
# accepts only its fixed list, and reads an unknown term as an error. An export writes those
# as Moodle's neutral "competency".
MOODLE_TAXONOMY_FALLBACK = "competency"


@dataclass(frozen=True, kw_only=True)
class FrameworkDetails:
    """What Ladder records about a framework beyond the Moodle file: its family and version,
    where it comes from, its licence, and what in it is unverified (for the framework, and for
    single competencies by ID number)."""

    family: str = ""
    version: str = ""
    source: str = ""
    licence_note: str = ""
    source_note: str = ""
    competency_notes: Mapping[str, str] = field(default_factory=dict)


# --- Checks ----------------------------------------------------------------------------------


def _line(prefix_line: int | None) -> str:
    return f"Line {prefix_line}: " if prefix_line else ""


def _tree(parsed: moodle_csv.ParsedFramework) -> list[tuple[moodle_csv.Competency, int]]:
    """The competencies in tree order with their depth (1 = top level). ``read_framework``
    already orders and checks a file; a ParsedFramework built in Python (the bundled data) is
    checked here: every competency must be reachable exactly once."""
    depth_of: dict[str, int] = {}
    ordered = []
    for competency in moodle_csv.tree_order(parsed.competencies):
        parent = competency.parent_id_number
        depth = 1 if parent is None else depth_of[parent] + 1
        depth_of[competency.id_number] = depth
        ordered.append((competency, depth))
    return ordered


def framework_import_problems(
    *, parsed: moodle_csv.ParsedFramework, organisation: Organisation | None
) -> list[str]:
    """Why this framework cannot be imported into the organisation (None: as a national
    framework), as messages naming the line where the file gives one; empty if it can.

    Costs one query (is the ID number taken?). The file's own shape was checked by
    ``read_framework``; this adds what only the database knows, and the limits of Ladder's
    columns that Moodle's format does not have.
    """
    problems: list[str] = []
    fw = parsed.framework
    taken = Framework.objects.filter(id_number=fw.id_number)
    taken = (
        taken.filter(organisation__isnull=True)
        if organisation is None
        else taken.filter(organisation=organisation)
    )
    if taken.exists():
        owner = (
            "Ladder has a national framework"
            if organisation is None
            else (f"{organisation.name} already has a framework")
        )
        problems.append(
            f"{_line(fw.line)}{owner} with the ID number {fw.id_number!r}. Change the ID number "
            f"(column 2 of the framework row) to import this as a separate framework."
        )

    ordered = _tree(parsed)
    ids = [c.id_number for c in parsed.competencies]
    if len(ordered) != len(parsed.competencies) or len(set(ids)) != len(ids):
        placed = {c.id_number for c, _ in ordered}
        lost = sorted(set(ids) - placed) or sorted(i for i, n in Counter(ids).items() if n > 1)
        problems.append(
            "These competencies cannot be placed in the tree once each (a missing parent, a "
            "loop or a repeated ID number): " + ", ".join(repr(i) for i in lost) + "."
        )

    too_deep = [(c, depth) for c, depth in ordered if depth > moodle_csv.MAX_DEPTH]
    if too_deep:
        first, depth = too_deep[0]
        problems.append(
            f"{_line(first.line)}{first.id_number!r} is nested {depth} levels deep; Ladder takes "
            f"frameworks at most {moodle_csv.MAX_DEPTH} levels deep."
        )

    known = set(ids)
    for c in parsed.competencies:
        unknown = [ref for ref in c.cross_references if ref not in known or ref == c.id_number]
        if unknown:
            problems.append(
                f"{_line(c.line)}{c.id_number!r} cross-references "
                + ", ".join(repr(ref) for ref in unknown)
                + ", which cannot be related to it (not in the framework, or itself)."
            )

    exported_limit = Competency._meta.get_field("exported_id").max_length
    rule_limit = Competency._meta.get_field("rule_type").max_length
    for c in parsed.competencies:
        if c.exported_id is not None and len(c.exported_id) > exported_limit:
            problems.append(
                f"{_line(c.line)}The Exported ID (column 12) of {c.id_number!r} is "
                f"{len(c.exported_id)} characters long; the most Ladder keeps is {exported_limit}."
            )
        if c.rule_type is not None and len(c.rule_type) > rule_limit:
            problems.append(
                f"{_line(c.line)}The rule type (column 8) of {c.id_number!r} is longer than "
                f"{rule_limit} characters."
            )
        if not 0 <= c.rule_outcome <= 32767:
            problems.append(f"{_line(c.line)}The rule outcome (column 9) is out of range.")
    scale_limit = Scale._meta.get_field("moodle_scale_id").max_length
    for where, scale in [(fw.line, fw.scale)] + [(c.line, c.scale) for c in parsed.competencies]:
        if scale is not None and scale.moodle_scale_id and len(scale.moodle_scale_id) > scale_limit:
            problems.append(
                f"{_line(where)}The scale id in the Scale configuration (column 7) is longer "
                f"than {scale_limit} characters."
            )
    return problems


# --- Import ----------------------------------------------------------------------------------


def _scale_key(scale: moodle_csv.Scale) -> tuple:
    return (scale.values, scale.default_value, scale.proficient_values, scale.moodle_scale_id)


def _scale_row(scale: moodle_csv.Scale) -> Scale:
    proficient = set(scale.proficient_values)
    default = scale.default_value
    return Scale(
        name=", ".join(scale.values)[: Scale._meta.get_field("name").max_length],
        levels=[{"name": value, "proficient": value in proficient} for value in scale.values],
        default_index=scale.values.index(default) if default in scale.values else 0,
        moodle_scale_id=scale.moodle_scale_id or "",
    )


def framework_import(
    *,
    parsed: moodle_csv.ParsedFramework,
    organisation: Organisation | None,
    actor=None,
    details: FrameworkDetails | None = None,
) -> Framework:
    """Create a framework, its scales, its competencies and their cross-references from a
    parsed Moodle file, in one transaction: either all of it is imported or nothing is.

    ``organisation`` None imports a national framework (the bundled ones; the command line).
    Raises ValidationError (a list of messages, each naming the file's line where there is
    one) if the organisation already has a framework with this ID number, or a value does
    not fit Ladder's columns.

    Costs a fixed handful of queries plus one INSERT per depth of the tree: competencies are
    bulk-created level by level, so every parent has its primary key before its children are
    inserted. Scales are created once per distinct scale in the file (identical scales
    within a file share a row; scales are never shared with other frameworks, so changing one
    framework's scale cannot change another's).

    ``actor`` is who imported it (recorded by the caller's audit trail when there is one;
    frameworks carry no author column). ``details`` adds what the Moodle format has no column
    for: family, version, source, licence and source notes.
    """
    details = details or FrameworkDetails()
    problems = framework_import_problems(parsed=parsed, organisation=organisation)
    if problems:
        raise ValidationError(problems)
    try:
        with transaction.atomic():
            framework = _create(parsed, organisation, details)
    except IntegrityError as exc:
        # Someone imported the same ID number between the check and the insert.
        raise ValidationError(
            f"A framework with the ID number {parsed.framework.id_number!r} was imported at the "
            f"same time; nothing was imported."
        ) from exc
    except DatabaseError as exc:
        # The database failed part-way (connection lost, disk full): the transaction is rolled
        # back, so say that nothing was imported rather than answer 500.
        logger.exception("Framework %s import failed in the database", parsed.framework.id_number)
        raise ValidationError(DATABASE_FAILED) from exc
    logger.info(
        "Framework %s (pk %s, %s competencies) imported for %s by %s",
        framework.id_number,
        framework.pk,
        len(parsed.competencies),
        organisation or "everyone (national)",
        actor or "a command",
    )
    return framework


def _create(
    parsed: moodle_csv.ParsedFramework, organisation: Organisation | None, details: FrameworkDetails
) -> Framework:
    fw = parsed.framework
    scales: dict[tuple, Scale] = {}
    for scale in [fw.scale] + [c.scale for c in parsed.competencies if c.scale is not None]:
        scales.setdefault(_scale_key(scale), _scale_row(scale))
    for row in scales.values():
        row.full_clean()
    Scale.objects.bulk_create(scales.values())

    framework = Framework(
        organisation=organisation,
        id_number=fw.id_number,
        short_name=fw.short_name,
        description=fw.description,
        description_format=fw.description_format,
        taxonomies=list(fw.taxonomies),
        scale=scales[_scale_key(fw.scale)],
        family=details.family,
        version=details.version,
        source=details.source,
        licence_note=details.licence_note,
        source_note=details.source_note,
    )
    framework.full_clean()
    framework.save()

    by_depth: dict[int, list[tuple[moodle_csv.Competency, Competency]]] = {}
    for sort_order, (c, depth) in enumerate(_tree(parsed)):
        row = Competency(
            framework=framework,
            id_number=c.id_number,
            short_name=c.short_name,
            description=c.description,
            description_format=c.description_format,
            depth=depth,
            sort_order=sort_order,
            scale=scales[_scale_key(c.scale)] if c.scale is not None else None,
            rule_type=c.rule_type or "",
            rule_outcome=c.rule_outcome,
            rule_config=c.rule_config or "",
            exported_id=c.exported_id or "",
            source_note=details.competency_notes.get(c.id_number, ""),
        )
        _check_fields(row, c.line)
        by_depth.setdefault(depth, []).append((c, row))

    saved: dict[str, Competency] = {}
    for depth in sorted(by_depth):
        rows = []
        for c, row in by_depth[depth]:
            if c.parent_id_number is not None:
                row.parent = saved[c.parent_id_number]
            rows.append(row)
        for row in bulk_insert(rows):  # a level at a time: a parent's key before its children
            saved[row.id_number] = row

    through = Competency.related.through
    links = []
    for pair in parsed.related_pairs():
        a, b = sorted(pair)
        links.append(through(from_competency=saved[a], to_competency=saved[b]))
        links.append(through(from_competency=saved[b], to_competency=saved[a]))
    bulk_insert(links)
    return framework


def _check_fields(row: Competency, line: int | None) -> None:
    # The foreign keys are checked by construction (and each would cost a query).
    try:
        row.clean_fields(exclude=["framework", "parent", "scale"])
    except ValidationError as exc:
        raise ValidationError(
            [
                f"{_line(line)}{row.id_number!r}: {name}: {message}"
                for name, messages in exc.message_dict.items()
                for message in messages
            ]
        ) from exc


# --- Export ----------------------------------------------------------------------------------


def _parsed_scale(scale: Scale) -> moodle_csv.Scale:
    # Moodle's scale dialog lists the values that are the default or proficient; so do we.
    items = tuple(
        moodle_csv.ScaleItemConfig(
            id=position,
            scale_default=index == scale.default_index,
            proficient=bool(level.get("proficient")),
        )
        for index, level in enumerate(scale.levels)
        for position in [index + 1]
        if index == scale.default_index or level.get("proficient")
    )
    return moodle_csv.Scale(
        values=tuple(level["name"] for level in scale.levels),
        configuration=items,
        moodle_scale_id=scale.moodle_scale_id or None,
    )


def framework_as_parsed(*, framework: Framework) -> moodle_csv.ParsedFramework:
    """The framework as the Moodle format's dataclasses. Three queries: the framework's scale
    (unless already loaded), its competencies with their scales, and its cross-references."""
    competencies = list(
        Competency.objects.filter(framework=framework)
        .select_related("scale")
        .order_by("sort_order", "pk")
    )
    by_pk = {c.pk: c for c in competencies}
    position = {c.pk: index for index, c in enumerate(competencies)}
    related: dict[int, list[int]] = {}
    through = Competency.related.through
    for a, b in through.objects.filter(from_competency__framework=framework).values_list(
        "from_competency_id", "to_competency_id"
    ):
        if a != b and b in by_pk:
            related.setdefault(a, []).append(b)

    parsed_competencies = [
        moodle_csv.Competency(
            id_number=c.id_number,
            short_name=c.short_name,
            description=c.description,
            description_format=c.description_format,
            parent_id_number=by_pk[c.parent_id].id_number if c.parent_id in by_pk else None,
            scale=_parsed_scale(c.scale) if c.scale is not None else None,
            rule_type=c.rule_type or None,
            rule_outcome=c.rule_outcome,
            rule_config=c.rule_config or None,
            cross_references=tuple(
                by_pk[other].id_number
                for other in sorted(set(related.get(c.pk, ())), key=position.get)
            ),
            exported_id=c.exported_id or None,
        )
        for c in competencies
    ]
    return moodle_csv.ParsedFramework(
        framework=moodle_csv.Framework(
            id_number=framework.id_number,
            short_name=framework.short_name,
            description=framework.description,
            description_format=framework.description_format,
            scale=_parsed_scale(framework.scale),
            taxonomies=tuple(
                term
                if term in moodle_csv.TAXONOMY_TERMS or term == ""
                else MOODLE_TAXONOMY_FALLBACK
                for term in framework.taxonomies
            ),
        ),
        competencies=tuple(parsed_competencies),
    )


def framework_export(*, framework: Framework) -> str:
    """The framework as the text of a Moodle competency-framework CSV file (encode as UTF-8).

    Competencies are written in tree order with their Exported ID as imported (empty for
    frameworks made in Ladder). Taxonomy terms Moodle does not know are written as
    "competency". Raises :class:`~competencies.frameworks.moodle_csv.MoodleCsvError` if the data could
    not be read back by Moodle (only possible after hand edits outside the importer).
    """
    return moodle_csv.write_framework(framework_as_parsed(framework=framework))


# --- Validity and delegated tasks ---------------------------------------------------------------

MAX_VALIDITY_MONTHS = 120  # ten years: a longer period is a typing slip, not a policy


@dataclass(frozen=True)
class CompetencyValidity:
    """What a lead sets for one competency: its own validity period in months (None: the
    framework's, or for a delegated task the organisation's default) and whether it is a
    delegated healthcare task."""

    months: int | str | None
    is_delegated_task: bool


@dataclass(frozen=True)
class ValidityChange:
    changed: int  # the framework and competencies whose settings changed
    versions_changed: int  # current sign-offs with a new last valid day
    expired: int  # of those, the ones that have now expired (announced)


def _whole_months(value, field: str, what: str) -> int | None:
    """Blank is None; otherwise a whole number of months from 1 to MAX_VALIDITY_MONTHS."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    message = (
        f"Enter {what} as a whole number of months from 1 to {MAX_VALIDITY_MONTHS}, or leave it blank"
    )
    if isinstance(value, str) and value.strip().isdigit():
        months = int(value.strip())
    elif isinstance(value, int) and not isinstance(value, bool):
        months = value
    else:  # "1.5", "-3", "twelve", a float, True
        raise ValidationError({field: message})
    if not 1 <= months <= MAX_VALIDITY_MONTHS:
        raise ValidationError({field: message})
    return months


@transaction.atomic
def framework_validity_update(
    *,
    framework: Framework,
    membership: Membership,
    validity_months,
    competencies: Mapping[int, CompetencyValidity],
) -> ValidityChange:
    """Set how long the framework's sign-offs stay valid (None: they never expire) and, per
    competency (by pk; those left out keep theirs), its own period and whether it is a
    delegated task. A delegated task with no period of its own or its framework's runs for the
    organisation's default (AssessmentPolicy.delegated_task_validity_months, a year): see
    competencies.validity.

    Only a training lead of the framework's own organisation (national frameworks are changed
    by administrators): PermissionDenied otherwise. All or nothing: every bad period is
    refused with a message keyed ``validity_months`` or ``months_<competency pk>``. Each change
    is audited. The current sign-offs of the competencies whose period may have changed then
    run for the new period (assessment.services.attainment_validity_refresh, which runs the
    daily sweep for them: what has now expired is announced after commit). Locks the
    framework row."""
    if not can_change_framework(membership, framework):
        raise PermissionDenied(
            "National frameworks are changed by administrators; your own organisation's by its training leads."
        )
    locked = Framework.objects.select_for_update().get(pk=framework.pk)
    rows = {c.pk: c for c in Competency.objects.filter(framework=locked).order_by("pk")}
    errors: dict[str, list[str]] = {}
    try:
        months = _whole_months(validity_months, "validity_months", "how long sign-offs stay valid")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    wanted: dict[int, tuple[int | None, bool]] = {}
    for pk, setting in competencies.items():
        competency = rows.get(int(pk))
        if competency is None:
            errors.setdefault("__all__", []).append(
                "A competency in the form is not in this framework: reload the page"
            )
            continue
        try:
            own = _whole_months(setting.months, f"months_{competency.pk}", f"the period for {competency.id_number}")
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        wanted[competency.pk] = (own, bool(setting.is_delegated_task))
    if errors:
        raise ValidationError(errors)

    affected: set[int] = set()
    changed = 0
    if locked.validity_months != months:
        locked.validity_months = months
        locked.full_clean()
        with set_actor(membership.user):
            locked.save(update_fields=["validity_months", "updated_at"])
        affected.update(rows)
        changed += 1
    audit, updated = [], []
    for pk, (own, delegated) in wanted.items():
        competency = rows[pk]
        old = {"reassessment_months": competency.reassessment_months, "is_delegated_task": competency.is_delegated_task}
        if (own, delegated) == tuple(old.values()):
            continue
        competency.reassessment_months, competency.is_delegated_task = own, delegated
        audit.append((competency, {name: (was, getattr(competency, name)) for name, was in old.items()}))
        updated.append(competency)
        affected.add(pk)
    Competency.objects.bulk_update(updated, ["reassessment_months", "is_delegated_task"], batch_size=1000)
    audit_log_changed(audit, actor=membership.user)
    versions, expired = attainment_validity_refresh(competency_ids=sorted(affected), actor=membership.user)
    # A task just made a delegated one: the sign-offs it already has earn their credentials now,
    # not at the next sign-off (credentials re-read each pair and issue what is earned).
    newly_delegated = [c.pk for c, was in audit if c.is_delegated_task and not was["is_delegated_task"][0]]
    if newly_delegated:
        announce_attainment_changed(
            AttainmentDecision.objects.filter(competency_id__in=newly_delegated)
            .values_list("trainee_id", "competency_id").distinct(),
            "delegated",
        )
    return ValidityChange(changed=changed + len(updated), versions_changed=versions, expired=expired)
