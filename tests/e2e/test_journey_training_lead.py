"""A training lead's whole journey, from a new programme to a downloaded case study: they create
the programme, lay out its milestones, open a cohort, enrol trainees (one by hand, three from a
CSV file), build the role profile from a national framework and the trust's own, set up the
cohort's evaluation and open its first stage, hold a trainee's start interview, take the
suggested themes and code a quotable answer, write the case-study narrative, ask for the case
study, watch the job page until it is ready, download the PDF and read its text.

A real Celery worker renders the PDF (as in tests/reports). Every page is screenshotted and
checked with axe (tests/e2e/journey.py)."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from playwright.sync_api import expect

from competencies.models import Competency, Framework, Scale
from config.celery import app as celery_app
from evaluations.models import Stage
from programmes.models import Programme
from reports import tasks  # noqa: F401 (registers the report task with the worker)
from trainees.models import Enrolment

from .journey import Journey, choose_files, fill_date

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Physical health assistant practitioner"
COHORT = "Cohort A (autumn 2026 intake)"
WHY = "Service users on our wards wait too long for physical health checks."
WHY_APPLIED = "I want to train as a nurse one day, and this is the first step."
QUOTE = "this is the first step"
TIPS = "Map the role to national frameworks first, and only write education for the gaps."


@pytest.fixture
def frameworks(world):
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
        organisation=world.organisation, id_number="ACME-PHAP",
        short_name="Physical health AP competencies", scale=scale,
    )
    for framework, rows in (
        (national, [("CC5", "Work in a person-centred way"), ("CC6", "Communication")]),
        (own, [("PH-1", "Physical health checks"), ("PH-2", "Recognising deterioration")]),
    ):
        for order, (id_number, name) in enumerate(rows):
            Competency.objects.create(
                framework=framework, id_number=id_number, short_name=name, sort_order=order
            )


def _add_competencies(page, framework: str, competencies: list[str], kind: str) -> None:
    page.get_by_role("button", name="Add competencies").click()
    page.get_by_label("Which framework are the competencies in?").select_option(label=framework)
    page.get_by_role("button", name="Continue").click()
    for name in competencies:
        page.get_by_label(name).check()
    page.get_by_label(kind, exact=True).check()


def test_a_training_lead_from_a_new_programme_to_a_downloaded_case_study(
    page, live_server, world, frameworks, screenshot, tmp_path
):
    journey = Journey(page, live_server, screenshot)
    today = timezone.localdate()

    journey.log_in("training_lead.acme")
    assert journey.heading() == "Programmes and cohorts"
    journey.step("home")

    # The programme.
    journey.menu("Programmes")
    journey.step("programmes")
    page.get_by_role("button", name="Create a programme").click()
    journey.step("programme-form-empty")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What the role is and why it is needed").fill(WHY)
    page.get_by_label("Setting").fill("Inpatient mental health")
    page.get_by_label("Larch Ward").check()
    page.get_by_label("Intended benefits, one per line").fill(
        "Physical health checks done on time\nA career pathway for support staff"
    )
    page.get_by_label("Apprenticeship standard", exact=True).check()
    page.get_by_label("Course or standard").fill("Assistant practitioner, level 5")
    journey.step("programme-form-filled")
    page.get_by_role("button", name="Create programme").click()
    assert journey.heading() == TITLE
    journey.step("programme-created")

    # Two milestones: one done, one still ahead.
    page.get_by_role("button", name="Add a milestone").click()
    page.get_by_label("Milestone", exact=True).fill("Project team formed")
    fill_date(page, "Due date", today - timedelta(days=40))
    fill_date(page, "Date done", today - timedelta(days=45))
    journey.step("milestone-form")
    page.get_by_role("button", name="Add milestone").click()
    page.get_by_role("button", name="Add a milestone").click()
    page.get_by_label("Milestone", exact=True).fill("First cohort qualifies")
    fill_date(page, "Due date", today + timedelta(days=600))
    page.get_by_role("button", name="Add milestone").click()
    milestones = page.get_by_test_id("milestones")
    expect(milestones.get_by_test_id("milestone")).to_have_count(2)
    done = milestones.get_by_test_id("milestone").filter(has_text="Project team formed")
    expect(done).to_contain_text("Done")
    journey.step("milestones")

    # The cohort, started a fortnight ago.
    page.get_by_role("button", name="Open a cohort").click()
    page.get_by_label("Name", exact=True).fill(COHORT)
    fill_date(page, "Start date", today - timedelta(days=14))
    fill_date(page, "Expected end date", today + timedelta(days=700))
    page.get_by_label("Lecturer Acme").check()
    journey.step("cohort-form")
    page.get_by_role("button", name="Open cohort").click()
    page.get_by_test_id("cohort").get_by_role("link", name=COHORT, exact=True).click()
    assert journey.heading() == COHORT
    journey.step("cohort-empty")

    # Enrolment by hand: Sam, already a trainee of the trust and still active on the pilot
    # cohort, so Ladder warns and asks the lead to confirm enrolling them on both.
    page.get_by_role("button", name="Enrol a trainee").click()
    page.get_by_label("Trainee").select_option(label="Sam Trainee (E1001)")
    fill_date(page, "Enrolment date", today - timedelta(days=14))
    journey.step("enrol-form")
    page.get_by_role("button", name="Enrol", exact=True).click()
    expect(page.get_by_role("main").get_by_role("alert")).to_contain_text(
        "Sam Trainee is already on another programme"
    )
    journey.step("enrol-active-elsewhere")
    page.get_by_label("Enrol them on this cohort as well").check()
    page.get_by_role("button", name="Enrol", exact=True).click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text(
        f"Sam Trainee is enrolled on {COHORT}."
    )
    journey.step("enrolled-by-hand")
    page.get_by_role("main").get_by_role("link", name=COHORT, exact=True).click()

    # Enrolment from a CSV file: the example file Ladder offers, as it comes.
    page.get_by_role("button", name="Import trainees from a CSV file").click()
    journey.step("import-upload")
    with page.expect_download() as download:
        page.get_by_test_id("example-link").click()
    example = tmp_path / "starters.csv"
    download.value.save_as(example)
    choose_files(page, "CSV file", example)
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    journey.step("import-preview")
    page.get_by_role("button", name="Import 3 trainees").click()
    expect(page.get_by_test_id("import-result")).to_contain_text("3 trainees enrolled")
    journey.step("import-done")
    page.get_by_test_id("cohort-link").click()
    expect(page.get_by_test_id("cohort-trainees").locator("tbody tr")).to_have_count(4)
    journey.step("cohort-with-four-trainees")

    # The role profile, from the programme page: core from the Care Certificate,
    # role-specific from the trust's own framework.
    page.get_by_role("link", name=f"Back to {TITLE}").click()
    page.get_by_test_id("programme-links").get_by_role("link", name="Role profile").click()
    journey.step("role-profile-empty")
    _add_competencies(
        page, "Care Certificate (2015) (national)",
        ["CC5 Work in a person-centred way", "CC6 Communication"], "Core",
    )
    journey.step("role-profile-add-core")
    page.get_by_role("button", name="Add to the role profile").click()
    _add_competencies(
        page, "Physical health AP competencies (Acme Mental Health NHS Trust)",
        ["PH-1 Physical health checks", "PH-2 Recognising deterioration"], "Role-specific",
    )
    page.get_by_role("button", name="Add to the role profile").click()
    for kind in ("core", "role_specific"):
        items = page.get_by_test_id(f"profile-{kind}").get_by_test_id("profile-item")
        expect(items).to_have_count(2)
    journey.step("role-profile")
    page.get_by_role("button", name="See the gap analysis").click()
    expect(page.get_by_test_id("summary-sentence")).to_contain_text("The role needs 4 competencies")
    journey.step("gap-analysis")

    # The evaluation: the cohort's default stages, and the start stage opened.
    page.get_by_role("link", name="Back to the role profile").click()
    page.get_by_role("link", name=f"Back to {TITLE}").click()
    page.get_by_test_id("cohort").get_by_role("link", name=COHORT, exact=True).click()
    page.get_by_role("link", name="Evaluation stages and interviews").click()
    expect(page.get_by_test_id("no-stages")).to_be_visible()
    journey.step("evaluation-no-stages")
    page.get_by_role("button", name="Set up the default stages").click()
    journey.step("evaluation-default-stages")
    page.get_by_test_id("stage-start").get_by_role("button", name="Open").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("is open")
    journey.step("evaluation-start-open")

    # Sam's start interview, which the lead holds.
    page.get_by_test_id("trainee-interviews").get_by_role("link", name="Sam Trainee").click()
    page.get_by_role("button", name="Record the interview").click()
    journey.step("interview-form")
    page.get_by_label("Tell us about your background").fill(
        "Six years as a healthcare assistant on Larch Ward; Care Certificate done."
    )
    page.get_by_label("Why did you apply for the trainee post?").fill(WHY_APPLIED)
    page.get_by_label("How do you feel about your experience of the programme so far?").fill(
        "Nervous, but my mentor is supportive."
    )
    page.get_by_role(
        "group", name="How confident do you feel about taking on the new role?"
    ).get_by_label("3", exact=True).check()
    fill_date(page, "Date the interview was held", today)
    page.get_by_label("The interviewee agrees to be quoted").check()
    page.get_by_role("button", name="Complete the interview").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Interview completed")
    journey.step("interview-done")

    # Themes for coding what people say, then Sam's reason for applying coded and quotable.
    journey.menu("Programmes")
    page.get_by_role("main").get_by_role("link", name=TITLE).click()
    page.get_by_test_id("programme-links").get_by_role(
        "link", name="Themes for coding interview findings"
    ).click()
    page.get_by_role("button", name=re.compile(r"^Add these \d+ themes$")).click()
    expect(page.get_by_test_id("theme").first).to_be_visible()
    journey.step("themes")
    page.get_by_role("link", name=f"Back to {TITLE}").click()
    page.get_by_test_id("cohort").get_by_role("link", name=COHORT, exact=True).click()
    page.get_by_role("link", name="Findings from the interviews").click()
    journey.step("cohort-findings-before-coding")
    page.get_by_role("link", name="Code answers for Start").click()
    answer = page.get_by_test_id("answer").filter(has_text=WHY_APPLIED)
    answer.get_by_label("Career progression").check()
    answer.get_by_label("Excerpt").fill(QUOTE)
    answer.get_by_label("Quotable").check()
    journey.step("coding")
    answer.get_by_role("button", name=re.compile("^Save coding")).click()
    coded = page.get_by_test_id("answer").filter(has_text=WHY_APPLIED)
    expect(coded.get_by_test_id("saved")).to_be_visible()
    page.get_by_role("link", name="See the findings for this stage").click()
    expect(page.get_by_test_id("trainee-quotes").first).to_contain_text(QUOTE)
    journey.step("stage-findings")

    # The case study: the narrative, then the PDF.
    journey.menu("Programmes")
    page.get_by_role("main").get_by_role("link", name=TITLE).click()
    page.get_by_test_id("programme-links").get_by_role(
        "link", name="Write and produce the case study"
    ).click()
    assert journey.heading() == "Write the case study"
    journey.step("case-study-form")
    page.get_by_label("What we did and why").fill(WHY + " So we developed a new role.")
    page.get_by_label("Tips for others").fill(TIPS)
    page.get_by_label("Contact details").fill("Training Lead Acme, training.lead@example.org")
    page.get_by_role("button", name="Save as draft", exact=True).click()
    expect(page.locator(".nhsuk-notification-banner--success")).to_be_visible()
    journey.step("case-study-saved")

    worker = start_worker(
        celery_app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=60
    )
    with worker:
        page.get_by_role("button", name="Save and produce the case study PDF").click()
        expect(page.get_by_test_id("job-progress")).to_be_visible()
        journey.step("job-page")
        # htmx polls the job every 2 seconds until it is done.
        page.get_by_test_id("download").wait_for(timeout=90_000)
    journey.step("job-done")
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    pdf = tmp_path / "case-study.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())
    # The PDF's first two pages beside the screenshots, for people to look at.
    shots = journey.screenshot(page, "pdf-downloaded").parent
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf),
         str(shots / "case-study-pdf")],
        check=True,
    )
    for expected in (TITLE, "What we did and why", WHY, TIPS, "Tips for others", COHORT,
                     "Project team formed",
                     "The role needs 4 competencies: 2 core and 2 role-specific.", QUOTE):
        assert expected in words, f"{expected!r} is not in the PDF"

    programme = Programme.objects.get(title=TITLE)
    assert Enrolment.objects.filter(cohort__programme=programme).count() == 4
    assert Stage.objects.get(cohort__programme=programme, name="Start").status == "open"
