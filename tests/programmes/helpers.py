"""Small helpers for the programme tests: people in a partner organisation, dates posted the
way the NHS.UK date input posts them, and reading parts of a page by data-testid or id."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

from programmes import services
from programmes.models import Organisation, Role
from tests.conftest import partner_with

from ..conftest import make_person

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def date_parts(name: str, value: date | None) -> dict[str, str]:
    if value is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def partner_organisation(world, *, slug="westmoor", name="Westmoor University"):
    """A university named as partner on world.programme, with a lecturer and a training lead."""
    university = services.organisation_ensure(
        slug=slug, name=name, kind=Organisation.Kind.EDUCATION
    )
    lecturer = make_person(university, Role.LECTURER, f"lecturer.{slug}")
    lead = make_person(university, Role.TRAINING_LEAD, f"lead.{slug}")
    partner_with(world.programme, university)
    return university, lecturer, lead


class _Node:
    def __init__(self, tag, attrs):
        self.tag, self.attrs, self.children = tag, dict(attrs), []

    def raw(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw() for c in self.children)

    def text(self) -> str:
        return re.sub(r"\s+", " ", self.raw()).strip()

    def iter(self):
        for child in self.children:
            if isinstance(child, _Node):
                yield child
                yield from child.iter()


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


class Page:
    def __init__(self, response):
        parser = _Parser()
        parser.feed(response.content.decode())
        self.root = parser.root

    def all(self, **attrs) -> list[_Node]:
        wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
        return [n for n in self.root.iter() if all(n.attrs.get(k) == v for k, v in wanted.items())]

    def text(self, **attrs) -> str:
        found = self.all(**attrs)
        assert len(found) == 1, f"expected one element with {attrs}, found {len(found)}"
        return found[0].text()

    def items(self, tag: str = "li", **attrs) -> list[str]:
        """The text of each <tag> inside the one element with these attributes."""
        found = self.all(**attrs)
        assert len(found) == 1, f"expected one element with {attrs}, found {len(found)}"
        return [n.text() for n in found[0].iter() if n.tag == tag]

    def rows(self, **attrs) -> list[dict[str, str]]:
        """Each element with these attributes (table rows) as {column heading: cell text}, read
        from the responsive table's per-cell headings."""
        rows = []
        for row in self.all(**attrs):
            cells = {}
            for cell in (n for n in row.children if isinstance(n, _Node) and n.tag in ("td", "th")):
                heading = next(
                    (
                        c
                        for c in cell.children
                        if isinstance(c, _Node) and c.attrs.get("class") == "nhsuk-table__heading"
                    ),
                    None,
                )
                text = cell.text()
                if heading is not None:
                    cells[heading.text()] = text[len(heading.text()) :].strip()
            rows.append(cells)
        return rows

    def has(self, **attrs) -> bool:
        return bool(self.all(**attrs))

    def error_for(self, field_id: str) -> str:
        """The NHS.UK error message next to a field (by the field's id), or ""."""
        found = self.all(id=f"{field_id}-error")
        return re.sub(r"^Error:\s*", "", found[0].text()) if found else ""

    def links(self) -> list[str]:
        return [n.attrs.get("href", "") for n in self.root.iter() if n.tag == "a"]
