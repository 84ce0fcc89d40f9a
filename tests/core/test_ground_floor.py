"""core is the ground floor: it imports no Ladder app, so every app can build on it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LADDER_APPS = {
    "programmes", "trainees", "competencies", "evaluations", "reports", "privacy",
    "dashboards", "api", "people", "delegation", "credentials", "config",
}


def _runtime_imports(path: Path) -> set[str]:
    """Top-level package names a module imports when it runs (``if TYPE_CHECKING`` blocks,
    which never run, are left out)."""
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and getattr(child.test, "id", "") == "TYPE_CHECKING":
                continue
            if isinstance(child, ast.Import):
                names.update(alias.name.split(".")[0] for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                names.add(child.module.split(".")[0])
            visit(child)

    visit(ast.parse(path.read_text()))
    return names


def test_core_imports_no_ladder_app():
    offenders = {
        str(path.relative_to(ROOT)): sorted(_runtime_imports(path) & LADDER_APPS)
        for path in (ROOT / "core").rglob("*.py")
    }
    assert {path: apps for path, apps in offenders.items() if apps} == {}


def test_the_old_paths_still_reach_the_moved_toolkit():
    from core import access, audit, pagination
    from programmes import access as old_access
    from programmes import audit as old_audit
    from programmes import pagination as old_pagination

    assert old_access.get_scoped_or_404 is access.get_scoped_or_404
    assert old_audit.audit_register is audit.audit_register
    assert old_pagination.paginate is pagination.paginate


def test_the_moodle_reader_lives_with_frameworks():
    from competencies import moodle_csv as old
    from competencies.frameworks import moodle_csv

    assert old.read_framework is moodle_csv.read_framework
