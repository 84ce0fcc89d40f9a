"""Ladder's template components: the NHS.UK frontend parts that pages repeat, written once.

    {% load components %}

    {% back_link href %}Back to {{ programme.title }}{% endback_link %}
    {% status_tag enrolment %}                      the model says its words and colour
    {% problems_table problems %}                   an importer's problems, by line of the file
    {% columns_table columns %}                     the columns it reads (core.csv_import.Column)
    {% data_table caption="Programmes" headers="Title|Status" testid="programmes" %}
      {% for p in programmes %}
        {% row %}{% cell "Title" %}…{% endcell %}{% cell "Status" %}…{% endcell %}{% endrow %}
      {% endfor %}
    {% enddata_table %}
    {% data_table headers="Ward" %}                 a column per period, a heading per row
      {% for label in periods %}{% header numeric=True %}{{ label }}{% endheader %}{% endfor %}
      {% for ward in wards %}{% row %}{% row_header "Ward" %}{{ ward.name }}{% endrow_header %}
        {% for period, value in ward.values|with_headings:periods %}{% cell period %}…{% endcell %}{% endfor %}
      {% endrow %}{% endfor %}
    {% enddata_table %}
    {% summary_list testid="details" %}{% summary_row "Due" %}{{ m.due_on }}{% endsummary_row %}{% endsummary_list %}

A confirm page ("Are you sure … [Confirm] [Cancel]") extends ``components/confirm.html``.

The block tags take their content as it is written (links, tags, anything): only the frame
is shared. Keyword arguments are template expressions (``testid="x"``, ``caption=title``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import lru_cache

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from core.status import StatusTag

register = template.Library()


# --- Parsing the block tags ---------------------------------------------------------------------------


def _arguments(parser: Parser, bits: list[str]) -> tuple[list[FilterExpression], dict[str, FilterExpression]]:
    args, kwargs = [], {}
    for bit in bits:
        name, sep, value = bit.partition("=")
        if sep and name.isidentifier():
            kwargs[name] = parser.compile_filter(value)
        else:
            args.append(parser.compile_filter(bit))
    return args, kwargs


class _BlockNode(template.Node):
    """A component that wraps its content: ``render_frame(content, *args, **kwargs)``."""

    def __init__(self, nodelist, args, kwargs, render_frame):
        self.nodelist, self.args, self.kwargs, self.render_frame = nodelist, args, kwargs, render_frame

    def render(self, context) -> str:
        args = [a.resolve(context) for a in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        # NodeList.render answers a SafeString: what the content's own tags and variables made
        # of it, escaped as they escape. The frame adds only escaped values around it.
        return self.render_frame(self.nodelist.render(context), *args, **kwargs)


def _block_tag(name: str):
    def decorator(render_frame):
        def compile_tag(parser: Parser, token: Token) -> _BlockNode:
            bits = token.split_contents()[1:]
            nodelist = parser.parse((f"end{name}",))
            parser.delete_first_token()
            args, kwargs = _arguments(parser, bits)
            return _BlockNode(nodelist, args, kwargs, render_frame)

        register.tag(name, compile_tag)
        return render_frame

    return decorator


def escape_text(value) -> str:
    """conditional_escape without its lazy-string wrapper (which checks every argument for a
    lazy string on every call): what a table's cells and attributes call most, and tags that
    write a list's markup in Python. The same text: SafeData as it is, anything else through
    html.escape (as django.utils.html.escape)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(**attrs) -> SafeString:
    """` name="value"` for each attribute given a value (data_testid → data-testid). Joined
    by hand rather than with format_html_join: a table calls this for every cell, and this
    takes half the time."""
    return mark_safe("".join(  # noqa: S308 (the names are ours, each value escaped) # nosec B308
        f' {name.replace("_", "-")}="{escape_text(value)}"'
        for name, value in attrs.items() if value not in (None, "")
    ))


# --- Back link --------------------------------------------------------------------------------------


@_block_tag("back_link")
def _back_link(content: str, href: str) -> str:
    """The v10 back link. The content is the link's words ("Back" when empty)."""
    return format_html('<a class="nhsuk-back-link" href="{}">{}</a>', href, content or "Back")


# --- Status tag -------------------------------------------------------------------------------------


@register.simple_tag
def status_tag(obj, testid: str | None = None, classes: str = "", **data: str) -> str:
    """``obj.status_tag`` (a core.status.StatusTag: words and colour) as an NHS.UK tag. The
    words say it; the colour repeats it. ``obj`` may also be a StatusTag itself. ``data_x=…``
    become data-x attributes."""
    if any(not name.startswith("data_") for name in data):
        raise template.TemplateSyntaxError(f"status_tag takes data_* attributes, not {sorted(data)}")
    tag: StatusTag = obj if isinstance(obj, StatusTag) else obj.status_tag
    css = f"nhsuk-tag nhsuk-tag--{tag.colour}" + (f" {classes}" if classes else "")
    return format_html("<strong{}>{}</strong>", _attrs(**{"class": css}, data_testid=testid, **data), tag.label)


# --- Problems table ---------------------------------------------------------------------------------


def _problem_rows(problems: Iterable) -> list[tuple[int | None, list[str]]]:
    """Each problem as (line, [messages]): a core.csv_import.Problem, a (line, message) pair
    or a (line, [messages]) pair (an importer that groups a line's problems)."""
    rows = []
    for problem in problems:
        line, message = (problem.line, problem.message) if hasattr(problem, "message") else problem
        messages = [message] if isinstance(message, str) else list(message)
        rows.append((line or None, [capfirst(str(m)) for m in messages]))
    return rows


@register.inclusion_tag("components/problems_table.html")
def problems_table(problems, caption: str = "Problems in the file", id: str = "problems") -> dict:
    """Every problem an importer found, one row per line of the file (line None: the file as a
    whole). Rows carry data-testid="import-problem"; the table data-testid="import-problems"."""
    return {"rows": _problem_rows(problems), "caption": caption, "id": id}


@register.inclusion_tag("components/columns_table.html")
def columns_table(columns, caption: str = "The columns of the file", caption_size: str = "") -> dict:
    """The columns an importer reads (core.csv_import.Column), documented on its upload page."""
    return {"columns": columns, "caption": caption, "caption_size": caption_size}


# --- Data table -------------------------------------------------------------------------------------


def _caption_html(content, size: str = "") -> str:
    """size: "" visually hidden, "plain" shown at body size, "s"/"m"/"l" a heading size."""
    css = {"": "nhsuk-u-visually-hidden", "plain": ""}.get(size, f"nhsuk-table__caption--{size}")
    css = f"nhsuk-table__caption {css}".strip()
    return format_html('<caption class="{}">{}</caption>', css, content)


@_block_tag("caption")
def _caption(content: str, *, size: str = "") -> str:
    """A data table's caption with markup in it (inside {% data_table %}); visually hidden
    unless ``size`` ("s", "m", "l") is given."""
    return _caption_html(content, size)


# Where a data table's {% header %} tags leave their column headings while its body renders.
_HEADERS = "_data_table_headers"


class _DataTableNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist, self.kwargs = nodelist, kwargs

    def render(self, context) -> str:
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        captions = [n for n in self.nodelist if isinstance(n, _BlockNode) and n.render_frame is _caption]
        body = NodeList(n for n in self.nodelist if n not in captions)
        caption = captions[0].render(context) if captions else ""
        with context.push({_HEADERS: []}):
            content = body.render(context)
            more_headers = context[_HEADERS]
        return _data_table(content, caption, more_headers=more_headers, **kwargs)


class _HeaderNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist, self.kwargs = nodelist, kwargs

    def render(self, context) -> str:
        if _HEADERS not in context:
            raise template.TemplateSyntaxError("header belongs inside a data_table")
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        context[_HEADERS].append(_header_html(self.nodelist.render(context), **kwargs))
        return ""


@register.tag("header")
def _compile_header(parser: Parser, token: Token) -> _HeaderNode:
    """{% header [numeric=True] [classes="nhsuk-u-width-one-half"] %}…{% endheader %} inside a
    data_table: a column heading written in the template, after those of ``headers``. For
    headings that come from the data (a column per period), carry figures, or need a width."""
    bits = token.split_contents()[1:]
    nodelist = parser.parse(("endheader",))
    parser.delete_first_token()
    args, kwargs = _arguments(parser, bits)
    if args:
        raise template.TemplateSyntaxError("header takes keyword arguments only")
    return _HeaderNode(nodelist, kwargs)


def _header_html(content, *, numeric: bool = False, classes: str = "") -> str:
    css = " ".join(filter(None, ["nhsuk-table__header", "nhsuk-table__header--numeric" if numeric else "", classes]))
    return format_html('<th class="{}" scope="col" role="columnheader">{}</th>', css, content)


@register.tag("data_table")
def _compile_data_table(parser: Parser, token: Token) -> _DataTableNode:
    """{% data_table headers="A|B" [caption="…" caption_size="m"] [testid=…] %}
    [{% caption size="m" %}…{% endcaption %}] [{% header %}…{% endheader %}…] rows… {% enddata_table %}"""
    bits = token.split_contents()[1:]
    nodelist = parser.parse(("enddata_table",))
    parser.delete_first_token()
    args, kwargs = _arguments(parser, bits)
    if args:
        raise template.TemplateSyntaxError("data_table takes keyword arguments only")
    return _DataTableNode(nodelist, kwargs)


def _data_table(
    content: str,
    caption_html: str = "",
    *,
    headers: str = "",
    caption: str = "",
    caption_size: str = "",
    testid: str | None = None,
    id: str | None = None,
    numeric: str = "",
    classes: str = "",
    actions: str = "",
    more_headers: Iterable[str] = (),
) -> str:
    """A responsive NHS.UK table: ``headers`` are the column headings separated by "|";
    ``numeric`` names those (also "|"-separated) aligned as numbers; then the headings its
    {% header %} tags made (``more_headers``); ``actions`` (when given) is a last column of
    links whose heading only screen readers hear (its cells: {% action_cell %}). The content
    is its rows."""
    numeric_columns = {h.strip() for h in numeric.split("|") if h.strip()}
    columns = [h.strip() for h in headers.split("|") if h.strip()]
    heads = [_header_html(h, numeric=h in numeric_columns) for h in columns] + list(more_headers)
    # Each heading was built by _header_html, its words escaped there.
    heads = mark_safe("\n      ".join(heads))  # noqa: S308 # nosec B308
    if actions:
        heads = format_html(
            '{}\n      <th class="nhsuk-table__header" scope="col" role="columnheader">'
            '<span class="nhsuk-u-visually-hidden">{}</span></th>',
            heads,
            actions,
        )
    if not caption_html and caption:
        caption_html = _caption_html(caption, caption_size)
    table_class = "nhsuk-table nhsuk-table--responsive" + (f" {classes}" if classes else "")
    return format_html(
        '<table{} role="table">\n  {}\n'
        '  <thead class="nhsuk-table__head" role="rowgroup">\n'
        '    <tr class="nhsuk-table__row" role="row">\n      {}\n    </tr>\n  </thead>\n'
        '  <tbody class="nhsuk-table__body">\n{}\n  </tbody>\n</table>',
        _attrs(**{"class": table_class}, id=id, data_testid=testid),
        caption_html,
        heads,
        content,
    )


@_block_tag("row")
def _row(content: str, *, testid: str | None = None, id: str | None = None, classes: str = "", **data: str) -> str:
    """A row of a data table; ``data_x=…`` become data-x attributes."""
    if any(not name.startswith("data_") for name in data):
        raise template.TemplateSyntaxError(f"row takes data_* attributes, not {sorted(data)}")
    return format_html(
        '<tr{} role="row">{}</tr>',
        _attrs(**{"class": "nhsuk-table__row" + (f" {classes}" if classes else "")}, id=id, data_testid=testid, **data),
        content,
    )


@_block_tag("cell")
def _cell(
    content: str,
    heading: str,
    *,
    numeric: bool = False,
    testid: str | None = None,
    classes: str = "",
    colspan: int | None = None,
    **data: str,
) -> str:
    """One cell, with its column heading repeated for the phone layout (read by screen readers
    from the header row, so hidden from them here). ``colspan`` joins it with the next columns;
    ``data_x=…`` become data-x attributes."""
    if any(not name.startswith("data_") for name in data):
        raise template.TemplateSyntaxError(f"cell takes data_* attributes, not {sorted(data)}")
    css = "nhsuk-table__cell" + (" nhsuk-table__cell--numeric" if numeric else "") + (f" {classes}" if classes else "")
    # An f-string with each value escaped rather than format_html: a table has a cell per
    # column per row, and this is the most called component.
    if colspan is None and not testid and not data and type(heading) is str:
        start = _plain_cell_start(css, heading)
    else:
        start = (
            f'<td{_attrs(**{"class": css}, colspan=colspan, data_testid=testid, **data)} role="cell">'
            f'<span class="nhsuk-table__heading" aria-hidden="true">{escape_text(heading)} </span>'
        )
    return mark_safe(f"{start}{escape_text(content)}</td>")  # noqa: S308 (start escaped; content escaped) # nosec B308


@lru_cache(maxsize=256)
def _plain_cell_start(css: str, heading: str) -> str:
    """A cell's markup up to its content, for a plain heading (a str, not a SafeString or a
    lazy translation, which are escaped differently or per language) and no attributes but
    the class: a table repeats a few of these in every row, each now escaped once."""
    return (
        f'<td{_attrs(**{"class": css})} role="cell">'
        f'<span class="nhsuk-table__heading" aria-hidden="true">{escape_text(heading)} </span>'
    )


# For tags that build a long table's rows in Python (trainees' progress_rows, the findings' rows):
# the same markup as {% row %}, {% cell %} and {% row_header %}, without the template engine's
# work around each.
row_html = _row
cell_html = _cell
# A plain cell's markup before its content (cell_html's, for a heading and no attributes).
cell_start_html = _plain_cell_start


@lru_cache(maxsize=1)
def row_around_html() -> tuple[str, str]:
    """A plain row's markup before and after its cells (row_html's, worked out once): for a
    table of many rows, each joined without format_html's work."""
    before, _, after = row_html(mark_safe("\0")).partition("\0")  # noqa: S308 (a marker) # nosec B308
    return before, after


@_block_tag("row_header")
def _row_header(content: str, heading: str, *, testid: str | None = None) -> str:
    """The first cell of a row that names it (a ward, a theme): a row heading for screen
    readers (``scope="row"``), its column heading repeated for the phone layout as a cell's is."""
    return format_html(
        '<th{} scope="row" role="rowheader"><span class="nhsuk-table__heading" aria-hidden="true">{} </span>{}</th>',
        _attrs(**{"class": "nhsuk-table__header"}, data_testid=testid),
        heading,
        content,
    )


row_header_html = _row_header


@register.filter
def with_headings(values: Iterable, headings: Iterable) -> list[tuple]:
    """A cross-tab row's values beside their columns' headings, for each cell's phone heading:
    ``{% for heading, value in ward.values|with_headings:periods %}``."""
    return list(zip(headings, values, strict=True))


@_block_tag("action_cell")
def _action_cell(content: str, *, classes: str = "", testid: str | None = None) -> str:
    """The cell of a table's actions column (see data_table's ``actions``): no visible heading."""
    return format_html(
        '<td{} role="cell">{}</td>',
        _attrs(**{"class": ("nhsuk-table__cell " + classes).strip()}, data_testid=testid),
        content,
    )


# As row_html and cell_html, for a row's cell of links.
action_cell_html = _action_cell
# And a whole table: {% data_table %}'s frame around rows made so, with its caption and headings.
data_table_html, caption_html, header_html = _data_table, _caption_html, _header_html


# --- Summary list -----------------------------------------------------------------------------------


@_block_tag("summary_list")
def _summary_list(content: str, *, testid: str | None = None, classes: str = "") -> str:
    css = "nhsuk-summary-list" + (f" {classes}" if classes else "")
    return format_html("<dl{}>\n{}\n</dl>", _attrs(**{"class": css}, data_testid=testid), content)


@_block_tag("summary_row")
def _summary_row(content: str, label: str, *, testid: str | None = None) -> str:
    """One label and its value (the content). ``testid`` goes on the value."""
    return format_html(
        '<div class="nhsuk-summary-list__row">\n  <dt class="nhsuk-summary-list__key">{}</dt>\n'
        '  <dd class="nhsuk-summary-list__value"{}>{}</dd>\n</div>',
        label,
        _attrs(data_testid=testid),
        content,
    )
