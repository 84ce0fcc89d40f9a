"""Imported descriptions as safe plain text.

A Moodle file's descriptions are HTML written by whoever made the framework: never render it
as markup. Instead it is reduced to its text, split into paragraphs and list items, and the
templates print that with Django's auto-escaping. Nothing of the original markup reaches the
page (no tags, attributes, links or styles), so there is nothing to sanitise and no
allow-list to keep up to date; what is lost is formatting only. Script and style contents are
dropped, entities decoded, white space collapsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .moodle_csv import FORMAT_HTML, FORMAT_MOODLE

# Elements that start a new paragraph (everything else is inline text).
_BLOCKS = frozenset(
    (
        "address article aside blockquote br dd div dl dt fieldset figcaption figure footer "
        "form h1 h2 h3 h4 h5 h6 header hr main nav ol p pre section table tbody td tfoot th "
        "thead tr ul"
    ).split()
)
_DROPPED = frozenset(
    {"script", "style", "head", "title", "template", "noscript", "iframe", "object"}
)
_SPACES = re.compile(r"\s+")


@dataclass
class Block:
    """A paragraph (``items`` empty) or a bulleted list (``text`` empty)."""

    text: str = ""
    items: list[str] = field(default_factory=list)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.current: list[str] = []
        self.in_item = False
        self.dropping = 0

    def _flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self.current)).strip()
        self.current = []
        if not text:
            return
        if self.in_item:
            if not self.blocks or not self.blocks[-1].items or self.blocks[-1].text:
                self.blocks.append(Block())
            self.blocks[-1].items.append(text)
        else:
            self.blocks.append(Block(text=text))

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED:
            self.dropping += 1
        elif tag == "li":
            self._flush()
            self.in_item = True
        elif tag in _BLOCKS:
            # A break inside a list item continues the item's text.
            if self.in_item and tag == "br":
                self.current.append(" ")
            else:
                self._flush()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in _DROPPED:
            self.dropping -= 1

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
        elif tag == "li":
            self._flush()
            self.in_item = False
        elif tag in ("ul", "ol"):
            self._flush()
            self.in_item = False
        elif tag in _BLOCKS:
            self._flush()
        elif tag in ("td", "th"):
            self.current.append(" ")

    def handle_data(self, data):
        if not self.dropping:
            self.current.append(data)

    def close(self):
        super().close()
        self._flush()


def description_blocks(text: str, description_format: int) -> list[Block]:
    """The description as paragraphs and lists of plain text, for auto-escaped templates.

    HTML (Moodle format 1) and Moodle's own auto-format (0, which allows HTML) are reduced to
    text; plain text and Markdown are shown as written, one paragraph per blank-line-separated
    block.
    """
    if not text or not text.strip():
        return []
    if description_format in (FORMAT_HTML, FORMAT_MOODLE):
        parser = _TextExtractor()
        parser.feed(text)
        parser.close()
        return parser.blocks
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return [Block(text=_SPACES.sub(" ", p).strip()) for p in paragraphs if p.strip()]


def plain_text(text: str, description_format: int) -> str:
    """The description on one line (for summaries and previews)."""
    parts = []
    for block in description_blocks(text, description_format):
        parts.append(block.text or "; ".join(block.items))
    return " ".join(parts)
