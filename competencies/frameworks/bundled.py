"""The national frameworks Ladder ships ready to use, loaded through the Moodle importer.

``load_bundled_frameworks()`` is what ``manage.py load_frameworks`` and the demo data call. It
is idempotent: a national framework whose ID number is already there is left exactly as it is
(including any edits made in Ladder since), so loading twice changes nothing.

The data lives in ``data/`` as plain tables; here each becomes a
:class:`~competencies.frameworks.moodle_csv.ParsedFramework`, the same thing a Moodle CSV file reads as,
and goes through :func:`~competencies.frameworks.services.framework_import`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from ..models import Framework
from . import moodle_csv
from .data import care_certificate, cstf, ksf, nos
from .services import FrameworkDetails, framework_import

# Every bundled framework rates on this scale.
COMPETENT_SCALE = moodle_csv.Scale(
    values=("Not yet competent", "Competent"),
    configuration=(
        moodle_csv.ScaleItemConfig(id=1, scale_default=True),
        moodle_csv.ScaleItemConfig(id=2, proficient=True),
    ),
)
PLAIN = moodle_csv.FORMAT_PLAIN
SHORT_NAME_LIMIT = moodle_csv.MAX_NAME_LENGTH


@dataclass(frozen=True)
class Bundled:
    parsed: moodle_csv.ParsedFramework
    details: FrameworkDetails

    @property
    def id_number(self) -> str:
        return self.parsed.framework.id_number


@dataclass(frozen=True)
class LoadResult:
    framework: Framework
    created: bool
    competency_count: int


def _short(title: str) -> str:
    """A title as a short name: Moodle's (and Ladder's) limit is 100 characters. Longer titles
    are cut at a word and the full title goes in the description."""
    if len(title) <= SHORT_NAME_LIMIT:
        return title
    return title[: SHORT_NAME_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def _framework(
    id_number: str, short_name: str, description: str, taxonomies: tuple[str, ...]
) -> moodle_csv.Framework:
    return moodle_csv.Framework(
        id_number=id_number,
        short_name=short_name,
        description=description,
        description_format=PLAIN,
        scale=COMPETENT_SCALE,
        taxonomies=taxonomies,
    )


def _competency(id_number: str, title: str, *, parent: str | None = None, description: str = ""):
    if len(title) > SHORT_NAME_LIMIT and not description:
        description = title
    return moodle_csv.Competency(
        id_number=id_number,
        short_name=_short(title),
        description=description,
        description_format=PLAIN if description else moodle_csv.FORMAT_HTML,
        parent_id_number=parent,
    )


def _care_certificate(version: str) -> Bundled:
    spec = care_certificate.VERSIONS[version]
    competencies = [
        _competency(f"{spec['id_prefix']}{number}", title, description=f"Standard {number}")
        for number, title in enumerate(spec["standards"], 1)
    ]
    return Bundled(
        moodle_csv.ParsedFramework(
            framework=_framework(
                spec["id_number"],
                care_certificate.SHORT_NAME,
                spec["description"],
                care_certificate.TAXONOMIES,
            ),
            competencies=tuple(competencies),
        ),
        FrameworkDetails(
            family=care_certificate.FAMILY,
            version=version,
            source=spec["source"],
            licence_note=care_certificate.LICENCE_NOTE,
            source_note=spec["source_note"],
        ),
    )


def _ksf() -> Bundled:
    competencies, notes = [], {}
    for code, name in ksf.DIMENSIONS:
        group = ksf.GROUPS[code.rstrip("0123456789")]
        dimension_id = f"KSF-{code}"
        competencies.append(_competency(dimension_id, name, description=f"{group} ({code})"))
        for level in ksf.LEVELS:
            level_id = f"{dimension_id}-L{level}"
            title = ksf.LEVEL_TITLES.get((code, level))
            if title is None:
                notes[level_id] = ksf.UNVERIFIED_NOTE
            elif (code, level) in ksf.UNVERIFIED_TITLES:
                notes[level_id] = ksf.UNVERIFIED_TITLES[(code, level)]
            competencies.append(
                _competency(level_id, title or f"Level {level}", parent=dimension_id)
            )
    return Bundled(
        moodle_csv.ParsedFramework(
            framework=_framework(ksf.ID_NUMBER, ksf.SHORT_NAME, ksf.DESCRIPTION, ksf.TAXONOMIES),
            competencies=tuple(competencies),
        ),
        FrameworkDetails(
            family=ksf.FAMILY,
            version=ksf.VERSION,
            source=ksf.SOURCE,
            licence_note=ksf.LICENCE_NOTE,
            source_note=ksf.SOURCE_NOTE,
            competency_notes=notes,
        ),
    )


def _flat(module, items) -> Bundled:
    return Bundled(
        moodle_csv.ParsedFramework(
            framework=_framework(
                module.ID_NUMBER, module.SHORT_NAME, module.DESCRIPTION, module.TAXONOMIES
            ),
            competencies=tuple(_competency(id_number, title) for id_number, title in items),
        ),
        FrameworkDetails(
            family=module.FAMILY,
            version=module.VERSION,
            source=module.SOURCE,
            licence_note=module.LICENCE_NOTE,
            source_note=module.SOURCE_NOTE,
        ),
    )


def bundled_frameworks() -> list[Bundled]:
    """Every framework Ladder ships, as parsed frameworks with their details (no database)."""
    return [
        _care_certificate("2015"),
        _care_certificate("2025"),
        _ksf(),
        _flat(nos, nos.STANDARDS),
        _flat(cstf, cstf.SUBJECTS),
    ]


def load_bundled_frameworks() -> list[LoadResult]:
    """Load the bundled national frameworks that are not there yet; leave the others alone.

    Returns one result per bundled framework, saying whether it was created now. Safe to run
    at every deploy and from the demo data, and from two processes at once: the database's
    unique constraint on national ID numbers lets only one of them create each framework, and
    the other reports it as already there.
    """
    results = []
    for bundled in bundled_frameworks():
        national = Framework.objects.filter(organisation__isnull=True, id_number=bundled.id_number)
        existing = national.first()
        if existing is None:
            try:
                framework = framework_import(
                    parsed=bundled.parsed, organisation=None, details=bundled.details
                )
            except ValidationError:
                existing = national.first()  # loaded by someone else since we looked
                if existing is None:
                    raise
            else:
                results.append(LoadResult(framework, True, len(bundled.parsed.competencies)))
                continue
        results.append(LoadResult(existing, False, existing.competencies.count()))
    return results
