"""The findings pages' repeated parts as tags rather than template loops (issue 15): a
subject's theme counts and quotes, the table of how the themes change by stage, and the rows of
a cohort's stages (their links reversed once, core.links). The template engine spent longer
around each {% row %} and {% cell %} than their own work, on a page of a few dozen rows and
quotes; the rows are written with the table components' own functions, in the layout the
templates gave them, so the page is the same to the byte."""

from __future__ import annotations

from html import escape

from django import template
from django.template.defaultfilters import pluralize
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from core.links import url_with_pk
from core.templatetags.components import (
    action_cell_html,
    caption_html,
    cell_html,
    data_table_html,
    header_html,
    row_header_html,
    row_html,
)

register = template.Library()


@register.simple_tag
def subject_findings(part, prefix: str, level: int) -> SafeString:
    """One subject's findings (a selectors.SubjectFindings): its interviews, the themes with
    their counts, then the consented quotes, under a heading of ``level`` (2 or 3) whose id
    starts with ``prefix``."""
    subject, label, prefix = escape(part.subject), escape(part.label), escape(prefix)
    if part.interviews:
        interviews = f"{localize(part.interviews)} completed interview{pluralize(part.interviews)}."
    else:
        interviews = "No completed interviews yet."
    found = ""
    mentioned = part.mentioned
    if mentioned:
        table = data_table_html(
            mark_safe(f"\n  \n      {theme_count_rows(part)}\n"),  # noqa: S308 (escaped rows) # nosec B308
            caption_html(f"{part.label}: themes, most mentioned first"),
            headers="Theme|Interviews mentioning it", numeric="Interviews mentioning it",
            testid=f"{part.subject}-themes",
        )
        quotes = ""
        if part.quotes:
            h = 4 if level == 3 else 3
            themes = "".join(
                f'\n  <div data-testid="{subject}-quotes">'
                f'\n    <p class="nhsuk-u-font-weight-bold nhsuk-u-margin-bottom-2">{escape(theme.name)}</p>'
                f"\n    {theme_quotes(theme)}\n  </div>\n  "
                for theme in mentioned if theme.quotes
            )
            quotes = f'\n  <h{h} class="nhsuk-heading-s">What {escape(part.label.lower())} said</h{h}>\n  {themes}\n  '
        found = f"\n  {table}\n  {quotes}\n  "
    elif part.interviews:
        found = "\n  <p>No answers coded yet.</p>\n  "
    return mark_safe(  # noqa: S308 (every value escaped) # nosec B308
        f'\n<section aria-labelledby="{prefix}-{subject}" data-testid="{subject}-findings">'
        f'\n  <h{level} class="nhsuk-heading-{"m" if level == 3 else "l"}" id="{prefix}-{subject}">{label}</h{level}>'
        f'\n  <p data-testid="{subject}-interviews">{interviews}</p>\n  {found}\n</section>\n'
    )


@register.simple_tag
def theme_count_rows(part) -> SafeString:
    """The rows of a subject's themes table (a selectors.SubjectFindings' mentioned themes):
    each theme and the interviews mentioning it, of the subject's interviews."""
    of = f" of {localize(part.interviews)}"
    rows = (
        row_html(mark_safe(  # noqa: S308 (each cell escaped by cell_html) # nosec B308
            f"\n        {cell_html(theme.name, 'Theme')}"
            f"\n        {cell_html(f'{localize(theme.interviews)}{of}', 'Interviews mentioning it', numeric=True)}"
            "\n      "
        ), testid="theme-count")
        for theme in part.mentioned
    )
    return mark_safe("".join(f"\n      {row}\n      " for row in rows))  # noqa: S308 (rows of escaped cells) # nosec B308


@register.simple_tag
def theme_quotes(theme) -> SafeString:
    """A theme's quotes (a selectors.ThemeCount's), each attributed by role and stage."""
    about = escape(theme.name.lower())
    return mark_safe("".join(  # noqa: S308 (every value escaped) # nosec B308
        '\n    <div class="nhsuk-inset-text nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-4" data-testid="quote">'
        f'\n      <span class="nhsuk-u-visually-hidden">Quote about {about}: </span>'
        f'\n      <p class="nhsuk-u-margin-bottom-1">\u201c{escape(quote.text)}\u201d</p>'
        '\n      <p class="nhsuk-body-s nhsuk-u-secondary-text-colour nhsuk-u-margin-bottom-0">'
        f"{escape(quote.attribution)}</p>"
        "\n    </div>\n    "
        for quote in theme.quotes
    ))


@register.simple_tag
def change_table(change) -> SafeString:
    """A selectors.Change's table: a theme a row, then the interviews mentioning it at each
    stage ("3 of 5"), a column per stage."""
    rows = []
    for row in change.rows:
        cells = "".join(
            f"\n          {cell_html(label, stage, numeric=True)}"
            for stage, label in zip(change.stages, row.labels, strict=True)
        )
        content = f"\n        {row_header_html(row.theme, 'Theme')}\n        {cells}\n      "
        rows.append(f"\n      {row_html(mark_safe(content), testid='change-row')}\n      ")  # noqa: S308 (escaped cells) # nosec B308
    return data_table_html(
        mark_safe(f"\n    \n    \n      {''.join(rows)}\n  "),  # noqa: S308 (rows of escaped cells) # nosec B308
        caption_html(f"{change.label}: interviews mentioning each theme, by stage"),
        headers="Theme", testid=f"{change.subject}-change-table",
        more_headers=[header_html(stage, numeric=True) for stage in change.stages],
    )


@register.simple_tag
def stage_rows(stages, can_code: bool) -> SafeString:
    """The rows of a cohort's stages table (selectors.StageFindings): the stage, its trainee and
    manager interviews, and links to its findings and (for those who code) its coding."""
    rows = []
    for stage in stages:
        name, pk = escape(stage.name), stage.stage_ids[0]
        findings = escape(url_with_pk("findings:stage_findings", pk, kwarg="stage_pk"))
        coding = escape(url_with_pk("findings:coding", pk, kwarg="stage_pk"))
        code = (
            f'<li class="nhsuk-u-margin-bottom-0"><a href="{coding}">'
            f'Code answers<span class="nhsuk-u-visually-hidden"> for {name}</span></a></li>'
        ) if can_code else ""
        links = mark_safe(  # noqa: S308 (the URLs and the name escaped) # nosec B308
            '\n        <ul class="nhsuk-list nhsuk-u-margin-bottom-0">'
            f'\n          <li class="nhsuk-u-margin-bottom-1"><a href="{findings}">Findings'
            f'<span class="nhsuk-u-visually-hidden"> for {name}</span></a></li>'
            f"\n          {code}\n        </ul>\n      "
        )
        content = (
            f"\n      {cell_html(stage.name, 'Stage')}"
            f"\n      {cell_html(localize(stage.trainee.interviews), 'Trainee interviews', numeric=True)}"
            f"\n      {cell_html(localize(stage.manager.interviews), 'Manager interviews', numeric=True)}"
            f"\n      {action_cell_html(links)}\n    "
        )
        rows.append(f"\n    {row_html(mark_safe(content), testid='stage')}\n    ")  # noqa: S308 (escaped cells) # nosec B308
    return mark_safe("".join(rows))  # noqa: S308 (rows of escaped cells) # nosec B308
