"""make test's security step (scripts/security_checks.py): bandit fails on an issue in our
code, and pip-audit's report is read honestly: vulnerable fails, a report in which nothing was
audited is "not audited" (a skip, said plainly), never "clean"."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("security_checks", ROOT / "scripts" / "security_checks.py")
checks = importlib.util.module_from_spec(_spec)
sys.modules["security_checks"] = checks  # dataclasses look their module up there
_spec.loader.exec_module(checks)


def test_bandit_fails_on_an_issue_in_our_code(tmp_path, capsys):
    planted = tmp_path / "views.py"
    planted.write_text("import subprocess\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n")
    assert checks.run_bandit([str(planted)]) != 0


def test_bandit_passes_on_clean_code(tmp_path):
    clean = tmp_path / "views.py"
    clean.write_text("def add(a: int, b: int) -> int:\n    return a + b\n")
    assert checks.run_bandit([str(clean)]) == 0


def test_ladders_own_code_is_bandit_clean():
    assert checks.run_bandit() == 0


def _report(*dependencies):
    return {"dependencies": list(dependencies), "fixes": []}


def test_a_known_vulnerability_fails_the_audit():
    outcome = checks.judge_audit(_report(
        {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}]},
        {"name": "celery", "version": "5.7.0", "vulns": []},
    ))
    assert outcome.status == "vulnerable"
    assert outcome.vulnerabilities == ["django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)"]


def test_audited_packages_without_vulnerabilities_are_clean():
    outcome = checks.judge_audit(_report({"name": "django", "version": "5.2.19", "vulns": []}))
    assert (outcome.status, outcome.audited) == ("clean", 1)


def test_a_report_where_every_package_was_skipped_is_not_a_pass():
    outcome = checks.judge_audit(_report(
        {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)"},
    ))
    assert outcome.status == "not audited"
    assert "all 1 packages skipped" in outcome.reason


def test_an_unreachable_service_is_not_a_pass():
    outcome = checks.judge_audit(None, error="osv: Failed to resolve 'api.osv.dev'")
    assert outcome.status == "not audited" and "api.osv.dev" in outcome.reason


@pytest.mark.parametrize("required, code", [("", 0), ("1", 1)])
def test_not_audited_is_said_plainly_and_fails_only_when_required(monkeypatch, capsys, required, code):
    monkeypatch.setattr(checks, "audit_with", lambda service: checks.AuditOutcome("not audited", reason="offline"))
    monkeypatch.setenv("LADDER_REQUIRE_AUDIT", required)
    assert checks.run_pip_audit() == code
    assert "NOT AUDITED" in capsys.readouterr().out


def test_a_vulnerability_found_by_the_second_service_fails(monkeypatch):
    outcomes = {
        "pypi": checks.AuditOutcome("not audited", reason="offline"),
        "osv": checks.AuditOutcome("vulnerable", 3, vulnerabilities=["x 1.0: GHSA-1 (fixed in 1.1)"]),
    }
    monkeypatch.setattr(checks, "audit_with", outcomes.__getitem__)
    assert checks.run_pip_audit() == 1
