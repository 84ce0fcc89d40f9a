"""make test's security step: bandit over Ladder's own code, then pip-audit over the pinned
packages. Exits non-zero on any bandit finding or any known vulnerability.

pip-audit needs a vulnerability database on the network (PyPI's JSON API per release, or
OSV). Where neither answers, as on machines whose only route out is a package mirror, it
prints plainly that the packages were NOT audited and why, and does not fail the run: a closed
network is not a vulnerability, and it is not a pass either. Set LADDER_REQUIRE_AUDIT=1 (on a
machine with internet access) to make an unreachable database fail the step.
"""

from __future__ import annotations

import json
import os
import subprocess  # runs bandit and pip-audit only # nosec B404
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Both files named: pip-audit does not follow requirements-dev.txt's "-r requirements.txt".
REQUIREMENTS = ("requirements.txt", "requirements-dev.txt")
SERVICES = ("pypi", "osv")  # tried in turn until one answers for the packages
# Known vulnerabilities accepted for now, each with the reason (pip-audit --ignore-vuln).
ACCEPTED_VULNERABILITIES: dict[str, str] = {}


def run_bandit(paths: list[str] | None = None) -> int:
    """Bandit with the scope and exceptions in pyproject.toml ([tool.bandit]); # nosec lines
    carry their reason beside them."""
    command = [sys.executable, "-m", "bandit", "-c", str(ROOT / "pyproject.toml"), "-q", "-r", *(paths or ["."])]
    print("bandit:", " ".join(command[2:]), flush=True)
    result = subprocess.run(command, cwd=ROOT, check=False)  # noqa: S603 (fixed command line, no shell) # nosec B603
    if result.returncode == 0:
        print("bandit: no issues in Ladder's code.")
    return result.returncode


@dataclass
class AuditOutcome:
    status: str  # "clean", "vulnerable", "not audited"
    audited: int = 0
    skipped: list[str] = field(default_factory=list)
    vulnerabilities: list[str] = field(default_factory=list)
    reason: str = ""


def judge_audit(report: dict | None, *, error: str = "") -> AuditOutcome:
    """What a pip-audit JSON report says. ``None`` (with ``error``) when pip-audit could not
    reach its service at all."""
    if report is None:
        return AuditOutcome("not audited", reason=error or "pip-audit gave no report")
    audited, skipped, vulnerabilities = 0, [], []
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            skipped.append(f"{dependency['name']}: {dependency['skip_reason']}")
            continue
        audited += 1
        for vuln in dependency.get("vulns", []):
            if vuln["id"] in ACCEPTED_VULNERABILITIES:
                continue
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            vulnerabilities.append(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixes})")
    if vulnerabilities:
        return AuditOutcome("vulnerable", audited, skipped, vulnerabilities)
    if audited == 0:
        reason = f"all {len(skipped)} packages skipped, e.g. {skipped[0]}" if skipped else "no packages listed"
        return AuditOutcome("not audited", 0, skipped, reason=reason)
    return AuditOutcome("clean", audited, skipped)


def audit_with(service: str) -> AuditOutcome:
    command = [
        sys.executable, "-m", "pip_audit", "--vulnerability-service", service,
        *(arg for name in REQUIREMENTS for arg in ("-r", name)),
        "--no-deps", "--disable-pip", "--progress-spinner", "off", "--format", "json", "--timeout", "20",
    ]
    for vuln_id in ACCEPTED_VULNERABILITIES:
        command += ["--ignore-vuln", vuln_id]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603 (fixed command line, no shell) # nosec B603
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        last_line = (result.stderr.strip().splitlines() or ["no output"])[-1]
        return judge_audit(None, error=f"{service}: {last_line[:300]}")
    return judge_audit(report)


def run_pip_audit() -> int:
    outcome = AuditOutcome("not audited")
    reasons = []
    for service in SERVICES:
        outcome = audit_with(service)
        if outcome.status != "not audited":
            break
        reasons.append(f"{service}: {outcome.reason}")
    if outcome.status == "vulnerable":
        print("pip-audit: known vulnerabilities in pinned packages:")
        print("\n".join(f"  {line}" for line in outcome.vulnerabilities))
        return 1
    if outcome.status == "clean":
        print(f"pip-audit ({service}): {outcome.audited} pinned packages audited, no known vulnerabilities.")
        if outcome.skipped:
            print(f"pip-audit: {len(outcome.skipped)} not audited:")
            print("\n".join(f"  {line}" for line in outcome.skipped))
        return 0
    print("pip-audit: NOT AUDITED. No vulnerability database answered for the pinned packages, so")
    print("nothing was checked (this is a skip, not a pass). Reasons:")
    print("\n".join(f"  {line}" for line in reasons))
    if os.environ.get("LADDER_REQUIRE_AUDIT") == "1":
        print("pip-audit: LADDER_REQUIRE_AUDIT=1, so an unaudited run fails.")
        return 1
    return 0


def main() -> int:
    bandit = run_bandit()
    audit = run_pip_audit()
    return 1 if bandit or audit else 0


if __name__ == "__main__":
    sys.exit(main())
