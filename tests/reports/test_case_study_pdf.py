"""The case study as a publisher receives it (issue 17): a tagged PDF (structure tree, language,
title, Alt text on every chart, headings in order, tables with header cells), its sections in
the order SECTIONS gives, a contents list whose page numbers are where each section starts, an
at-a-glance box with the programme's own figures, the competency tables in an appendix after
the contact details, and no heading left at the foot of a page. Read back with pikepdf and
pdftotext; the data goes in through the services."""

from __future__ import annotations

import copy
import ctypes
import io
import math
import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from evaluations.findings import services as findings_services
from programmes import services as programme_services
from programmes.models import Role
from reports.documents.case_study import SECTIONS
from reports.models import CaseStudyNarrative
from reports.services import narrative_update
from trainees.models import Enrolment

from ..conftest import fast_password_hashing
from ..evidence.factories import make_competency, make_framework, make_profile, png_claiming
from ..programmes.helpers import date_parts
from .data import add_profile, grow

pytestmark = pytest.mark.django_db

# Sub-headings the case study may print (h3); none may be the last thing on a page either.
SUBHEADINGS = ("Drivers and standards the role was mapped against", "The role profile and what it reuses",
               "Milestones", "Protected study time", "Audits at key stages", "Service-user satisfaction",
               "Competency attainment against target")


def png(width=120, height=40, colour="#005eb8", fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format=fmt)
    return buffer.getvalue()


def page_texts(path: Path) -> list[str]:
    """Each page's text, laid out, in page order."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def struct_elements(pdf: pikepdf.Pdf):
    """Every structure element, depth first (document order)."""
    def walk(node):
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            kids = node.get("/K")
            if kids is not None:
                yield from walk(kids)
        elif isinstance(node, pikepdf.Array):
            for kid in node:
                yield from walk(kid)
    yield from walk(pdf.Root.StructTreeRoot.K)


def where_sections_start(pages: list[str]) -> dict[str, int]:
    """The page (1-based) on which each section's heading is a line of its own, after the
    contents page."""
    contents_page = next(i for i, page in enumerate(pages) if re.search(r"^\s*Contents\s*$", page, re.M))
    found = {}
    for section in SECTIONS:
        for number, page in enumerate(pages[contents_page:], start=contents_page + 1):
            lines = [" ".join(line.split()) for line in page.splitlines()]
            if section.title in lines and not (section.key == "at-a-glance"):
                found[section.title] = number
                break
    return found


def contents_entries(pages: list[str]) -> dict[str, int]:
    entries = {}
    for page in pages[:3]:
        for line in page.splitlines():
            match = re.match(r"^\s*\d+\.\s+(.+?)[\s.]*\.\s*(\d+)\s*$", line)
            if match:
                entries[match.group(1).rstrip(" .")] = int(match.group(2))
    return entries


def add_case_study_records(world):
    """The world's programme with 3 trainees (one completed and progressed), two milestones,
    an audit at two stages, a KSF level in the role profile, and every narrative field written."""
    profile = add_profile(world)
    ksf = make_framework(short_name="NHS Knowledge and Skills Framework", id_number="NHS-KSF-2004")
    make_profile(world.programme, [(make_competency(ksf, "Level 1", id_number="KSF-C4-L1"), 0)])
    grow(world, profile, 3)
    first = Enrolment.objects.filter(cohort=world.cohort).order_by("pk").first()
    Enrolment.objects.filter(pk=first.pk).update(status="completed", outcome="progressed",
                                                   outcome_detail="Nursing degree")
    programme_services.milestone_create(programme=world.programme, title="Cohort 1 qualifies",
                                        due_on=date(2027, 6, 15))
    tool = findings_services.audit_tools_ensure_defaults(organisation=world.organisation)
    criteria = list(tool.criteria.all())
    for stage, held_on, met in (("Start", date(2026, 2, 1), (10, 8, 5, 7)),
                                ("Qualification", date(2026, 9, 1), (10, 10, 9, 9))):
        findings_services.audit_round_record(
            programme=world.programme, tool=tool, clinical_area=world.ward, stage_name=stage,
            held_on=held_on, records_sampled=10, results={c.pk: n for c, n in zip(criteria, met, strict=True)},
        )
    world.organisation.description = "Our stored blurb about a different programme entirely."
    world.organisation.save()
    narrative_update(
        programme=world.programme, actor=world.person(Role.TRAINING_LEAD),
        subtitle="Physical healthcare at the bedside on Larch Ward", authors="Ada Lovelace, practice educator",
        publication_date=date(2026, 11, 2), show_produced_with_ladder=False,
        organisation_text="Acme runs one inpatient ward for this programme.",
        challenges="Study days were cancelled when the ward was short.\nWe planned cover first.",
        service_user_quotes="\u201cThey check my blood pressure and tell me why.\u201d - a service user",
        service_user_quotes_consented=True,
        costs_and_benefits="Retention rose.", cost_per_trainee=Decimal("8200"), funding_amount=Decimal("20000"),
        backfill_hours=Decimal("950"),
        tips_for_others="Start with the gaps.\nProtect study time.\nAsk service users early.",
        acknowledgements="Thanks to Larch Ward.", contact_details="Ada Lovelace, ada@example.org",
        logo=SimpleUploadedFile("logo.png", png()),
    )
    return world.programme


@pytest.fixture
def programme(world):
    return add_case_study_records(world)


@pytest.fixture(scope="module")
def rendered(module_world, django_db_blocker, tmp_path_factory):
    """The case study of add_case_study_records, rendered once for the module: the tests that
    take it only read the PDF. Its records are made in a savepoint of the module's transaction
    (tests/conftest.py module_world) and rolled back once it is rendered, so every test still
    starts from the standard cast; a test that reads the records as well takes `programme`."""
    folder = tmp_path_factory.mktemp("case-study")
    out = folder / "case-study.pdf"
    with django_db_blocker.unblock(), transaction.atomic():
        # The per-test settings (MEDIA_ROOT, fast hashing) are not active yet at module scope.
        with fast_password_hashing(), override_settings(MEDIA_ROOT=folder / "media"):
            add_case_study_records(copy.deepcopy(module_world))
            call_command("render_report", "case-study", "--programme", "inpatient-assistant-practitioner",
                         "-o", str(out))
        transaction.set_rollback(True)
    return out


def test_the_case_study_is_a_tagged_pdf_with_its_language_title_and_alt_text(rendered):
    with pikepdf.open(rendered) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert str(pdf.docinfo["/Title"]) == "Inpatient assistant practitioner: case study"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        elements = list(struct_elements(pdf))
        kinds = [str(e.S) for e in elements]
        # Every figure (the logo, every chart) has a text alternative; a chart's carries its numbers.
        figures = [str(e.get("/Alt", "")) for e in elements if str(e.S) == "/Figure"]
        assert len(figures) >= 4 and all(figures), figures
        assert "Acme Mental Health NHS Trust logo" in figures
        assert any(alt.startswith("Trainees: enrolled, completed") and "Enrolled: 3" in alt for alt in figures)
        assert any("Physical healthcare assessment audit" in alt and "75.0% at Start" in alt for alt in figures)
        # Headings in order: one h1, then h2s, an h3 only under an h2.
        headings = [k for k in kinds if re.fullmatch(r"/H\d", k)]
        assert headings[0] == "/H1" and headings.count("/H1") == 1
        levels = [int(h[2]) for h in headings]
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
        assert headings.count("/H2") == len(SECTIONS) + 1  # every section, and the contents
        # Tables have header cells; "Tips for others" is a list of three.
        assert kinds.count("/Table") >= 5 and kinds.count("/TH") >= kinds.count("/Table")
        for table in (e for e in elements if str(e.S) == "/Table"):
            assert any(str(e.S) == "/TH" for e in struct_elements_under(table))


def struct_elements_under(element):
    kids = element.get("/K")
    stack = [kids] if kids is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            if node.get("/K") is not None:
                stack.append(node.K)


def test_sections_in_order_with_contents_page_numbers_where_each_starts(rendered):
    pages = page_texts(rendered)
    starts = where_sections_start(pages)
    titles = [s.title for s in SECTIONS if s.key != "at-a-glance"]
    assert list(starts) == titles, starts  # every section found, in SECTIONS' order
    assert [starts[t] for t in titles] == sorted(starts[t] for t in titles)
    assert contents_entries(pages) == starts
    # The appendix (the long competency table) comes after the contact details, on its own page.
    assert starts["Appendix: competency attainment by cohort"] > starts["Contact details"]
    appendix = "\n".join(pages[starts["Appendix: competency attainment by cohort"] - 1:])
    assert "CC10 Physical health observations" in appendix
    before = "\n".join(pages[:starts["Appendix: competency attainment by cohort"] - 1])
    assert "CC10 Physical health observations" not in before


def test_no_heading_is_the_last_line_on_a_page(rendered):
    headings = {s.title for s in SECTIONS} | {"Contents"}
    pages = page_texts(rendered)
    for number, page in enumerate(pages, start=1):
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        lines = [line for line in lines if not re.search(r"Page \d+ of \d+$", line)]
        last = lines[-1]
        assert last not in headings and not last.startswith(SUBHEADINGS), (number, last)


def test_the_cover_and_at_a_glance_box_show_the_programmes_own_figures(programme, rendered, world):
    cover = " ".join(page_texts(rendered)[0].split())
    enrolments = Enrolment.objects.filter(cohort__programme=programme)
    assert "Physical healthcare at the bedside on Larch Ward" in cover
    assert "Published: 2 November 2026" in cover and "Authors: Ada Lovelace, practice educator" in cover
    assert "Produced with Ladder" not in cover  # the lead turned it off
    glance = cover[cover.index("At a glance"):]
    expected = {
        "Cohorts": programme.cohorts.count(), "Trainees": enrolments.count(),
        "Completed": enrolments.filter(status="completed").count(),
        "Progressed to further training": enrolments.filter(outcome="progressed").count(),
    }
    assert expected == {"Cohorts": 1, "Trainees": 3, "Completed": 1, "Progressed to further training": 1}
    # The box lays its figures out under their labels, three to a row.
    assert re.search(r"Cohorts Trainees Completed 1 3 1 Progressed to further training Timescale 1 About 17 months",
                     glance), glance
    # Start: 30 of 40 criteria met; qualification: 38 of 40.
    assert ("Physical healthcare assessment audit: 75.0% of criteria met at start, 95.0% at qualification"
            in glance)


def test_the_new_sections_carry_the_leads_words_and_figures(rendered):
    words = " ".join(" ".join(page_texts(rendered)).split())
    assert "Acme runs one inpatient ward for this programme." in words
    assert "Our stored blurb" not in words  # the organisation's description is not this programme's
    assert "Study days were cancelled when the ward was short. We planned cover first." in words
    assert "\u201cThey check my blood pressure and tell me why.\u201d a service user" in words
    assert "Cost per trainee £8,200 Cost for 3 trainees £24,600 Funding received £20,000 Backfill hours 950" in words
    assert "Thanks to Larch Ward." in words
    assert "Care Certificate (2025)" not in words and "Care Certificate" in words  # no internal version
    with pikepdf.open(rendered) as pdf:
        lists = [e for e in struct_elements(pdf) if str(e.S) == "/L"]
        items = [[str(k.S) for k in struct_elements_under(lst) if str(k.S) == "/LI"] for lst in lists]
        assert [3] in [[len(i)] for i in items]  # the three tips, as a list


def test_unconsented_quotes_are_refused_and_never_printed(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        narrative_update(programme=world.programme, actor=world.person(Role.TRAINING_LEAD),
                         service_user_quotes="Lovely staff - a relative", service_user_quotes_consented=False)
    assert "service_user_quotes_consented" in caught.value.message_dict
    assert not CaseStudyNarrative.objects.filter(programme=world.programme,
                                                 service_user_quotes__contains="Lovely").exists()
    assert CaseStudyNarrative(service_user_quotes="Lovely staff - a relative").quotes == []


def test_the_editor_saves_the_new_fields_and_a_checked_logo_and_keeps_lost_update_protection(world, client):
    client.force_login(world.person(Role.TRAINING_LEAD))
    url = f"/programmes/{world.programme.pk}/case-study/"
    page = client.get(url).content.decode()
    for label in ("Subtitle", "Authors", "Publication date", "Challenges and how we overcame them",
                  "Service-user voice", "Costs and benefits", "Cost per trainee", "Funding received",
                  "Backfill hours", "Acknowledgements", "Organisation logo", 'enctype="multipart/form-data"'):
        assert label in page, label
    typed = {
        "version": "1", "subtitle": "A subtitle", "authors": "A. Author",
        **date_parts("publication_date", date(2026, 11, 2)),
        "challenges": "Short staffing.", "cost_per_trainee": "8200.50", "backfill_hours": "12.5",
        "acknowledgements": "Thanks.", "tips_for_others": "One tip",
    }
    response = client.post(url, {**typed, "logo": SimpleUploadedFile("logo.png", png()), "save": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    narrative = CaseStudyNarrative.objects.get(programme=world.programme)
    assert (narrative.subtitle, narrative.authors, narrative.publication_date, narrative.challenges) == (
        "A subtitle", "A. Author", date(2026, 11, 2), "Short staffing.")
    assert narrative.cost_per_trainee == Decimal("8200.50") and narrative.backfill_hours == Decimal("12.5")
    assert narrative.logo.name.endswith(".png")
    assert narrative.version == 2

    # Someone else saved in between: the stale form is refused and nothing it typed is kept.
    stale = client.post(url, {**typed, "version": "1", "subtitle": "Overwritten?", "save": ""})
    assert stale.status_code == 200
    assert "Someone else changed this case study" in stale.content.decode()
    assert CaseStudyNarrative.objects.get(programme=world.programme).subtitle == "A subtitle"


@pytest.mark.parametrize("name, content, message", [
    ("logo.png", b"not an image at all", "The logo must be a PNG or JPEG image."),
    ("logo.png", png(fmt="GIF"), "The logo must be a PNG or JPEG image."),
    ("logo.jpg", png(width=4100, height=10, fmt="JPEG"), "at most 4000 pixels"),
    ("logo.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 1), "smaller than 2 MB"),
    # A few hundred bytes claiming more pixels than Pillow will open, and ones it would decode.
    ("logo.png", png_claiming(15000, 15000), "at most 4000 pixels"),
    ("logo.png", png_claiming(4001, 4001), "at most 4000 pixels"),
])
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused_next_to_the_field(world, client, name, content, message):
    client.force_login(world.person(Role.TRAINING_LEAD))
    url = f"/programmes/{world.programme.pk}/case-study/"
    response = client.post(url, {"version": "1", "logo": SimpleUploadedFile(name, content), "save": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'id="logo-error"' in body or "logo-error" in body  # next to the field
    narrative = CaseStudyNarrative.objects.filter(programme=world.programme).first()
    assert narrative is None or not narrative.logo


def render_again(tmp_path: Path) -> list[str]:
    """The case study rendered again (after a change): each page's text."""
    out = tmp_path / "again.pdf"
    call_command("render_report", "case-study", "--programme", "inpatient-assistant-practitioner", "-o", str(out))
    return page_texts(out)


def test_the_produced_with_ladder_line_is_on_the_cover_when_the_lead_leaves_it_on(programme, world, tmp_path):
    narrative_update(programme=programme, actor=world.person(Role.TRAINING_LEAD), show_produced_with_ladder=True)
    cover = " ".join(render_again(tmp_path)[0].split())
    today = timezone.localdate()  # as the case study dates itself
    assert f"Produced with Ladder on {today.day} {today:%B %Y} from the programme's records." in cover


def test_the_organisation_section_never_falls_back_to_the_organisations_stored_description(programme, world,
                                                                                             tmp_path):
    # The fixture stored a description that speaks of another programme; the lead clears the
    # programme's own text: the section names the organisation and its wards, nothing more.
    narrative_update(programme=programme, actor=world.person(Role.TRAINING_LEAD), organisation_text="")
    pages = render_again(tmp_path)
    words = " ".join(" ".join(pages).split())
    assert "Our stored blurb" not in words
    organisation = " ".join(pages[where_sections_start(pages)["The organisation"] - 1].split())
    start = organisation.rindex("The organisation")  # the heading, after the contents' entry
    section = organisation[start:organisation.index("What we did and why", start)]
    assert section.startswith("The organisation Acme Mental Health NHS Trust.")
    assert "Clinical areas taking part:" in section


def test_ksf_levels_are_named_with_their_dimension(rendered):
    words = " ".join(" ".join(page_texts(rendered)).split())
    assert "KSF-C4-L1 Service improvement: Level 1" in words
    assert "KSF-C4-L1 Level 1" not in words


def test_the_study_time_bar_and_the_table_beside_it_give_the_same_whole_hours(rendered):
    words = " ".join(" ".join(page_texts(rendered)).split())
    # Three trainees took 3.5 hours each: 10.5, which both print as 11 (half up, not to even).
    bar = re.search(r"(\d+)% \((\d+) of (\d+) hours\)", words)
    row = re.search(r"Cohort 1 (\d+) (\d+) (\d+) (\d+)%", words[words.index("Hours planned to date"):])
    assert bar and row, words
    percent, taken, planned = bar.groups()
    assert (planned, taken, percent) == (row.group(1), row.group(2), row.group(4))
    assert taken == "11"


def point_size(text, index: int) -> float:
    """A character's size as printed: PDFium's font size in the text's own units, scaled by the
    character's matrix (WeasyPrint draws in CSS pixels, three quarters of a point)."""
    matrix = pypdfium2.raw.FS_MATRIX()
    pypdfium2.raw.FPDFText_GetMatrix(text.raw, index, ctypes.byref(matrix))
    return round(pypdfium2.raw.FPDFText_GetFontSize(text.raw, index) * math.hypot(matrix.c, matrix.d), 1)


def test_body_text_is_set_at_10_5_to_11_points(rendered):
    """The printed sizes of the characters of the lead's paragraphs (the narrative) and of the
    sentences drawn from the records; a table's figures and the cover's title are not body text."""
    samples = ("Acme runs one inpatient ward", "Study days were cancelled", "Retention rose.",
               "Cohort 1 had 3 trainees", "Start with the gaps.")
    document = pypdfium2.PdfDocument(rendered)
    try:
        sizes = {}
        for page in document:
            text = page.get_textpage()
            for sample in samples:
                found = text.search(sample).get_next()
                if found:
                    start, count = found
                    sizes[sample] = {point_size(text, i) for i in range(start, start + count)
                                     if text.get_text_range(i, 1).strip()}
        title = document[0].get_textpage()
        start, _ = title.search("Inpatient assistant practitioner").get_next()
        assert point_size(title, start) > 20  # what the test reads is the printed size
    finally:
        document.close()
    assert set(sizes) == set(samples)
    assert all(size_set and all(10.5 <= size <= 11 for size in size_set) for size_set in sizes.values()), sizes
