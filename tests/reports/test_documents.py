"""The PDFs, rendered by `manage.py render_report` (the code the Celery task runs) and read back
with pdftotext: what each says, in what order, scoped to whom it is produced for."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from competencies.models import RoleProfileItem
from programmes.models import Role
from tests.delegation.factories import add_partner
from tests.evidence.factories import make_competency, make_framework, make_profile, sign_off, submit
from tests.trainees.helpers import add_trainee

from .data import add_evidence, add_profile, grow

pytestmark = pytest.mark.django_db


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_size(path: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    return float(width), float(height)


def render(tmp_path, *args) -> tuple[Path, str]:
    out = tmp_path / "report.out"
    call_command("render_report", *args, "-o", str(out))
    return out, pdf_text(out) if out.read_bytes().startswith(b"%PDF-") else ""


def flat(text: str) -> str:
    return " ".join(text.split())


def test_case_study_has_every_section_in_order_with_attainment_against_target(world, tmp_path):
    profile = add_profile(world)
    grow(world, profile, 3)
    path, text = render(tmp_path, "case-study", "--programme", "inpatient-assistant-practitioner")
    words = flat(text)
    sections = ["The organisation", "What we did and why", "Intended benefits", "How we did it",
                "Examples of trainee findings", "Examples of manager findings", "Results and next steps",
                "Evaluation of the impact of the role", "Tips for others", "Contact details"]
    last_entry = "15. Appendix: competency attainment by cohort"  # the contents list ends here
    body = words[words.index(last_entry) + len(last_entry):]
    positions = [body.find(heading) for heading in sections]
    assert -1 not in positions, dict(zip(sections, positions, strict=True))
    assert positions == sorted(positions)
    # Attainment: 3 trainees x 3 competencies; each met observations only: 3 of 9 targets.
    assert "Competency attainment against target" in words
    assert "33% (3 of 9) of the targets were met" in words
    assert "core competencies: 50% (3 of 6)" in words
    assert "role-specific competencies: 0% (0 of 3)" in words
    assert "CC10 Physical health observations" in words
    assert "Cohort 1: all competencies" in words  # the chart's bar, as text in the PDF
    assert "Cohort 1 had 3 trainees: 0 completed, 3 still training." in words


def test_cohort_progress_report_shows_the_matrix_and_each_trainees_figures(world, tmp_path):
    profile = add_profile(world)
    grow(world, profile, 3)
    path, text = render(tmp_path, "cohort-progress", "--cohort", str(world.cohort.pk))
    width, height = page_size(path)
    assert width > height  # landscape
    words = flat(text)
    assert "Inpatient assistant practitioner: Cohort 1" in words
    assert "Progress matrix" in words
    for name in ("Trainee, Sam", "Grown, Trainee01", "Grown, Trainee02"):
        assert name in words
    assert "CC10 Physical health observations" in words and "AP3 Escalating" in words
    assert words.count("MET") >= 3  # observations met by each trainee, in words not colour
    assert "BELOW" in words  # escalation signed off below target
    assert "Trainees at target" in words and "3 of 3" in words and "0 of 3" in words
    assert "Each trainee: attainment, study time and reviews" in words
    assert "1 of 3 competencies at target" in words
    assert "3.5 of" in words and "hours planned to date taken" in words  # study time taken vs plan
    assert "Going well." in words  # the review's notes
    assert "Page 1 of" in words


def test_cohort_progress_report_shows_a_manager_only_their_trainees(world, tmp_path):
    profile = add_profile(world)
    grow(world, profile, 2)
    add_trainee(world, first_name="Not", last_name="Mine", employee_number="N1")
    path, text = render(tmp_path, "cohort-progress", "--cohort", str(world.cohort.pk),
                        "--as", world.person(Role.MANAGER).username)
    assert "Trainee, Sam" in flat(text)
    assert "Mine" not in text
    lead_path, lead_text = render(tmp_path, "cohort-progress", "--cohort", str(world.cohort.pk))
    assert "Mine, Not" in flat(lead_text)


def test_a_wide_role_profile_continues_in_balanced_tables_with_their_header_rows(world, tmp_path):
    from competencies.models import RoleProfileItem
    from tests.evidence.factories import make_competency, make_framework, make_profile

    framework = make_framework(short_name="Wide")
    make_profile(world.programme, [(make_competency(framework, f"Skill {n:02d}"), 1, RoleProfileItem.Kind.CORE)
                                   for n in range(10)])
    path, text = render(tmp_path, "cohort-progress", "--cohort", str(world.cohort.pk))
    words = flat(text)
    # 10 competencies: two tables of 5 (not 8 and 2), each with its own header rows.
    assert "Competencies 1 to 5 of 10" in words and "Competencies 6 to 10 of 10" in words
    assert words.count("Target level") == 2


def test_portfolio_lists_signed_off_evidence_per_competency_for_the_ksf_appraisal(world, tmp_path):
    profile = add_profile(world)
    grow(world, profile, 1)
    path, text = render(tmp_path, "trainee-portfolio", "--enrolment", str(world.enrolment.pk))
    words = flat(text)
    assert "Portfolio: Sam Trainee" in words
    assert "Knowledge and Skills Framework (KSF) appraisal" in words
    assert "1 of 3 role-profile competencies at or above the target level" in words
    assert "Observed NEWS2" in words and "Escalation simulation" in words, text
    mentor = world.person(Role.MENTOR).get_full_name()
    assert mentor in words  # the assessor
    assert "Target met." in words and "Target not yet met." in words
    assert "1 more piece of evidence waiting for assessment or returned" in words  # the handover
    assert "E1001" in words
    assert "Appraisal sign-off" in words


def test_the_portfolio_names_a_partners_assessor_with_her_organisation(world, tmp_path):
    add_partner(world)  # Eastvale's district nurse signed off Sam's insulin administration
    _, text = render(tmp_path, "trainee-portfolio", "--enrolment", str(world.enrolment.pk))
    words = flat(text)
    # The assessor's cell: her name, and her organisation under it (the only mention of it).
    assert "Mentor Eastvale" in words and "Eastvale Community Health NHS Trust" in words


def test_a_ksf_level_is_named_with_its_dimension_in_the_case_study_and_the_portfolio(world, tmp_path):
    profile = add_profile(world)
    ksf = make_framework(short_name="NHS Knowledge and Skills Framework", version="2004", id_number="NHS-KSF-2004")
    level = make_competency(ksf, "Level 2", id_number="KSF-C3-L2")
    make_profile(world.programme, [(level, 1, RoleProfileItem.Kind.CORE)])
    grow(world, profile, 1)
    sign_off(submit(world.trainee, [level], title="Fire safety walk-round"), {level.pk: 1})
    named = "KSF-C3-L2 Health, safety and security: Level 2"
    _, case_study = render(tmp_path, "case-study", "--programme", "inpatient-assistant-practitioner")
    assert named in flat(case_study)
    _, portfolio = render(tmp_path, "trainee-portfolio", "--enrolment", str(world.enrolment.pk))
    assert named in flat(portfolio)


def test_the_command_says_what_is_wrong(world, tmp_path):
    with pytest.raises(CommandError, match="No programme is called"):
        call_command("render_report", "case-study", "--programme", "no-such-thing", "-o", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="needs --cohort"):
        call_command("render_report", "cohort-progress", "-o", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="lead.other has no role in Acme"):  # an outsider
        call_command("render_report", "cohort-progress", "--cohort", str(world.cohort.pk),
                     "--as", world.outsider.username, "-o", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_the_command_writes_an_export(world, tmp_path):
    profile = add_profile(world)
    add_evidence(world, world.trainee, profile)
    out = tmp_path / "enrolments.csv"
    call_command("render_report", "export", "--organisation", "acme", "--format", "csv",
                 "--datasets", "enrolments", "-o", str(out))
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Programme,Cohort,Enrolment ID,Trainee")
    assert "Sam Trainee" in text
