"""axe-core in the browser: assert_accessible(page) fails on serious or critical WCAG problems.

axe-core comes from npm (package.json devDependencies). Ladder's pages have a strict Content
Security Policy with no inline scripts, so axe is not added as a <script> tag: its source is
evaluated through the DevTools protocol (page.evaluate), which the page's CSP does not govern.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the NHS.UK frontend is built to meet.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FAILING_IMPACTS = frozenset({"serious", "critical"})

# Findings checked by hand and judged to be accepted patterns of the NHS.UK frontend or axe's
# own mistakes, as (rule, CSS selector, pattern the whole failure summary must match, why).
# Keep each entry narrow: one rule, on one component, for one reason; anything else axe says
# about the same element still fails.
KNOWN_EXCEPTIONS: list[tuple[str, str, str, str]] = [
    (
        "aria-allowed-attr",
        "input.nhsuk-radios__input[aria-controls]",
        r"^Fix (any|all) of the following:\n"
        r'\s*ARIA attribute is not allowed: aria-expanded="(true|false)"$',
        # The frontend's radios script sets aria-expanded on a radio that reveals more
        # questions. ARIA 1.2 does not list it for radios (w3c/aria#1404 proposes it), but the
        # GOV.UK and NHS.UK design systems keep it on purpose after research with screen reader
        # users (alphagov/govuk-frontend#979, a documented known issue).
        "the design system's conditional reveal, kept on purpose",
    ),
    (
        "label-content-name-mismatch",
        "button.nhsuk-file-upload__drop-button",
        r"^Fix (any|all) of the following:\n"
        r"\s*Text inside the element is not included in the accessible name$",
        # The NHS.UK file upload's button is named by aria-labelledby="<label> <comma> <itself>",
        # so its name is "Attach files, No file chosen, Choose file or drop file", which holds
        # every visible word. axe joins the text of the status and button spans without a space
        # ("No file chosenChoose file") and then fails to find it in the name. Chromium's own
        # accessible name contains both visible phrases (checked in the accessibility tree).
        "axe joins the drop button's inner spans without a space",
    ),
]


@cache
def axe_source() -> str:
    if not AXE_SOURCE.exists():
        raise RuntimeError(f"{AXE_SOURCE} is missing: run `npm ci` (make install does).")
    return AXE_SOURCE.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Run axe on the page as it is now; return its violations (every impact)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """async ([tags, ignored]) => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
                elementRef: true,
            });
            const isIgnored = (rule, node) => ignored.some(
                ([id, selector, summary]) => id === rule && node.element
                    && node.element.matches(selector)
                    && new RegExp(summary).test(node.failureSummary || "")
            );
            return results.violations.map(v => {
                const nodes = v.nodes.filter(n => !isIgnored(v.id, n));
                return {
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    targets: nodes.map(n => n.target.join(" ")),
                    summaries: nodes.map(n => n.failureSummary || ""),
                };
            }).filter(v => v.targets.length > 0);
        }""",
        [WCAG_TAGS, [[rule, selector, summary] for rule, selector, summary, _ in KNOWN_EXCEPTIONS]],
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for target, summary in zip(violation["targets"], violation["summaries"], strict=False):
            first_reason = summary.splitlines()[1].strip() if "\n" in summary else summary
            lines.append(f"    {target}: {first_reason}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail, listing rule, impact and the elements, when axe finds a serious or critical issue."""
    serious = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
    if serious:
        raise AssertionError(
            f"axe found {len(serious)} serious or critical accessibility problem(s) on "
            f"{page.url}:\n{describe(serious)}"
        )
