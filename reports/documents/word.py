"""The case study as an editable Word file (.docx), for the communications teams who edit it
before publishing.

It is written from the very HTML the PDF is laid out from (templates/reports/case_study.html,
which follows case_study.SECTIONS), so both formats have the same sections, headings, words and
figures in the same order, and a change to the template reaches both. The HTML's small
vocabulary becomes Word's own structure, never pictures of text:

- the cover's h1 the Title style; h2 Heading 1, h3 Heading 2, h4 Heading 3 (kept with what
  follows, in the navigation pane and the contents);
- the contents list (``.contents``) its entries, each with a page-number field pointing at a
  bookmark on its heading (Word and LibreOffice both fill the numbers in);
- paragraphs, bold and italic, line breaks (a narrative's own lines), bulleted and numbered
  lists (each list numbered from 1), quotes in the Quote style;
- tables as Word tables, their header rows marked as such (repeated on each page, read as
  headers by screen readers), figures right-aligned, columns as wide as their words need; a
  short table kept on one page with the sentence that introduces it;
- each SVG chart a PNG (reports.chart_images) with the chart's title and description as its
  alternative text; images (the organisation's logo) from data: URIs or Ladder's own files;
- a page break after the cover and before anything marked to start a new page.
"""

from __future__ import annotations

import base64
import copy
import io
import re
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

import tinyhtml5
from django.conf import settings
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from ..chart_images import chart_png
from ..pdf import static_roots

if TYPE_CHECKING:  # html5 trees are ElementTree elements; Ladder parses no XML with it
    from xml.etree.ElementTree import Element  # nosec B405

HTML_NS = "{http://www.w3.org/1999/xhtml}"
SVG_NS = "{http://www.w3.org/2000/svg}"

FONT = "Arial"
BLUE = RGBColor(0x00, 0x5E, 0xB8)  # NHS blue
DARK_BLUE = RGBColor(0x00, 0x30, 0x87)
GREY = RGBColor(0x4C, 0x62, 0x72)
TEXT = RGBColor(0x21, 0x2B, 0x32)
HEADER_FILL = "E8EDEE"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = Mm(20), Mm(20), Mm(20)
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE
CHART_PX_WIDTH = 640  # evaluations.findings.charts.WIDTH: a chart this wide is drawn CHART_WIDTH wide
CHART_WIDTH = Mm(150)

HEADINGS = {
    "h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3", "h5": "Heading 3", "h6": "Heading 3",
}
BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "figure",
    "figcaption", "ul", "ol", "li", "table", "blockquote", "dl", "dt", "dd", "hr", "svg", "img",
    *HEADINGS,
}
SKIPPED = {"head", "style", "script", "template", "title", "caption-hidden"}
NEW_PAGE_CLASSES = {"new-page", "page-break", "appendix", "section-appendix"}
# Paragraphs the PDF sets apart by size and colour: the cover's organisation, the footnote-like
# "Produced with Ladder" line.
PARAGRAPH_LOOKS = {"organisation": (13, GREY), "produced": (9.5, GREY)}
KEEP_WITH_NEXT_CLASSES = {"intro", "keep-next"}  # an introduction stays with its table or chart
PAGE_AFTER_CLASSES = {"cover", "contents-page"}  # what the PDF gives a page of its own
# A table this short (rows, with its header) stays on one page with what introduces it, as the
# PDF keeps it; a longer one breaks between rows, its header row repeated.
SHORT_TABLE_ROWS = 12
TABLE_TEXT_PT = 10
# Tables the PDF sets smaller to fit their columns (report.css: table.attainment).
TABLE_TEXT_PT_BY_CLASS = {"attainment": 9}
LIST_STYLES = {"ul": ("List Bullet", "List Bullet 2", "List Bullet 3"),
               "ol": ("List Number", "List Number 2", "List Number 3")}


def _tag(element: Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.startswith(HTML_NS):
        return tag[len(HTML_NS):]
    if tag.startswith(SVG_NS):
        return "svg" if tag == f"{SVG_NS}svg" else "svg-part"
    return tag


def _classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def _hidden(element: Element) -> bool:
    classes = _classes(element)
    return (
        element.get("hidden") is not None
        or element.get("aria-hidden") == "true" and _tag(element) != "svg"
        or bool(classes & {"screen-only", "visually-hidden-in-word", "no-word"})
    )


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


# --- The document and its styles ---------------------------------------------------------------


def _set_font(style, *, size: float | None = None, bold: bool | None = None, color: RGBColor | None = None,
              italic: bool | None = None) -> None:
    font = style.font
    font.name = FONT
    rfonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    if rfonts is not None:  # theme fonts would win over the named one in Word
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attribute), None)
        rfonts.set(qn("w:cs"), FONT)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = color


def _new_document(*, title: str, author: str, subject: str, language: str):
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN_SIDE
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    styles = document.styles
    _set_font(styles["Normal"], size=11, color=TEXT)
    normal = styles["Normal"].paragraph_format
    normal.space_after, normal.line_spacing = Pt(6), 1.15
    # The document's language, for spelling and screen readers.
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), language)
    styles["Normal"].element.get_or_add_rPr().append(lang)
    _set_font(styles["Title"], size=26, bold=True, color=BLUE)
    _set_font(styles["Subtitle"], size=14, color=GREY, italic=False)
    for name, size, color in (("Heading 1", 16, BLUE), ("Heading 2", 13, DARK_BLUE), ("Heading 3", 11.5, DARK_BLUE)):
        _set_font(styles[name], size=size, bold=True, color=color, italic=False)
        styles[name].paragraph_format.keep_with_next = True
        styles[name].paragraph_format.space_before = Pt(14 if name == "Heading 1" else 10)
        styles[name].paragraph_format.space_after = Pt(4)
    _set_font(styles["Quote"], size=11, italic=True, color=TEXT)
    _set_font(styles["Caption"], size=9.5, color=GREY, italic=False, bold=False)
    _set_font(styles["TOC Heading"], size=16, bold=True, color=BLUE)
    for name in ("List Bullet", "List Bullet 2", "List Number", "List Number 2", "Header", "Footer"):
        _set_font(styles[name])
    properties = document.core_properties
    properties.title, properties.author, properties.subject = title, author, subject
    properties.language, properties.comments = language, ""
    _footer(section, title)
    return document


def _field(paragraph: Paragraph, instruction: str, cached: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, PAGEREF ...) with its last result shown until it is updated."""
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(cached)
    char("end")


def _bookmark(run, name: str, number: int) -> None:
    """A bookmark around a run (what a PAGEREF field points at)."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    run._r.addprevious(start)
    run._r.addnext(end)


def _footer(section, title: str) -> None:
    section.different_first_page_header_footer = True  # the cover has none
    paragraph = section.footer.paragraphs[0]
    paragraph.text = ""
    paragraph.add_run(f"{title}\t")
    paragraph.style.paragraph_format.tab_stops.clear_all()  # the template's centre and right stops
    paragraph.paragraph_format.tab_stops.add_tab_stop(CONTENT_WIDTH, alignment=WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")
    for run in paragraph.runs:
        run.font.size, run.font.color.rgb = Pt(8.5), GREY


def _update_fields_on_open(document) -> None:
    """Ask Word to fill in the contents' page numbers when the file is opened."""
    settings_element = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings_element.append(update)


# --- Writing the HTML as Word ------------------------------------------------------------------


class _Writer:
    def __init__(self, document):
        self.document = document
        self.body = document  # where blocks go: the document, or a table cell
        self.page_break_pending = False
        self.headings: list[tuple[int, str]] = []
        self.list_numbers: dict[int, int] = {}
        self.bookmarks: dict[str, str] = {}  # a contents entry's text: its heading's bookmark

    # Blocks ------------------------------------------------------------------------------------

    def paragraph(self, style: str | None = None) -> Paragraph:
        paragraph = self.body.add_paragraph(style=style)
        if self.page_break_pending and self.body is self.document:
            paragraph.paragraph_format.page_break_before = True
            self.page_break_pending = False
        return paragraph

    def blocks(self, element: Element, *, keep_lines: bool = False, list_depth: int = 0) -> None:
        """Write an element's content: runs of inline content become paragraphs, block children
        are written in turn."""
        inline: list[Element | str] = []
        if element.text and element.text.strip():
            inline.append(element.text)
        for child in element:
            tag = _tag(child)
            if tag in BLOCKS or tag == "table":
                self.inline_paragraph(inline, keep_lines=keep_lines)
                inline = []
                self.block(child, keep_lines=keep_lines, list_depth=list_depth)
            elif tag and tag not in SKIPPED and not _hidden(child):
                inline.append(child)
            if child.tail and child.tail.strip():
                inline.append(child.tail)
        self.inline_paragraph(inline, keep_lines=keep_lines)

    def block(self, element: Element, *, keep_lines: bool = False, list_depth: int = 0) -> None:
        tag = _tag(element)
        classes = _classes(element)
        if tag in SKIPPED or _hidden(element):
            return
        if classes & NEW_PAGE_CLASSES or "page-break-before" in (element.get("style") or ""):
            self.page_break_pending = self.body is self.document and len(self.document.paragraphs) > 0
        keep_lines = keep_lines or "narrative" in classes
        if tag in HEADINGS:
            self.heading(element, tag)
        elif tag == "p" or tag in ("dt", "dd", "figcaption"):
            style = "Caption" if tag == "figcaption" else "Subtitle" if "subtitle" in classes else None
            paragraph = self.paragraph(style)
            if classes & KEEP_WITH_NEXT_CLASSES:
                paragraph.paragraph_format.keep_with_next = True
            self.runs(paragraph, element, keep_lines=keep_lines, skip_self_tail=True)
            for name, (size, color) in PARAGRAPH_LOOKS.items():
                if name in classes:
                    for run in paragraph.runs:
                        run.font.size, run.font.color.rgb = Pt(size), color
            if tag == "dt":
                for run in paragraph.runs:
                    run.bold = True
        elif tag in ("ul", "ol"):
            if "contents" in classes:
                self.contents(element)
            else:
                self.list(element, tag, depth=list_depth, keep_lines=keep_lines)
        elif tag == "table":
            self.table(element)
        elif tag == "blockquote":
            paragraph = self.paragraph("Quote")
            self.runs(paragraph, element, keep_lines=keep_lines, skip_self_tail=True)
        elif tag == "svg":
            self.chart(element)
        elif tag == "img":
            self.image(element)
        elif tag == "dl":
            self.definitions(element, keep_lines=keep_lines)
        elif tag == "hr":
            return
        else:  # div, section, figure, nav, header, dl...: their content
            self.blocks(element, keep_lines=keep_lines, list_depth=list_depth)
        if classes & PAGE_AFTER_CLASSES and self.body is self.document:
            self.page_break_pending = True

    def definitions(self, element: Element, *, keep_lines: bool) -> None:
        """A list of terms: key facts (``.glance``) as a two-column table; otherwise each
        "Term: value" on its own line."""
        pairs: list[tuple[Element, Element | None]] = []
        items = [c for c in element if _tag(c) in ("dt", "dd", "div")]
        flat: list[Element] = []
        for item in items:
            flat += [c for c in item if _tag(c) in ("dt", "dd")] if _tag(item) == "div" else [item]
        for item in flat:
            if _tag(item) == "dt":
                pairs.append((item, None))
            elif pairs and pairs[-1][1] is None:
                pairs[-1] = (pairs[-1][0], item)
        if not pairs:
            return
        if "glance" in _classes(element):
            table = self.body.add_table(rows=0, cols=2)
            table.style = self.document.styles["Table Grid"]
            for term, value in pairs:
                row = table.add_row()
                self.cell(row.cells[0], term, header=True)
                if value is not None:
                    self.cell(row.cells[1], value, header=False)
                    for run in row.cells[1].paragraphs[0].runs:
                        run.font.size, run.bold = Pt(12), True
            self.paragraph().paragraph_format.space_after = Pt(2)
            return
        for term, value in pairs:
            paragraph = self.paragraph()
            paragraph.paragraph_format.space_after = Pt(2)
            paragraph.add_run(f"{_text(term)}: ").bold = True
            if value is not None:
                self.runs(paragraph, value, keep_lines=keep_lines)

    def heading(self, element: Element, tag: str) -> None:
        text = _text(element)
        if not text:
            return
        if element.get("id") == "contents":  # the contents' own title: not in the contents
            self.paragraph("TOC Heading").add_run(text)
            return
        style = HEADINGS[tag]
        paragraph = self.paragraph(style)
        run = paragraph.add_run(text)
        if text in self.bookmarks:  # the contents' page number refers to it
            _bookmark(run, self.bookmarks[text], len(self.headings))
        if style != "Title":
            self.headings.append((int(style[-1]), text))

    def inline_paragraph(self, inline: list, *, keep_lines: bool) -> None:
        if not any(isinstance(item, Element) or item.strip() for item in inline):
            return
        paragraph = self.paragraph()
        for item in inline:
            if isinstance(item, str):
                self.text(paragraph, item, keep_lines=keep_lines)
            else:
                self.runs(paragraph, item, keep_lines=keep_lines, skip_self_tail=True)

    def list(self, element: Element, tag: str, *, depth: int, keep_lines: bool) -> None:
        style = LIST_STYLES[tag][min(depth, 2)]
        number_id = self.restart_numbering(style) if tag == "ol" else None
        for item in element:
            if _tag(item) != "li" or _hidden(item):
                continue
            paragraph = self.paragraph(style)
            if number_id is not None:
                _set_numbering(paragraph, number_id, level=0)
            nested = [child for child in item if _tag(child) in ("ul", "ol")]
            shallow = copy.copy(item)
            for child in nested:
                shallow.remove(child)
            self.runs(paragraph, shallow, keep_lines=keep_lines, skip_self_tail=True)
            for child in nested:
                self.list(child, _tag(child), depth=depth + 1, keep_lines=keep_lines)

    def restart_numbering(self, style_name: str) -> int | None:
        """A numbered list starts at 1: a new numbering instance of its style's list."""
        style = self.document.styles[style_name]
        num_pr = style.element.pPr.find(qn("w:numPr")) if style.element.pPr is not None else None
        if num_pr is None or num_pr.find(qn("w:numId")) is None:
            return None
        numbering = self.document.part.numbering_part.numbering_definitions._numbering
        base = numbering.num_having_numId(int(num_pr.find(qn("w:numId")).get(qn("w:val"))))
        abstract_id = base.abstractNumId.val
        num = numbering.add_num(abstract_id)
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(1)
        return num.numId

    def contents(self, element: Element) -> None:
        """The contents list: each entry the HTML lists, its page number a PAGEREF field to a
        bookmark on its heading, which Word (on opening: updateFields) and LibreOffice (as it
        lays the pages out) both work out. Not a TOC field: LibreOffice shows a TOC field's
        last result as it was saved, and a file written here has no page numbers to save."""
        entries = [_text(item) for item in element.iter() if _tag(item) == "li"]
        entries = [re.sub(r"\s*\.{2,}\s*\d*$|\s+\d+$", "", entry) for entry in entries if entry]
        for entry in entries:
            bookmark = self.bookmarks.setdefault(entry, f"_Contents{len(self.bookmarks) + 1}")
            paragraph = self.paragraph()
            paragraph.paragraph_format.space_after = Pt(3)
            paragraph.paragraph_format.tab_stops.add_tab_stop(CONTENT_WIDTH, alignment=WD_TAB_ALIGNMENT.RIGHT,
                                                              leader=WD_TAB_LEADER.DOTS)
            paragraph.add_run(f"{entry}\t")
            _field(paragraph, f"PAGEREF {bookmark} \\h", "")

    def table(self, element: Element) -> None:
        rows: list[tuple[Element, bool]] = []
        for part in element:
            tag = _tag(part)
            if tag == "caption":
                caption = self.paragraph("Caption")
                caption.add_run(_text(part)).bold = True
                caption.paragraph_format.keep_with_next = True
            elif tag in ("thead", "tbody", "tfoot"):
                rows += [(row, tag == "thead") for row in part if _tag(row) == "tr"]
            elif tag == "tr":
                rows.append((part, False))
        rows = [(row, head) for row, head in rows if not _hidden(row)]
        if not rows:
            return
        width = max(sum(int(cell.get("colspan") or 1) for cell in row if _tag(cell) in ("td", "th")) for row, _ in rows)
        if width == 0:
            return
        size = next((pt for name, pt in TABLE_TEXT_PT_BY_CLASS.items() if name in _classes(element)),
                    TABLE_TEXT_PT)
        short = len(rows) <= SHORT_TABLE_ROWS
        previous = self.body.paragraphs[-1] if self.body.paragraphs else None
        if short and previous is not None and previous.text.strip():  # its introduction stays with it
            previous.paragraph_format.keep_with_next = True
        table = self.body.add_table(rows=0, cols=width)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        if not any(head for _, head in rows):  # a table with no <thead>: its first all-<th> row
            first = rows[0][0]
            if all(_tag(cell) == "th" for cell in first if _tag(cell) in ("td", "th")):
                rows[0] = (first, True)
        widths = _column_widths(rows, width, size=size)
        table.autofit = False
        for index, column_width in enumerate(widths):
            table.columns[index].width = column_width
        for row_element, is_head in rows:
            row = table.add_row()
            _keep_row_whole(row)
            if is_head:
                _mark_header_row(row)
            column = 0
            for cell_element in row_element:
                if _tag(cell_element) not in ("td", "th") or column >= width:
                    continue
                span = min(int(cell_element.get("colspan") or 1), width - column)
                cell = row.cells[column]
                if span > 1:
                    cell = cell.merge(row.cells[column + span - 1])
                cell.width = sum(widths[column:column + span])
                # A row's own header (<th scope="row">) reads as the PDF prints it: plain.
                column_header = _tag(cell_element) == "th" and cell_element.get("scope") != "row"
                self.cell(cell, cell_element, header=is_head or column_header, size=size)
                column += span
        if short:  # Word keeps a table together by keeping each row's paragraphs with the next row
            for row in table.rows[:-1]:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        self.paragraph().paragraph_format.space_after = Pt(2)  # Word needs a gap between tables

    def cell(self, cell: _Cell, element: Element, *, header: bool, size: float = TABLE_TEXT_PT) -> None:
        saved, self.body = self.body, cell
        first = cell.paragraphs[0]
        self.runs(first, element, keep_lines=False, skip_self_tail=True, block_children=False)
        for child in element:
            if _tag(child) in BLOCKS:
                self.block(child)
        self.body = saved
        numeric = "num" in _classes(element)
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.space_after = Pt(0)
            if numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.size = Pt(size)
                if header:
                    run.bold = True
        if header:
            _shade(cell, HEADER_FILL)

    def chart(self, element: Element) -> None:
        svg = _svg_markup(element)
        image = chart_png(svg)
        title = next((_text(e) for e in element if e.tag == f"{SVG_NS}title"), "Chart")
        description = next((_text(e) for e in element if e.tag == f"{SVG_NS}desc"), "")
        previous = self.body.paragraphs[-1] if self.body.paragraphs else None
        if previous is not None and previous.text.strip():  # its introduction stays with it
            previous.paragraph_format.keep_with_next = True
        paragraph = self.paragraph()
        paragraph.paragraph_format.keep_together = True
        width = min(CHART_WIDTH, int(CHART_WIDTH * image.width_px / CHART_PX_WIDTH))
        picture = paragraph.add_run().add_picture(io.BytesIO(image.png), width=width)
        _alt_text(picture, title, description)

    def image(self, element: Element) -> None:
        content = _image_bytes(element.get("src") or "")
        if content is None:
            return
        paragraph = self.paragraph()
        height = Mm(22) if "logo" in _classes(element) or "logo" in (element.get("alt") or "").lower() else None
        picture = paragraph.add_run().add_picture(io.BytesIO(content), height=height)
        if height is None and picture.width > CONTENT_WIDTH:
            ratio = CONTENT_WIDTH / picture.width
            picture.width, picture.height = int(picture.width * ratio), int(picture.height * ratio)
        _alt_text(picture, element.get("alt") or "", "")

    # Inline ------------------------------------------------------------------------------------

    def runs(self, paragraph: Paragraph, element: Element, *, keep_lines: bool, skip_self_tail: bool = False,
             bold: bool = False, italic: bool = False, small: bool = False, block_children: bool = True) -> None:
        tag = _tag(element)
        if tag in SKIPPED or _hidden(element) or tag in ("svg", "svg-part", "img"):
            return
        classes = _classes(element)
        bold = bold or tag in ("strong", "b")
        italic = italic or tag in ("em", "i", "cite")
        small = small or "note" in classes
        keep_lines = keep_lines or "narrative" in classes
        if tag == "br":
            paragraph.add_run().add_break(WD_BREAK.LINE)
        elif element.text:
            self.text(paragraph, element.text, keep_lines=keep_lines, bold=bold, italic=italic, small=small)
        for child in element:
            child_tag = _tag(child)
            if not block_children and child_tag in BLOCKS:
                continue
            if child_tag in ("ul", "ol", "table"):
                continue
            if child_tag in ("p", "div", "li") and len(paragraph.runs):
                paragraph.add_run().add_break(WD_BREAK.LINE)
            self.runs(paragraph, child, keep_lines=keep_lines, bold=bold, italic=italic, small=small)
            if child.tail:
                self.text(paragraph, child.tail, keep_lines=keep_lines, bold=bold, italic=italic, small=small)
        if tag == "a":
            href = element.get("href") or ""
            if href.startswith(("http://", "https://")) and href not in _text(element):
                self.text(paragraph, f" ({href})", keep_lines=False, small=small)

    def text(self, paragraph: Paragraph, text: str, *, keep_lines: bool, bold: bool = False,
             italic: bool = False, small: bool = False) -> None:
        if keep_lines:
            lines = text.split("\n")
            if not paragraph.runs:
                while lines and not lines[0].strip():
                    lines.pop(0)
            lines = [re.sub(r"[ \t]+", " ", line) for line in lines]
        else:
            collapsed = re.sub(r"\s+", " ", text)
            if not paragraph.runs or paragraph.text.endswith((" ", "\n")):
                collapsed = collapsed.lstrip()
            lines = [collapsed]
        for index, line in enumerate(lines):
            if index:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            if not line:
                continue
            run = paragraph.add_run(line)
            run.bold = bold or None
            run.italic = italic or None
            if small:
                run.font.size, run.font.color.rgb = Pt(9.5), GREY


def _svg_markup(element: Element, *, root: bool = True) -> str:
    """An SVG element written back as markup, its tags without namespace prefixes (an HTML
    parser reads a prefixed <ns0:svg> as an unknown element, not SVG)."""
    if not isinstance(element.tag, str):  # a comment or processing instruction
        return ""
    name = element.tag.rpartition("}")[2]
    attributes = {
        key.rpartition("}")[2] if key.startswith(SVG_NS) else key: value for key, value in element.attrib.items()
    }
    if root:
        attributes["xmlns"] = SVG_NS[1:-1]
        attributes["xmlns:xlink"] = "http://www.w3.org/1999/xlink"
    attrs = "".join(f' {_xml_name(key)}="{escape(value, quote=True)}"' for key, value in attributes.items())
    inner = escape(element.text or "", quote=False)
    for child in element:
        inner += _svg_markup(child, root=False) + escape(child.tail or "", quote=False)
    return f"<{name}{attrs}>{inner}</{name}>"


def _xml_name(key: str) -> str:
    if key.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + key.rpartition("}")[2]
    if key.startswith("{http://www.w3.org/XML/1998/namespace}"):
        return "xml:" + key.rpartition("}")[2]
    return key


def _column_widths(rows: list[tuple[Element, bool]], count: int, *, size: float = TABLE_TEXT_PT) -> list[int]:
    """Widths that never break a word (each column at least as wide as its longest word; Word
    breaks after a hyphen, so "Role-specific" is two), the rest of the text's width shared in
    proportion to how much more each column holds: a name column comes out wide, a figure column
    narrow."""
    char, padding = Mm(2.1 * size / 10), Mm(4.5)  # a wide character of Arial (bold); the cell's margins
    least = [Mm(8)] * count
    wanted = [Mm(8)] * count
    for row, _ in rows:
        column = 0
        for cell in row:
            if _tag(cell) not in ("td", "th"):
                continue
            span = int(cell.get("colspan") or 1)
            if span == 1 and column < count:
                text = _text(cell)
                whole = _tag(cell) == "td" and "num" in _classes(cell)  # "7 of 13" stays on one line
                words = [text] if whole else re.split(r"\s+|(?<=-)", text)
                longest_word = max((len(word) for word in words), default=0)
                least[column] = max(least[column], int(longest_word * char + padding))
                wanted[column] = max(wanted[column], least[column], int(min(len(text), 60) * char + padding))
            column += span
    room = int(CONTENT_WIDTH)
    if sum(least) >= room:  # too many columns for whole words: share the room by words
        return [int(room * width / sum(least)) for width in least]
    if sum(wanted) <= room:  # everything fits on a line: widen in proportion
        return [int(room * width / sum(wanted)) for width in wanted]
    spare, extra = room - sum(least), sum(wanted) - sum(least)
    return [int(low + (want - low) * spare / extra) for low, want in zip(least, wanted, strict=True)]


def _keep_row_whole(row) -> None:
    """A row is never split over two pages (as in the PDF)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _mark_header_row(row) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _set_numbering(paragraph: Paragraph, number_id: int, *, level: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = number_id


def _alt_text(picture, title: str, description: str) -> None:
    """Word's alternative text (docPr title and descr), read by screen readers."""
    doc_pr = picture._inline.docPr
    doc_pr.set("title", title)
    doc_pr.set("descr", f"{title}. {description}".strip() if description else title)


def _image_bytes(src: str) -> bytes | None:
    """A data: URI's bytes, or a file under Ladder's static or media folders (as the PDF's
    fetcher allows); nothing else is read."""
    if src.startswith("data:"):
        header, _, payload = src.partition(",")
        return base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
    roots = [root.resolve() for root in static_roots()] + [Path(settings.MEDIA_ROOT).resolve()]
    if src.startswith("file:"):
        path = Path(unquote(urlparse(src).path)).resolve()
    elif src and "://" not in src:
        path = (Path(settings.BASE_DIR) / "static" / src.lstrip("/")).resolve()
    else:
        return None
    if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
        return None
    return path.read_bytes()


def _body(root: Element) -> Element:
    return next(e for e in root.iter() if _tag(e) == "body")


def html_to_docx(html: str, *, title: str, author: str = "", subject: str = "", language: str = "en-GB") -> bytes:
    """The Word file of a report's HTML (see the module's docstring for what becomes what)."""
    root = tinyhtml5.parse(html)
    document = _new_document(title=title, author=author, subject=subject, language=language)
    writer = _Writer(document)
    writer.blocks(_body(root))
    _update_fields_on_open(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def headings_of(content: bytes) -> Iterator[tuple[str, str]]:
    """(style, text) of each heading of a .docx: what the tests and the command's user check."""
    document = Document(io.BytesIO(content))
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading") or paragraph.style.name == "Title":
            yield paragraph.style.name, paragraph.text

