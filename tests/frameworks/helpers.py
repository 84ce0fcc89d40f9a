"""Shared bits for the framework tests: small files built by hand, and a framework of any size
made through the import service. The Moodle-format fixture files are in ``tests/moodle_files.py``."""

from __future__ import annotations

from competencies.frameworks import moodle_csv
from competencies.frameworks.services import framework_import
from competencies.models import Competency, Framework, Scale

HEADER = ",".join(f'"{h}"' for h in moodle_csv.HEADER)
SCALE = (
    '"Not yet competent,Competent","[{""scaleid"":""2""},{""id"":1,""scaledefault"":1,'
    '""proficient"":0},{""id"":2,""scaledefault"":0,""proficient"":1}]"'
)
FRAMEWORK_ROW = f",FW,Framework,,1,{SCALE},,,,,,1,domain"


def competency_row(id_number: str, parent: str = "", name: str = "") -> str:
    return f"{parent},{id_number},{name or 'Name ' + id_number},,1,,,,0,null,,,,"


def csv_file(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


COMPETENT = moodle_csv.Scale(
    values=("Not yet competent", "Competent"),
    configuration=(
        moodle_csv.ScaleItemConfig(id=1, scale_default=True),
        moodle_csv.ScaleItemConfig(id=2, proficient=True),
    ),
)


def make_framework(organisation, *, size: int, id_number: str = "SIZED") -> Framework:
    """A framework of ``size`` competencies in a tree of domains of five, each domain's first
    two children cross-referenced, and every fifth child with a scale of its own."""
    own_scale = moodle_csv.Scale(
        values=("Novice", "Competent", "Expert"),
        configuration=(
            moodle_csv.ScaleItemConfig(id=1, scale_default=True),
            moodle_csv.ScaleItemConfig(id=2, proficient=True),
            moodle_csv.ScaleItemConfig(id=3, proficient=True),
        ),
        moodle_scale_id="7",
    )
    competencies = []
    domain = None
    for n in range(size):
        if n % 5 == 0:
            domain = f"D{n}"
            competencies.append(
                moodle_csv.Competency(
                    id_number=domain,
                    short_name=f"Domain {n}",
                    description=f"<p>Domain <b>{n}</b></p>",
                )
            )
            continue
        competencies.append(
            moodle_csv.Competency(
                id_number=f"C{n}",
                short_name=f"Competency {n}",
                parent_id_number=domain,
                description="<ul><li>one</li><li>two</li></ul>",
                scale=own_scale if n % 5 == 4 else None,
                cross_references=(f"C{n + 1}",) if n % 5 == 1 and n + 1 < size else (),
            )
        )
    parsed = moodle_csv.ParsedFramework(
        framework=moodle_csv.Framework(
            id_number=id_number,
            short_name=f"Framework of {size}",
            scale=COMPETENT,
            taxonomies=("domain", "competency"),
        ),
        competencies=tuple(competencies),
    )
    return framework_import(parsed=parsed, organisation=organisation)


def row_counts() -> tuple[int, int, int, int]:
    return (
        Framework.objects.count(),
        Competency.objects.count(),
        Scale.objects.count(),
        Competency.related.through.objects.count(),
    )
