"""A training lead builds a role profile from a national framework and the trust's own, maps
an own competency to a national one, and reads the gap analysis."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from competencies.models import Competency, Framework, Scale

from ..conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _frameworks(world) -> None:
    scale = Scale.objects.create(
        name="Competence",
        levels=[
            {"name": "Not yet competent", "proficient": False},
            {"name": "Competent", "proficient": True},
        ],
    )
    national = Framework.objects.create(
        id_number="CC-2015", short_name="Care Certificate", version="2015", scale=scale
    )
    own = Framework.objects.create(
        organisation=world.organisation,
        id_number="ACME-IAP",
        short_name="Inpatient AP competencies",
        scale=scale,
    )
    for framework, rows in (
        (
            national,
            [
                ("CC5", "Work in a person-centred way"),
                ("CC6", "Communication"),
                ("CC13", "Health and safety"),
            ],
        ),
        (
            own,
            [("IAP-1", "Physical health checks"), ("IAP-2", "Therapeutic activities on the ward")],
        ),
    ):
        for index, (id_number, name) in enumerate(rows):
            Competency.objects.create(
                framework=framework, id_number=id_number, short_name=name, sort_order=index
            )


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _add(page, framework: str, competencies: list[str], kind: str) -> None:
    page.get_by_role("button", name="Add competencies").click()
    page.get_by_label("Which framework are the competencies in?").select_option(label=framework)
    page.get_by_role("button", name="Continue").click()
    for name in competencies:
        page.get_by_label(name).check()
    page.get_by_label(kind, exact=True).check()


def test_a_lead_builds_a_role_profile_maps_a_competency_and_reads_the_gaps(
    page, live_server, world, screenshot
):
    _frameworks(world)
    log_in(page, live_server, "training_lead.acme")
    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/role-profile/")
    assert page.get_by_role("heading", level=1).inner_text() == "Role profile"
    expect(page.get_by_test_id("no-core")).to_be_visible()
    screenshot(page, "empty-role-profile")

    # Core: two Care Certificate standards, at the first proficient level.
    _add(
        page,
        "Care Certificate (2015) (national)",
        ["CC5 Work in a person-centred way", "CC6 Communication"],
        "Core",
    )
    assert page.get_by_label("The first proficient level of each competency's scale").is_checked()
    screenshot(page, "add-core-competencies")
    page.get_by_role("button", name="Add to the role profile").click()
    expect(
        page.get_by_text("2 competencies from Care Certificate (2015) added as core.")
    ).to_be_visible()

    # Role-specific: the trust's own competencies.
    _add(
        page,
        "Inpatient AP competencies (Acme Mental Health NHS Trust)",
        ["IAP-1 Physical health checks", "IAP-2 Therapeutic activities on the ward"],
        "Role-specific",
    )
    screenshot(page, "add-role-specific-competencies")
    page.get_by_role("button", name="Add to the role profile").click()
    core, specific = (
        page.get_by_test_id("profile-core"),
        page.get_by_test_id("profile-role_specific"),
    )
    assert core.get_by_test_id("profile-item").count() == 2
    expect(
        core.get_by_test_id("profile-item").filter(has_text="CC5").filter(has_text="Competent")
    ).to_be_visible()
    assert specific.get_by_test_id("profile-item").count() == 2
    expect(
        specific.get_by_test_id("profile-item")
        .filter(has_text="IAP-2")
        .filter(has_text="Competent")
    ).to_be_visible()
    screenshot(page, "role-profile")

    # Map IAP-2 to the national CC5.
    specific.get_by_role(
        "link", name=re.compile(r"^Therapeutic activities on the ward\s*: its mappings$")
    ).click()
    expect(page.get_by_test_id("no-mappings")).to_be_visible()
    page.get_by_label("Which framework is the competency it maps to in?").select_option(
        label="Care Certificate (2015) (national)"
    )
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Competency of Care Certificate (2015) it maps to").select_option(
        label="CC5 Work in a person-centred way"
    )
    page.get_by_label("Partly covers").check()
    page.get_by_label("Note").fill("Activities planned around the person's daily routine")
    screenshot(page, "add-mapping")
    page.get_by_role("button", name="Add mapping").click()
    mappings = page.get_by_test_id("mappings")
    expect(
        mappings.get_by_role("link", name="CC5 Work in a person-centred way", exact=True)
    ).to_be_visible()
    expect(mappings.get_by_text("Partly covers")).to_be_visible()
    screenshot(page, "mapped")

    # The gap analysis: 2 national, 1 mapped, 1 gap.
    page.get_by_role(
        "link", name="Back to the role profile of Inpatient assistant practitioner"
    ).click()
    page.get_by_role("button", name="See the gap analysis").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Gap analysis"
    assert (
        "The role needs 4 competencies: 2 core and 2 role-specific."
        in page.get_by_test_id("summary-sentence").inner_text()
    )
    screenshot(page, "gap-analysis")

    def row(coverage: str) -> str:
        return " ".join(page.get_by_test_id(f"summary-{coverage}").inner_text().split())

    # Core, role-specific, all.
    assert row("course") == "Taught by an existing course 0 (0%) 0 (0%) 0 (0%)"
    assert row("standard") == "National standard: education still needed 2 (100%) 1 (50%) 3 (75%)"
    assert row("gap") == "Gap: no course, no national standard 0 (0%) 1 (50%) 1 (25%)"
    gaps = page.get_by_test_id("gaps-role_specific")
    gap_row = gaps.get_by_test_id("gap-item").filter(has_text="IAP-1")
    expect(gap_row.get_by_text("Gap: no course, no national standard")).to_be_visible()
    mapped_row = gaps.get_by_test_id("gap-item").filter(has_text="IAP-2")
    expect(
        mapped_row.get_by_text("National standard: education still needed", exact=True)
    ).to_be_visible()
    expect(
        mapped_row.get_by_text(
            "CC5 Work in a person-centred way, Care Certificate (2015) (partly covers)"
        )
    ).to_be_visible()


def test_a_lead_imports_a_crosswalk_and_records_a_course(page, live_server, world, screenshot):
    from competencies.profiles import services

    _frameworks(world)
    profile = services.role_profile_get_or_create(world.programme)
    services.role_profile_add(
        profile=profile,
        competencies=Competency.objects.filter(framework__id_number="ACME-IAP"),
        kind="role_specific",
    )
    log_in(page, live_server, "training_lead.acme")
    page.goto(f"{live_server.url}/mappings/import/")
    screenshot(page, "import-page")

    header = "source_framework,source_id_number,target_framework,target_id_number,strength,note\n"
    bad = (
        header
        + "ACME-IAP,IAP-2,CC-2015,CC5,partial,\n"
        + "ACME-IAP,IAP-9,CC-2015,CC6,,\n"
        + "ACME-IAP,IAP-2,ACME-IAP,IAP-1,sort of,\n"
    )
    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "crosswalk.csv", "mimeType": "text/csv", "buffer": bad.encode()}]
    )
    page.get_by_role("button", name="Import mappings").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    problems = page.get_by_test_id("import-problem")
    assert problems.count() == 3
    assert problems.nth(0).inner_text().startswith("3\t")
    screenshot(page, "import-problems")

    good = header + "ACME-IAP,IAP-2,CC-2015,CC5,partial,Person-centred activities\n"
    page.locator("input[type=file][name=file]").set_input_files(
        files=[{"name": "crosswalk.csv", "mimeType": "text/csv", "buffer": good.encode()}]
    )
    page.get_by_role("button", name="Import mappings").click()
    expect(page.get_by_text("1 mapping imported.")).to_be_visible()

    page.goto(f"{live_server.url}/courses/")
    page.get_by_role("button", name="Add a course").click()
    page.get_by_label("Course name").fill("Physical health skills for support workers")
    page.get_by_label("Provider").fill("Westmoor University")
    page.get_by_label("IAP-1 Physical health checks").check()
    screenshot(page, "course-form")
    page.get_by_role("button", name="Add course").click()
    expect(
        page.get_by_test_id("course").filter(has_text="IAP-1 Physical health checks")
    ).to_be_visible()
    screenshot(page, "courses")

    page.goto(f"{live_server.url}/programmes/{world.programme.pk}/gap-analysis/")
    rows = page.get_by_test_id("gap-item")
    expect(rows.filter(has_text="IAP-1").get_by_text("Existing course")).to_be_visible()
    needed = rows.filter(has_text="IAP-2").get_by_text(
        "National standard: education still needed", exact=True
    )
    expect(needed).to_be_visible()
    # Mapped to a national standard is not taught: the summary says education is still needed.
    assert (
        "1 is taught by an existing course; 1 has a national standard but still needs education; 0 are gaps"
        in (" ".join(page.get_by_test_id("summary-sentence").inner_text().split()))
    )
    screenshot(page, "gap-analysis-no-gaps")
