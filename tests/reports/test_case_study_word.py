"""The case study as a Word file (issue 17): `render_report case-study --format docx` and the
job page's "Download as Word". Read back with python-docx: the same headings in the same order
as the PDF's (its outline, read with PDFium), real tables with header rows, the charts as
images with alternative text, the cover's title and the document's properties."""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from programmes.models import Role
from reports import services
from reports.demo import demo_logo
from reports.documents.case_study import SECTIONS
from reports.documents.word import MARGIN_SIDE, html_to_docx
from reports.models import ReportJob

from ..conftest import fast_password_hashing
from .data import add_profile, grow

pytestmark = pytest.mark.django_db

WORD_MARGIN_PT = MARGIN_SIDE.pt


def pdf_outline(content: bytes) -> list[tuple[int, str]]:
    """The PDF's bookmarks (WeasyPrint writes one per heading) as (depth, title): h1 at 0."""
    document = pypdfium2.PdfDocument(content)
    try:
        return [(item.level, item.get_title()) for item in document.get_toc()]
    finally:
        document.close()


def docx_headings(document) -> list[tuple[int, str]]:
    """Word's outline: (level, text) of each Heading n paragraph."""
    return [(int(p.style.name.split()[-1]), p.text) for p in document.paragraphs
            if p.style.name.startswith("Heading ")]


def docx_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def pdf_text(content: bytes) -> str:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


def render(tmp_path: Path, *args: str) -> bytes:
    out = tmp_path / "study.out"
    call_command("render_report", "case-study", "--programme", "inpatient-assistant-practitioner", *args,
                 "-o", str(out))
    return out.read_bytes()


def add_study(world):
    """The world's programme with 3 trainees, their evidence and the lead's narrative and logo."""
    profile = add_profile(world)
    grow(world, profile, 3)
    services.narrative_update(
        programme=world.programme, actor=world.person(Role.TRAINING_LEAD), expected_version=1,
        subtitle="Growing our own physical-health skills", authors="Ana Lead, Ben Planner",
        what_we_did_and_why="Physical health checks were missed.\nWe built a role to close the gap.",
        tips_for_others="Start with the gaps\nInvolve ward managers early",
        contact_details="Ana Lead, ana.lead@example.org", logo=demo_logo(),
    )
    return world


@pytest.fixture
def study(world):
    return add_study(world)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    docx: bytes


@pytest.fixture(scope="module")
def rendered(module_world, django_db_blocker, tmp_path_factory) -> Rendered:
    """add_study's case study as PDF and as Word, rendered once for the module's tests that
    only read them. Its records are made in a savepoint of the module's transaction
    (tests/conftest.py module_world) and rolled back once both are rendered, so every test
    still starts from the standard cast; a test that changes the records takes `study`."""
    folder = tmp_path_factory.mktemp("case-study-word")
    with django_db_blocker.unblock(), transaction.atomic():
        # The per-test settings (MEDIA_ROOT, fast hashing) are not active yet at module scope.
        with fast_password_hashing(), override_settings(MEDIA_ROOT=folder / "media"):
            add_study(copy.deepcopy(module_world))
            made = Rendered(pdf=render(folder), docx=render(folder, "--format", "docx"))
        transaction.set_rollback(True)
    return made


def test_the_word_file_has_the_pdfs_headings_in_the_pdfs_order(rendered):
    pdf = rendered.pdf
    document = Document(io.BytesIO(rendered.docx))

    # The PDF: the title (h1), then "At a glance" and "Contents" on the front pages, then the
    # sections; Word puts the title in the Title style and the contents' own heading outside
    # the outline, so they are left out of both lists.
    outline = [(level, title) for level, title in pdf_outline(pdf) if level > 0 and title != "Contents"]
    assert outline == docx_headings(document)
    assert [text for level, text in docx_headings(document) if level == 1] == [s.title for s in SECTIONS]
    cover = [(p.style.name, p.text) for p in document.paragraphs[:4] if p.text]
    assert cover[:2] == [("Normal", "Acme Mental Health NHS Trust"), ("Title", "Inpatient assistant practitioner")]
    # The organisation's logo leads the cover, described for screen readers.
    logo = document.inline_shapes[0]
    assert logo._inline.docPr.get("descr") == "Acme Mental Health NHS Trust logo"
    assert document.paragraphs[0]._p.xml.count("<pic:pic") == 1
    subtitles = [p.text for p in document.paragraphs if p.style.name == "Subtitle"]
    assert "Growing our own physical-health skills" in subtitles
    properties = document.core_properties
    assert properties.title == "Inpatient assistant practitioner: case study"
    assert properties.author == "Ana Lead, Ben Planner"
    assert properties.language == "en-GB"


def test_the_word_files_tables_charts_and_lists_are_words_own(rendered):
    document = Document(io.BytesIO(rendered.docx))
    text = docx_text(document)
    assert "Cohort 1 had 3 trainees: 0 completed, 3 still training." in text
    assert "CC10 Physical health observations" in text  # the appendix's table

    # Tables with header rows Word repeats on each page, their headers bold.
    headed = [t for t in document.tables if t.rows[0]._tr.trPr is not None
              and t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert len(headed) >= 4
    cohort_table = next(t for t in headed if t.rows[0].cells[0].text == "Cohort")
    assert all(run.bold for cell in cohort_table.rows[0].cells for p in cell.paragraphs for run in p.runs)
    assert cohort_table.rows[1].cells[0].text == "Cohort 1"

    # Each chart an image, described for screen readers by the chart's title and description.
    pictures = document.inline_shapes
    assert len(pictures) >= 3
    descriptions = [shape._inline.docPr.get("descr") for shape in pictures]
    assert any(d.startswith("Trainees: enrolled, completed and what happened next.") for d in descriptions)
    assert all(descriptions)
    for shape in pictures:
        blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        assert blob.startswith(b"\x89PNG")

    # The narrative's own lines as paragraphs, and tips as a bulleted list.
    texts = [p.text for p in document.paragraphs]
    why = texts.index("Physical health checks were missed.")
    assert texts[why + 1] == "We built a role to close the gap."
    tips = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert ["Start with the gaps", "Involve ward managers early"] == [t for t in tips if t in (
        "Start with the gaps", "Involve ward managers early")]
    # The contents: each section's title, its page number a PAGEREF field to a bookmark on
    # that section's heading (Word and LibreOffice fill the numbers in).
    bookmarks = {start.get(qn("w:name")): p.text for p in document.paragraphs if p.style.name == "Heading 1"
                 for start in p._p.findall(qn("w:bookmarkStart"))}
    contents = {}
    for paragraph in document.paragraphs:
        instruction = "".join(t.text for t in paragraph._p.iter(qn("w:instrText"))).split()
        if instruction[:1] == ["PAGEREF"]:
            contents[paragraph.text.rstrip("\t")] = bookmarks.get(instruction[1])
    assert list(contents) == [s.title for s in SECTIONS if s.key != "at-a-glance"]
    assert all(title == heading for title, heading in contents.items()), contents


def test_the_word_cover_has_the_produced_with_ladder_line_unless_the_lead_turns_it_off(study, tmp_path):
    def produced() -> list[str]:
        document = Document(io.BytesIO(render(tmp_path, "--format", "docx")))
        return [p.text for p in document.paragraphs if p.text.startswith("Produced with Ladder")]

    today = timezone.localdate()  # as the case study dates itself
    assert produced() == [f"Produced with Ladder on {today.day} {today:%B %Y} from the programme's records."]
    services.narrative_update(programme=study.programme, actor=study.person(Role.TRAINING_LEAD),
                              show_produced_with_ladder=False)
    assert produced() == []


def test_the_organisation_section_is_the_programmes_not_the_organisations_stored_description(study, tmp_path):
    study.organisation.description = "Our stored blurb about a different programme entirely."
    study.organisation.save()
    document = Document(io.BytesIO(render(tmp_path, "--format", "docx")))
    heading = next(i for i, p in enumerate(document.paragraphs) if p.style.name == "Heading 1"
                   and p.text == "The organisation")
    assert document.paragraphs[heading + 1].text == "Acme Mental Health NHS Trust."
    assert "Our stored blurb" not in docx_text(document)


def test_short_tables_stay_with_their_introduction_and_a_wide_tables_name_column_gets_the_room():
    rows = "".join(
        f'<tr><th scope="row">KSF-C{n}-L2 Personal and people development: Develop own skills and knowledge'
        f'<br><span class="note">NHS Knowledge and Skills Framework</span></th><td>Role-specific</td>'
        f'<td>Competent</td><td class="num">7</td><td class="num">0</td><td class="num">7 of 13</td></tr>'
        for n in range(1, 15))
    html = (
        "<p>The role needs 3 competencies.</p><table><thead><tr><th>Covered by</th><th>Share</th></tr></thead>"
        "<tbody><tr><td>Taught</td><td>20%</td></tr><tr><td>Mapped</td><td>80%</td></tr></tbody></table>"
        '<table class="attainment"><thead><tr><th scope="col">Competency</th><th scope="col">Kind</th>'
        '<th scope="col">Target</th><th scope="col" class="num">Cohort 1 (7)</th>'
        '<th scope="col" class="num">Cohort 2 (6)</th><th class="num">All</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    document = Document(io.BytesIO(html_to_docx(html, title="Tables")))
    short, wide = document.tables
    # The short table and the sentence before it are one block: each of its rows but the last
    # keeps with the next, as does the sentence; the long one may break between rows.
    assert document.paragraphs[0].paragraph_format.keep_with_next
    keeps = [[p.paragraph_format.keep_with_next for cell in row.cells for p in cell.paragraphs] for row in short.rows]
    assert keeps == [[True, True], [True, True], [None, None]]
    assert not any(p.paragraph_format.keep_with_next for row in wide.rows for c in row.cells for p in c.paragraphs)
    # The long table at the PDF's 9 pt, its name column given the room the short columns
    # leave (they may break after a hyphen, as Word does).
    assert {run.font.size.pt for row in wide.rows for c in row.cells for p in c.paragraphs for run in p.runs} == {9}
    widths = [cell.width for cell in wide.rows[0].cells]
    assert widths[0] > 0.35 * sum(widths), [w.mm for w in widths]  # 32% at 10 pt with "Role-specific" whole


def test_the_command_refuses_a_format_a_case_study_has_not(study, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="pdf or docx, not xlsx"):
        render(tmp_path, "--format", "xlsx")


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_word_file_and_lays_it_out(rendered, tmp_path):
    word = rendered.docx
    source = tmp_path / "study.docx"
    source.write_bytes(word)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], capture_output=True, check=True, timeout=180)
    converted = pypdfium2.PdfDocument(tmp_path / "study.pdf")
    document = Document(io.BytesIO(word))
    try:
        assert "Inpatient assistant practitioner" in pdf_text((tmp_path / "study.pdf").read_bytes())
        # LibreOffice read Word's headings as headings, in order: its PDF's bookmarks are the
        # Word file's outline (Heading 1 at depth 0), the contents field's entries not among them.
        assert [(item.level + 1, item.get_title()) for item in converted.get_toc()] == docx_headings(document)
        # The contents' page numbers are where LibreOffice put each section's heading.
        starts = {item.get_title(): item.get_dest().get_index() + 1 for item in converted.get_toc()}
        contents_page = converted[1].get_textpage().get_text_range()
        listed = dict(re.findall(r"^(\S.*?)\.{3,}\s*(\d+)\s*$", contents_page.replace("\r", ""), re.M))
        assert [(title, int(page)) for title, page in listed.items()] == [
            (s.title, starts[s.title]) for s in SECTIONS if s.key != "at-a-glance"], contents_page
        # Every picture (the logo and each chart) is drawn, once.
        drawn = sum(len(list(page.get_objects(filter=[pypdfium2.raw.FPDF_PAGEOBJ_IMAGE]))) for page in converted)
        assert drawn == len(document.inline_shapes) >= 4
        # About as many A4 pages as the PDF (front matter, sections, appendix), and nothing, not
        # even a wide table's last column, runs past the right margin.
        pdf_pages = len(pypdfium2.PdfDocument(rendered.pdf))
        assert abs(len(converted) - pdf_pages) <= max(2, pdf_pages // 3), (len(converted), pdf_pages)
        for number, page in enumerate(converted, start=1):
            width, _ = page.get_size()
            text = page.get_textpage()
            rights = [text.get_charbox(i)[2] for i in range(text.count_chars())]
            assert max(rights, default=0) <= width - WORD_MARGIN_PT + 1, number
    finally:
        converted.close()


# --- The job page: "Download as Word" ------------------------------------------------------------


@pytest.fixture
def queued(monkeypatch):
    jobs = []
    monkeypatch.setattr(services, "_enqueue", jobs.append)
    return jobs


def _finished_pdf_job(world) -> ReportJob:
    job = services.report_job_request(membership=world.person(Role.TRAINING_LEAD).memberships.get(),
                                      kind=ReportJob.Kind.CASE_STUDY, programme=world.programme)
    services.job_finish(job_id=job.pk, content=b"%PDF-1.7 test", file_name="case-study.pdf", page_count=1)
    return job


def test_the_job_page_offers_the_case_study_as_word_and_asks_for_it(world, client, queued):
    job = _finished_pdf_job(world)
    client.force_login(world.person(Role.PLANNER))
    page = client.get(f"/reports/{job.pk}/").content.decode()
    assert "Download as Word" in page
    asked = client.post(f"/programmes/{world.programme.pk}/case-study/request/", {"format": "docx"})
    word = ReportJob.objects.exclude(pk=job.pk).get()
    assert asked["Location"] == f"/reports/{word.pk}/"
    assert (word.file_format, word.label) == ("docx", "Case study (Word)")
    assert word.requested_by == world.person(Role.PLANNER)
    assert queued[-1] == word
    # Its page names it as Word and offers the PDF in turn.
    page = client.get(f"/reports/{word.pk}/").content.decode()
    assert "Case study (Word)" in page


def test_a_format_that_is_not_offered_is_refused_with_a_message(world, client, queued):
    client.force_login(world.person(Role.TRAINING_LEAD))
    answer = client.post(f"/programmes/{world.programme.pk}/case-study/request/", {"format": "exe"}, follow=True)
    assert "Choose PDF or Word for the case study." in answer.content.decode()
    assert not ReportJob.objects.exists()


def test_a_manager_who_asked_for_nothing_is_not_offered_word(world, client, queued):
    job = _finished_pdf_job(world)
    client.force_login(world.person(Role.MANAGER))
    assert client.get(f"/reports/{job.pk}/").status_code == 404
