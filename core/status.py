"""A status as people read it: the words and the NHS.UK tag colour that repeats them.

Each model with a status answers ``status_tag`` (see core.templatetags.components.status_tag),
so a status looks the same on every page that shows it and the colours live beside the
statuses they colour, not in templates."""

from __future__ import annotations

from typing import NamedTuple

# The NHS.UK frontend's tag colours (nhsuk-tag--<colour>).
COLOURS = frozenset({"white", "grey", "green", "aqua-green", "blue", "purple", "pink", "red", "orange", "yellow"})


class StatusTag(NamedTuple):
    label: str
    colour: str


def tag_for(obj, colours: dict[str, str], *, default: str = "grey", field: str = "status") -> StatusTag:
    """The tag of a model's choices field: its display label, coloured by ``colours``."""
    value = getattr(obj, field)
    return StatusTag(getattr(obj, f"get_{field}_display")(), colours.get(value, default))
