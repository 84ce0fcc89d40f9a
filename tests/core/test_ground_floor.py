"""core is the ground floor: it imports no Ladder app, so every app can build on it."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("old_path", [
    "programmes.access", "programmes.http", "programmes.pagination", "programmes.audit",
    "programmes.middleware", "programmes.context_processors", "competencies.moodle_csv",
])
def test_the_toolkit_has_one_home_and_no_old_paths(old_path):
    """The shared parts moved to core (and the Moodle reader to frameworks): one path each."""
    assert importlib.util.find_spec(old_path) is None


def test_one_form_error_helper():
    from programmes import forms

    assert not hasattr(forms, "attach_errors")


@pytest.mark.parametrize("module, name", [
    ("competencies.evidence.forms", "add_service_errors"), ("trainees.forms", "add_service_errors"),
    ("trainees.views._common", "post_only"), ("reports.services", "QueueUnavailable"),
    ("privacy.services", "QueueUnavailable"), ("competencies.evidence.selectors", "add_months"),
    ("competencies.evidence.selectors", "datetime"), ("credentials.selectors", "STATUS_LIST_SIZE"),
])
def test_a_shared_part_is_imported_from_its_home_not_from_a_module_that_used_it(module, name):
    assert not hasattr(importlib.import_module(module), name)


def test_no_module_keeps_an_unused_import_for_others_to_import():
    """A re-export kept "while callers still import it from here" is a second path to one thing:
    ruff's F401 finds it, and only an app's ``ready()`` (importing receivers and checks for
    their side effects) may silence it."""
    shims = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ROOT.iterdir()
        if folder.is_dir() and not folder.name.startswith(".") and folder.name not in {"tests", "node_modules", "build"}
        for path in folder.rglob("*.py")
        if path.name != "apps.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "noqa: F401" in line
    ]
    assert shims == []
