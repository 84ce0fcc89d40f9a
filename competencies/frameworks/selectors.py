"""Reading frameworks for the browser pages, with the queries decided here.

Each page costs a fixed number of queries whatever the framework's size: the list is one
annotated query; a framework's tree is one query for all its competencies (with their scales)
and one for its cross-references, put together in Python.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from programmes.models import Membership

from ..access import frameworks_visible_to
from ..models import Competency, Framework
from . import moodle_csv
from .text import Block, description_blocks, plain_text

_PLURALS = {"competency": "competencies", "proficiency": "proficiencies"}


def _counted(count: int, term: str) -> str:
    return f"{count} {term if count == 1 else _PLURALS.get(term, term + 's')}"


def _depth_summary(taxonomy_for_depth, depths: Counter) -> list[tuple[str, str]]:
    """("Top level", "30 dimensions"), ("Level 2", "120 levels"), ..."""
    return [
        (
            "Top level" if depth == 1 else f"Level {depth}",
            _counted(depths[depth], taxonomy_for_depth(depth)),
        )
        for depth in sorted(depths)
    ]


@dataclass
class FrameworkFamily:
    """The versions of one framework (a framework without a family stands alone)."""

    title: str
    family: str
    is_national: bool
    frameworks: list[Framework]


def framework_families_for(*, membership: Membership | None) -> list[FrameworkFamily]:
    """National frameworks and the acting organisation's own, grouped by family, each version
    with ``competency_count``. National families first, then the organisation's; newest
    version first within a family. One query."""
    frameworks = frameworks_visible_to(membership=membership).annotate(
        competency_count=Count("competencies")
    )
    groups: dict[tuple, list[Framework]] = {}
    for framework in frameworks:
        key = (framework.organisation_id or 0, framework.family or f"#{framework.pk}")
        groups.setdefault(key, []).append(framework)
    families = []
    for (_owner, family), members in groups.items():
        members.sort(key=lambda f: (f.version, f.pk), reverse=True)
        families.append(
            FrameworkFamily(
                title=members[0].short_name,
                family=family if not family.startswith("#") else "",
                is_national=members[0].is_national,
                frameworks=members,
            )
        )
    families.sort(key=lambda f: (not f.is_national, f.title.casefold()))
    return families


@dataclass
class Node:
    """A competency in the tree, with what the page shows about it."""

    competency: Competency
    taxonomy: str
    description: list[Block]
    related: list[Competency] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


@dataclass
class FrameworkTree:
    roots: list[Node]
    count: int
    depth_counts: list[tuple[str, str]]  # ("Top level", "30 dimensions"), per depth
    scale_overrides: int
    related_pairs: int


def framework_tree(*, framework: Framework) -> FrameworkTree:
    """All the framework's competencies as a tree, siblings in order. Two queries."""
    competencies = list(
        Competency.objects.filter(framework=framework)
        .select_related("scale")
        .order_by("sort_order", "pk")
    )
    by_pk = {c.pk: c for c in competencies}
    related: dict[int, list[int]] = {}
    pairs = set()
    through = Competency.related.through
    for a, b in through.objects.filter(from_competency__framework=framework).values_list(
        "from_competency_id", "to_competency_id"
    ):
        if a in by_pk and b in by_pk and a != b:
            related.setdefault(a, []).append(b)
            pairs.add(frozenset((a, b)))
    position = {c.pk: index for index, c in enumerate(competencies)}

    nodes = {
        c.pk: Node(
            competency=c,
            taxonomy=framework.taxonomy_for_depth(c.depth),
            description=description_blocks(c.description, c.description_format),
            related=[by_pk[pk] for pk in sorted(set(related.get(c.pk, ())), key=position.get)],
        )
        for c in competencies
    }
    roots = []
    for c in competencies:
        parent = nodes.get(c.parent_id) if c.parent_id else None
        (parent.children if parent else roots).append(nodes[c.pk])
    depths = Counter(c.depth for c in competencies)
    return FrameworkTree(
        roots=roots,
        count=len(competencies),
        depth_counts=_depth_summary(framework.taxonomy_for_depth, depths),
        scale_overrides=sum(1 for c in competencies if c.scale_id),
        related_pairs=len(pairs),
    )


# --- The import preview: a parsed file, before anything is written -----------------------------


@dataclass
class PreviewItem:
    id_number: str
    short_name: str
    taxonomy: str
    children: list[PreviewItem]
    more_children: int = 0
    descendants: int = 0


@dataclass
class ImportPreview:
    parsed: moodle_csv.ParsedFramework
    description: str
    count: int
    depth_counts: list[tuple[str, str]]
    scale_overrides: int
    related_pairs: int
    top: list[PreviewItem]
    proficient: tuple[str, ...]


PREVIEW_CHILDREN = 10


def import_preview(parsed: moodle_csv.ParsedFramework) -> ImportPreview:
    """What the preview page shows of a parsed file: counts, and the tree's first two levels
    (at most ``PREVIEW_CHILDREN`` children under each top-level competency). No queries."""
    fw = parsed.framework
    children: dict[str | None, list[moodle_csv.Competency]] = {}
    for c in parsed.competencies:
        children.setdefault(c.parent_id_number, []).append(c)

    def descendants(id_number: str) -> int:
        stack, total = list(children.get(id_number, ())), 0
        while stack:
            c = stack.pop()
            total += 1
            stack.extend(children.get(c.id_number, ()))
        return total

    top = []
    for c in children.get(None, []):
        kids = children.get(c.id_number, [])
        top.append(
            PreviewItem(
                id_number=c.id_number,
                short_name=c.short_name,
                taxonomy=fw.taxonomy_for_depth(1),
                children=[
                    PreviewItem(k.id_number, k.short_name, fw.taxonomy_for_depth(2), [])
                    for k in kids[:PREVIEW_CHILDREN]
                ],
                more_children=max(0, len(kids) - PREVIEW_CHILDREN),
                descendants=descendants(c.id_number),
            )
        )
    depths = Counter(c.depth for c in parsed.competencies)
    return ImportPreview(
        parsed=parsed,
        description=plain_text(fw.description, fw.description_format),
        count=len(parsed.competencies),
        depth_counts=_depth_summary(fw.taxonomy_for_depth, depths),
        scale_overrides=sum(1 for c in parsed.competencies if c.scale is not None),
        related_pairs=len(parsed.related_pairs()),
        top=top,
        proficient=fw.scale.proficient_values,
    )


def framework_competencies(*, framework: Framework) -> list[Competency]:
    """The framework's competencies in its order, for the validity form (names and settings
    only: no scale, no description). One query."""
    return list(
        Competency.objects.filter(framework=framework)
        .only("pk", "framework_id", "id_number", "short_name", "depth", "is_delegated_task", "reassessment_months")
        .order_by("sort_order", "pk")
    )
