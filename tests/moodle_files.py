"""Moodle competency-framework CSV files for the tests.

The suite carries its own small files (``tests/fixtures/moodle/``), written in the format Moodle's
``tool_lpimportcsv`` exports: 14 columns read by position, the framework row carrying the scale,
rows in any order, multi-line HTML descriptions, per-competency scales. They run everywhere,
a fresh clone included.

Real exports from Moodle sites sit in ``../shared/fixtures/moodle/`` on the development machines;
when that folder is there, the same checks run on them too, as an extra (they are skipped on a
clone with nothing beside it; ``LADDER_MOODLE_EXPORTS`` names another folder holding them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CARRIED = ROOT / "tests" / "fixtures" / "moodle"
# LADDER_MOODLE_EXPORTS points elsewhere (a worktree has no ../shared of its own).
REAL = Path(
    os.environ.get("LADDER_MOODLE_EXPORTS") or (ROOT / ".." / "shared" / "fixtures" / "moodle")
).resolve()

# name -> number of competencies (besides the framework row)
CARRIED_COUNTS = {
    "chain_ordered.csv": 4,
    "chain_unordered.csv": 4,
    "scales_per_competency.csv": 7,
    "standards_31_unordered.csv": 31,
}
REAL_COUNTS = {
    "Simple_Sample_ordered.csv": 4,
    "Simple_Sample_unordered.csv": 4,
    "2024_Sample_template.csv": 7,
    "iste-standards-for-educators-2018.csv": 31,
}
# Written as Moodle's exporter writes: the framework first, then the competencies in tree order.
TREE_ORDERED = ["chain_ordered.csv", "scales_per_competency.csv"]
REAL_TREE_ORDERED = ["Simple_Sample_ordered.csv", "2024_Sample_template.csv"]
# The same kind of rows in another order (children before parents, the framework last).
REORDERED = ["chain_unordered.csv", "standards_31_unordered.csv"]
REAL_REORDERED = ["Simple_Sample_unordered.csv", "iste-standards-for-educators-2018.csv"]

_NO_REAL = pytest.mark.skipif(
    not REAL.is_dir(), reason=f"the real Moodle exports are not beside the repository ({REAL})"
)


def fixture(name: str) -> Path:
    """One of the carried files."""
    path = CARRIED / name
    assert path.is_file(), f"missing carried fixture {path}"
    return path


def _params(carried: list[str], real: list[str]) -> list:
    return [pytest.param(CARRIED / name, id=name) for name in carried] + [
        pytest.param(REAL / name, id=f"real-{name}", marks=_NO_REAL) for name in real
    ]


def counted_files() -> list:
    """(path, competency count) for every carried file, and every real one when present."""
    return [
        pytest.param(CARRIED / name, count, id=name) for name, count in CARRIED_COUNTS.items()
    ] + [
        pytest.param(REAL / name, count, id=f"real-{name}", marks=_NO_REAL)
        for name, count in REAL_COUNTS.items()
    ]


def tree_ordered_files() -> list:
    return _params(TREE_ORDERED, REAL_TREE_ORDERED)


def reordered_files() -> list:
    return _params(REORDERED, REAL_REORDERED)
