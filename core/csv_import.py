"""What the CSV importers share: the description of a column (drawn as the documentation
table on each import page) and a problem found in a file, with the line it is on.

Each importer (enrolments, mappings, satisfaction results, Moodle frameworks) keeps its own
checks and messages; these are the parts they all have."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    requirement: str  # as the documentation table says it: "Required", "Optional", ...
    description: str
    example: str
    max_length: int | None = None
    in_header: bool = False  # must the header name it?


@dataclass(frozen=True)
class Problem:
    """Why (part of) a file cannot be imported, on the physical line its row starts (the header
    is line 1). ``line`` None (or 0) is the file as a whole."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message

    def as_dict(self) -> dict:
        return {"line": self.line, "message": self.message}
