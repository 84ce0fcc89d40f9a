"""Read and write Moodle's competency-framework CSV format (``admin/tool/lpimportcsv``).

This is a pure format module: text in, dataclasses out, and back. It knows nothing about
Ladder's models; the import service turns a :class:`ParsedFramework` into rows.

The format, as Moodle's importer reads it
=========================================

Everything below was checked against Moodle's own source: ``framework_importer.php`` and
``framework_exporter.php`` in ``admin/tool/lpimportcsv/classes``, ``csv_import_reader`` and
``csv_export_writer`` in ``lib/csvlib.class.php``, and the ``core_competency`` persistents
(``competency``, ``competency_framework``, ``related_competency``, the two rule classes).

* **Bytes.** Moodle's upload form asks for the encoding (default UTF-8) and converts from it,
  strips a UTF-8 byte-order mark, turns ``\\r\\n`` and lone ``\\r`` into ``\\n`` (inside quoted
  descriptions too) and trims white space from both ends of the whole file. We do the same,
  except that Moodle silently drops bytes that are not valid in the chosen encoding; we refuse
  the file instead (see :func:`read_framework`), because a wrong encoding must give an error,
  not garbage.
* **Rows.** PHP's ``fgetcsv`` with ``"`` as the quote and ``\\`` as its escape character.
  Quoted fields may span lines (descriptions are multi-line HTML), a doubled quote is a quote,
  and - a PHP quirk - a backslash inside quotes protects the next character, so ``\\"`` does
  not close the field. We reproduce that reader exactly rather than use Python's ``csv``.
  Empty lines are skipped; any other row whose column count differs from the header's makes
  Moodle reject the whole file ("csvweirdcolumns"). We require 14 columns in every row: Moodle
  would take a narrower header and read the missing columns as empty, but in practice a count
  other than 14 means a broken quote or the wrong delimiter.
* **Columns** are read by position, never by header wording (sites write the header in their
  own language). The first row is the header and is skipped. See :data:`HEADER`.
* **The framework row** is the one whose *Is framework* column is PHP-true (anything but
  ``""`` and ``"0"``). Moodle keeps the last one if there are several; we require exactly one.
  Its *Scale values* and *Scale configuration* are the framework's scale; its *Taxonomy* column
  names one term per depth level (``domain,value,concept,outcome``), from a fixed list
  (:data:`TAXONOMY_TERMS`; an empty level means "competency").
* **The tree.** Moodle files every other row by ID number, then builds the tree from the top
  (empty parent) down, so rows may come in any order and siblings keep their file order. Rows
  whose parent names no competency, or whose parents form a loop, are never reached and are
  silently left out; a later row with the same ID number silently replaces an earlier one; a
  row with an empty ID number or short name (PHP ``empty()``: ``"0"`` counts as empty) is
  skipped with all its descendants; ID numbers and short names longer than 100 characters are
  cut to 100 with ``shorten_text``. All of these are errors here (with line numbers), since an
  import that quietly loses competencies is worse than one that says what to fix.
* **Scales.** A row with scale values overrides the framework's scale for that competency
  (empty = inherit). The values are comma separated, each trimmed (``grade_scale::load_items``).
  The configuration is JSON: ``[{"scaleid":"2"},{"id":1,"scaledefault":1,"proficient":0},...]``
  where the first object holds the *source site's* scale id (the importer overwrites it with
  the local one) and each later object refers to a value by its 1-based position. Moodle
  requires at least one default and at least one proficient value (the first default is the
  one used); a row with scale values but no configuration crashes its importer. Configuration
  without values is ignored by Moodle (a warning here).
* **Cross-references** ("related competencies") are comma separated ID numbers, ``%2C``
  standing for a comma inside one. **Moodle skips an ID number that names no competency in the
  file without a word** (``if (isset($this->flat[$idnumber]))``), so we do too: it is dropped
  from :attr:`Competency.cross_references` and reported in :attr:`ParsedFramework.warnings`,
  not as an error. A competency naming itself is an error: Moodle's ``related_competency``
  validation throws, half-way through an import it cannot roll back. Relations are symmetric
  (one record per pair), which is why Moodle's exports list each pair from both ends.
* **Rules** (type, outcome, config) are applied after all competencies exist, and only if the
  rule class exists on the site (:data:`RULE_ALL`, :data:`RULE_POINTS`); others are ignored
  (a warning here). Config ``null`` (or empty) means none. The *points* rule's config refers
  to child competencies by their **Exported ID** (the source site's database id), which the
  importer maps to the new competencies; an unknown id or a non-child makes it throw.
* **Description format**: 1 HTML, 0 Moodle, 2 plain, 4 Markdown. An empty cell is 0 (PHP's
  ``(int) ''``), except that a competency with no description gets Moodle's default, HTML.
* **Not reproduced**: Moodle passes ID numbers and short names through ``PARAM_TEXT``, which
  strips HTML tags (we keep the text as written), and compares parent ID numbers with PHP's
  loose ``==``, under which ``"1.1"`` equals ``"1.10"`` (we compare exactly).

What Moodle's exporter writes (:func:`write_framework` does the same)
=======================================================================

PHP ``fputcsv`` with ``,``, ``"`` and ``\\``: a field is quoted only if it contains a comma, a
quote, a backslash, a space, a tab or a line break; quotes inside are doubled; lines end in
``\\n``; no byte-order mark. The header is the English one; then the framework row (empty
parent, ``1`` in *Is framework*, empty rule columns); then one row per competency with
*Rule config* ``null`` when there is none, *Rule outcome* as a number, its own database id as
*Exported ID*, and empty *Is framework* and *Taxonomy*. Moodle writes competencies in database
order; we write them in tree order, which Moodle reads identically. (The only other departure:
where ``fputcsv``'s escaping would be misread by ``fgetcsv`` - see :func:`_csv_field` - we
write what it reads correctly.)
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.csv_import import Problem

__all__ = [
    "COLUMN_COUNT",
    "DESCRIPTION_FORMATS",
    "FORMAT_HTML",
    "FORMAT_MARKDOWN",
    "FORMAT_MOODLE",
    "FORMAT_PLAIN",
    "HEADER",
    "MAX_DEPTH",
    "MAX_JSON_DEPTH",
    "MAX_NAME_LENGTH",
    "RULE_ALL",
    "RULE_OUTCOMES",
    "RULE_POINTS",
    "TAXONOMY_TERMS",
    "Competency",
    "Framework",
    "MoodleCsvError",
    "ParsedFramework",
    "Problem",
    "Scale",
    "ScaleItemConfig",
    "read_framework",
    "tree_order",
    "write_framework",
]

# --- The format's constants --------------------------------------------------------------------

#: The header Moodle writes (tool_lpimportcsv's English strings), in column order. Only the
#: number of columns matters when reading: the wording depends on the exporting site's language.
HEADER: tuple[str, ...] = (
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
)
COLUMN_COUNT = len(HEADER)

(
    _PARENT,
    _ID_NUMBER,
    _SHORT_NAME,
    _DESCRIPTION,
    _FORMAT,
    _SCALE_VALUES,
    _SCALE_CONFIG,
    _RULE_TYPE,
    _RULE_OUTCOME,
    _RULE_CONFIG,
    _RELATED,
    _EXPORTED_ID,
    _IS_FRAMEWORK,
    _TAXONOMY,
) = range(COLUMN_COUNT)

#: Moodle stores ID numbers and short names in 100-character columns.
MAX_NAME_LENGTH = 100

#: The deepest tree Ladder takes (1 = top level). Moodle sets no limit, but real frameworks are
#: a handful of levels deep, and the framework page renders the tree recursively: a file nested
#: thousands deep is refused with the line of the first competency past the limit.
MAX_DEPTH = 50
#: How deeply the JSON in Scale configuration and Rule config may nest. Moodle's own is two
#: levels (a list of objects; a points rule's config three). Python's JSON decoder recurses,
#: so a file nested tens of thousands deep would otherwise stop the import with a RecursionError.
MAX_JSON_DEPTH = 20

#: Moodle's text formats (``FORMAT_*`` in lib/weblib.php); a description may use these four.
FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN = 0, 1, 2, 4
DESCRIPTION_FORMATS = frozenset({FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN, FORMAT_MARKDOWN})

#: The completion rules Moodle ships (``competency::get_available_rules()``), as its exporter
#: writes them (class names without a leading backslash).
RULE_ALL = "core_competency\\competency_rule_all"
RULE_POINTS = "core_competency\\competency_rule_points"
#: ``competency::OUTCOME_*``: what happens when a rule is met.
RULE_OUTCOMES = {0: "none", 1: "evidence", 2: "complete", 3: "recommend"}

#: ``competency_framework::TAXONOMY_*``: the only terms Moodle accepts in the Taxonomy column.
TAXONOMY_TERMS = frozenset(
    {
        "behaviour",
        "competency",
        "concept",
        "domain",
        "indicator",
        "level",
        "outcome",
        "practice",
        "proficiency",
        "skill",
        "value",
    }
)

# PHP's trim() characters, and C's isspace() (used by fgetcsv before an opening quote).
_PHP_TRIM = " \t\n\r\0\x0b"
_C_ISSPACE = " \t\n\r\x0b\x0c"
# fputcsv quotes a field containing any of these (besides the delimiter).
_FPUTCSV_QUOTE_TRIGGERS = frozenset('"\\\n\r\t ')
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")


def _json_depth(raw: str) -> int:
    """How deeply the arrays and objects in ``raw`` nest, brackets inside strings not counted.
    A linear scan, so it is safe on text the JSON decoder would recurse too deeply on."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


# --- Problems ------------------------------------------------------------------------------------


class MoodleCsvError(ValueError):
    """The file cannot be imported. ``problems`` lists every problem found, in line order.

    Reading is all-or-nothing: nothing is returned from a file with any problem, because Moodle's
    own importer silently imports what it can, and a half-imported framework is hard to notice.
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = sorted(
            problems, key=lambda p: (p.line is not None, p.line or 0)
        )
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} in the competency framework file"
        super().__init__(summary + ":\n" + "\n".join(f"- {p}" for p in self.problems))


# --- The parsed framework ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleItemConfig:
    """How one scale value is configured: ``id`` is its 1-based position in the scale's values."""

    id: int
    scale_default: bool = False
    proficient: bool = False


@dataclass(frozen=True)
class Scale:
    """A rating scale and its configuration.

    Moodle identifies a scale by its values alone (the importer reuses a site scale whose values
    are the same text, or creates one), so ``values`` is what matters. ``configuration`` says which
    value is given by default and which count as proficient; values not listed are neither.
    ``moodle_scale_id`` is the source site's scale id from the configuration JSON; it means nothing
    elsewhere and is kept only so that an export reproduces the file.
    """

    values: tuple[str, ...]
    configuration: tuple[ScaleItemConfig, ...]
    moodle_scale_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(self.values))
        object.__setattr__(self, "configuration", tuple(self.configuration))

    @property
    def default_value(self) -> str | None:
        """The value a rating starts at: the first configured default, as Moodle takes it."""
        for item in self.configuration:
            if item.scale_default and 1 <= item.id <= len(self.values):
                return self.values[item.id - 1]
        return None

    @property
    def proficient_values(self) -> tuple[str, ...]:
        """The values that count as proficient, in scale order."""
        ids = {item.id for item in self.configuration if item.proficient}
        return tuple(v for position, v in enumerate(self.values, 1) if position in ids)

    def values_text(self) -> str:
        """The Scale values column, as ``grade_scale::compact_items()`` writes it."""
        return ",".join(self.values)

    def configuration_json(self) -> str:
        """The Scale configuration column, in the exact shape Moodle's scale dialog stores."""
        parts = [json.dumps({"scaleid": self.moodle_scale_id}, separators=(",", ":"))]
        parts += [
            f'{{"id":{item.id},"scaledefault":{int(item.scale_default)},'
            f'"proficient":{int(item.proficient)}}}'
            for item in self.configuration
        ]
        return "[" + ",".join(parts) + "]"


@dataclass(frozen=True, kw_only=True)
class Framework:
    """The framework row. ``taxonomies[0]`` names depth 1 (top-level competencies), and so on."""

    id_number: str
    short_name: str
    scale: Scale
    description: str = ""
    description_format: int = FORMAT_HTML
    taxonomies: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "taxonomies", tuple(self.taxonomies))

    def taxonomy_for_depth(self, depth: int) -> str:
        """The term for competencies at ``depth`` (1 = top level). Like Moodle's
        ``competency_framework::get_taxonomy()``, a missing or empty level is "competency"."""
        if 1 <= depth <= len(self.taxonomies) and self.taxonomies[depth - 1]:
            return self.taxonomies[depth - 1]
        return "competency"


@dataclass(frozen=True, kw_only=True)
class Competency:
    """One competency row.

    ``parent_id_number`` is None at the top level. ``scale`` is None when the competency uses the
    framework's scale. ``rule_config`` is None where the file says ``null`` (or nothing).
    ``cross_references`` holds the ID numbers of related competencies in the file (only those that
    exist: see the module notes). ``exported_id`` is the source site's database id, which points
    rules refer to. ``depth`` (1 = top level) and ``line`` are filled in by :func:`read_framework`
    and ignored when comparing.
    """

    id_number: str
    short_name: str
    description: str = ""
    description_format: int = FORMAT_HTML
    parent_id_number: str | None = None
    scale: Scale | None = None
    rule_type: str | None = None
    rule_outcome: int = 0
    rule_config: str | None = None
    cross_references: tuple[str, ...] = ()
    exported_id: str | None = None
    depth: int = field(default=0, compare=False)
    line: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cross_references", tuple(self.cross_references))


@dataclass(frozen=True)
class ParsedFramework:
    """A framework and its competencies.

    :func:`read_framework` lists ``competencies`` in tree order (parents before children, siblings
    in file order: the order in which Moodle creates them), so two files with the same tree in a
    different row order read as equal. ``warnings`` are things Moodle silently ignores (see the
    module notes); they do not stop an import and are not compared.
    """

    framework: Framework
    competencies: tuple[Competency, ...]
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "competencies", tuple(self.competencies))
        object.__setattr__(self, "warnings", tuple(self.warnings))

    def get(self, id_number: str) -> Competency | None:
        """The competency with this ID number, or None."""
        return next((c for c in self.competencies if c.id_number == id_number), None)

    def children_of(self, id_number: str | None) -> tuple[Competency, ...]:
        """The direct children of a competency (None: the top-level competencies), in order."""
        return tuple(c for c in self.competencies if c.parent_id_number == id_number)

    def tree_order(self) -> list[Competency]:
        """The competencies in tree order: see :func:`tree_order`."""
        return tree_order(self.competencies)

    def related_pairs(self) -> set[frozenset[str]]:
        """The relations Moodle would create: one unordered pair per relation, however many
        rows list it (Moodle stores a relation once and exports it from both ends)."""
        return {
            frozenset((c.id_number, other))
            for c in self.competencies
            for other in c.cross_references
            if other != c.id_number
        }


def tree_order(competencies: Iterable[Competency]) -> list[Competency]:
    """Competencies ordered parents first, each followed by its subtree, siblings in the given
    order - the order Moodle's importer creates them in, and the order :func:`write_framework`
    writes them in.

    Competencies that cannot be reached from the top level (a parent that is not in the list,
    or parents that loop) are left out; :func:`read_framework` reports those as errors.
    """
    return [competency for competency, _depth in _walk(competencies)]


def _walk(competencies: Iterable[Competency]) -> list[tuple[Competency, int]]:
    children: dict[str | None, list[Competency]] = {}
    for competency in competencies:
        children.setdefault(competency.parent_id_number, []).append(competency)
    ordered: list[tuple[Competency, int]] = []
    seen: set[int] = set()
    stack = [(c, 1) for c in reversed(children.get(None, []))]
    while stack:
        competency, depth = stack.pop()
        if id(competency) in seen:  # only possible with duplicate ID numbers
            continue
        seen.add(id(competency))
        ordered.append((competency, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(competency.id_number, [])))
    return ordered


# --- Reading -----------------------------------------------------------------------------------


def read_framework(
    data: bytes | str, *, encoding: str = "utf-8", delimiter: str = ","
) -> ParsedFramework:
    """Parse a Moodle competency-framework CSV file, or raise :class:`MoodleCsvError` listing
    every problem with its line number.

    ``data`` as bytes is decoded with ``encoding`` (Moodle's upload form also makes the person
    say which encoding the file is in; UTF-8 is its default and what its exporter writes). A UTF-8
    byte-order mark is removed and always means UTF-8. Decoding is strict: bytes that are not
    valid in the encoding are an error naming the line, never replaced or dropped. There is
    deliberately no automatic fall-back to Windows-1252/Latin-1: those decode *any* bytes, so a
    guess would turn a UTF-8 file with one bad byte, or a UTF-16 one, into plausible-looking
    garbage. A spreadsheet's "CSV UTF-8" is right; a legacy Excel "CSV" needs
    ``encoding="cp1252"``. UTF-16 ("Unicode text") is refused with a clear message.

    ``delimiter`` matches the form's CSV delimiter choice (``,`` by default; ``;`` is what Excel
    writes in many European locales).
    """
    text = _decode(data, encoding)
    rows, problems = _php_csv_rows(text, delimiter)
    if not rows:
        raise MoodleCsvError(problems or [Problem(None, "The file is empty.")])

    header_line, header = rows[0]
    if len(header) != COLUMN_COUNT:
        hint = ""
        joined = delimiter.join(header)
        for name, candidate in (("semicolons", ";"), ("tabs", "\t"), ("commas", ",")):
            if candidate != delimiter and joined.count(candidate) >= COLUMN_COUNT - 1:
                hint = f" The columns look separated by {name}: choose that delimiter."
                break
        problems.append(
            Problem(
                header_line,
                f"The header row has {len(header)} column{'s' if len(header) != 1 else ''}; "
                f"a Moodle competency framework file has {COLUMN_COUNT}.{hint}",
            )
        )
        raise MoodleCsvError(problems)

    # After an unclosed quote the rest of the file is unread: report what the rows before it
    # show, but not what may only be missing because it was in the unread part.
    return _Reader(rows[1:], problems, truncated=bool(problems)).read()


def _decode(data: bytes | str, encoding: str) -> str:
    if isinstance(data, str):
        text = data.removeprefix("\ufeff")
    else:
        is_utf16 = encoding.lower().replace("_", "-").startswith("utf-16")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) and not is_utf16:
            raise MoodleCsvError(
                [
                    Problem(
                        None,
                        'The file is UTF-16 ("Unicode text"), which Moodle\'s importer cannot '
                        'read. Save it as "CSV UTF-8" and upload it again.',
                    )
                ]
            )
        if b"\0" in data and not is_utf16:
            raise _nul_error()  # UTF-16 without a byte-order mark is also "valid" UTF-8
        if data.startswith(b"\xef\xbb\xbf"):
            data, encoding = data[3:], "utf-8"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = len(re.findall(rb"\r\n|\r|\n", data[: exc.start])) + 1
            raise MoodleCsvError(
                [
                    Problem(
                        line,
                        f"The file is not valid {encoding} text (byte 0x{data[exc.start]:02X} "
                        f'cannot be read). Save it as "CSV UTF-8" and upload it again, or say '
                        f"which encoding it is in (for example Windows-1252).",
                    )
                ]
            ) from None
    if "\0" in text:
        raise _nul_error()
    return text


def _nul_error() -> MoodleCsvError:
    return MoodleCsvError(
        [
            Problem(
                None,
                "The file contains NUL characters, so it is probably UTF-16 or not a text file. "
                'Save it as "CSV UTF-8" and upload it again.',
            )
        ]
    )


def _php_csv_rows(text: str, delimiter: str) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """Split ``text`` into rows exactly as Moodle's ``csv_import_reader::load_csv_content()``
    does with PHP's ``fgetcsv``, returning ``(line the row starts on, fields)`` pairs.

    The quirks reproduced: white space before an opening quote is skipped; an unquoted field is
    taken verbatim (spaces kept); inside quotes ``""`` is a quote, a backslash keeps itself and
    protects the next character (even a quote or a line break), and a line break is part of the
    field; text after a closing quote, up to the delimiter, is appended as is; an empty line is
    skipped. An unclosed quote is an error here (PHP would swallow the rest of the file into it).
    """
    if len(delimiter) != 1 or delimiter in '"\\\r\n':
        raise ValueError(f"Unusable CSV delimiter {delimiter!r}")
    text = re.sub(r"\r\n?", "\n", text)
    stripped = text.lstrip(_PHP_TRIM)
    first_line = text[: len(text) - len(stripped)].count("\n") + 1
    lines = stripped.rstrip(_PHP_TRIM).split("\n")
    if lines == [""]:
        return [], []

    rows: list[tuple[int, list[str]]] = []
    i = 0
    while i < len(lines):
        row_line = first_line + i
        if lines[i] == "":
            i += 1
            continue
        fields: list[str] = []
        pos = 0
        while True:
            line = lines[i]
            start = pos
            while start < len(line) and line[start] != delimiter and line[start] in _C_ISSPACE:
                start += 1
            if start < len(line) and line[start] == '"':
                field_line = first_line + i
                pos = start + 1
                value: list[str] = []
                state = 0  # 0: inside quotes, 1: after a backslash, 2: after a quote
                while True:
                    if pos >= len(line):
                        if state == 2:
                            break
                        if i + 1 >= len(lines):
                            return rows, [
                                Problem(
                                    field_line,
                                    "A quoted field that starts on this line is never closed "
                                    '(a " is missing), so the rest of the file cannot be read.',
                                )
                            ]
                        value.append("\n")
                        i += 1
                        line, pos = lines[i], 0
                        continue  # PHP keeps the state: a backslash protects the line break
                    ch = line[pos]
                    if state == 1:
                        value.append(ch)
                        state = 0
                    elif state == 2:
                        if ch != '"':
                            break  # that quote closed the field
                        value.append('"')
                        state = 0
                    elif ch == '"':
                        state = 2
                    else:
                        value.append(ch)
                        if ch == "\\":
                            state = 1
                    pos += 1
                end = line.find(delimiter, pos)
                end = len(line) if end == -1 else end
                value.append(line[pos:end])
                fields.append("".join(value))
            else:
                end = line.find(delimiter, pos)
                end = len(line) if end == -1 else end
                fields.append(line[pos:end])
            pos = end
            if pos < len(line):  # at a delimiter: another field follows
                pos += 1
                continue
            break
        rows.append((row_line, fields))
        i += 1
    return rows, []


def _php_truthy(value: object) -> bool:
    """PHP's truthiness for a CSV string or a decoded JSON value (JSON objects are truthy)."""
    return not (value is None or value is False or value == [] or value in ("", "0", 0))


def _php_empty(value: str) -> bool:
    """Moodle tests ID numbers and short names with ``empty()``, for which "0" is empty; we also
    refuse white space alone."""
    return value.strip() == "" or value == "0"


@dataclass
class _CompetencyRow:
    competency: Competency
    raw_references: str
    points_config: object = None  # the decoded config of a points rule


class _Reader:
    """Turns the data rows into a ParsedFramework, collecting every problem on the way."""

    def __init__(
        self, rows: list[tuple[int, list[str]]], problems: list[Problem], *, truncated: bool
    ):
        self.rows = rows
        self.problems = problems
        self.truncated = truncated
        self.warnings: list[Problem] = []
        # ID numbers on rows too malformed to read: problems that only follow from those rows
        # (a child whose parent is on one, say) are not reported on top.
        self.unreadable_ids: set[str] = set()
        self.unreadable_framework = False

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(line, message))

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(Problem(line, message))

    def read(self) -> ParsedFramework:
        frameworks: list[Framework] = []
        entries: list[_CompetencyRow] = []
        for line, fields in self.rows:
            if len(fields) != COLUMN_COUNT:
                self.error(
                    line,
                    f"This row has {len(fields)} column{'s' if len(fields) != 1 else ''}; every "
                    f"row needs {COLUMN_COUNT}, like the header (is a quote missing or extra?).",
                )
                if len(fields) > _ID_NUMBER:
                    self.unreadable_ids.add(fields[_ID_NUMBER])
                if len(fields) > _IS_FRAMEWORK and _php_truthy(fields[_IS_FRAMEWORK]):
                    self.unreadable_framework = True
                continue
            if _php_truthy(fields[_IS_FRAMEWORK]):
                frameworks.append(self.framework_row(line, fields))
            else:
                entries.append(self.competency_row(line, fields))

        framework = self.one_framework(frameworks)
        competencies = self.check_tree(entries, framework)
        if self.problems:
            raise MoodleCsvError(self.problems)
        assert framework is not None  # one_framework() reported it otherwise; for the type checker # nosec B101
        return ParsedFramework(
            framework=framework,
            competencies=competencies,
            warnings=tuple(sorted(self.warnings, key=lambda p: p.line or 0)),
        )

    # -- one row at a time

    def names(self, line: int, fields: list[str], what: str) -> tuple[str, str]:
        id_number, short_name = fields[_ID_NUMBER], fields[_SHORT_NAME]
        for value, other, label, column in (
            (id_number, short_name, "ID number", 2),
            (short_name, id_number, "short name", 3),
        ):
            named = what if _php_empty(other) else f"{what} {other[:MAX_NAME_LENGTH]!r}"
            if _php_empty(value):
                self.error(line, f"The {named} has no {label} (column {column}).")
            elif len(value) > MAX_NAME_LENGTH:
                self.error(
                    line,
                    f"The {named} has a {label} {len(value)} characters long; the most Moodle "
                    f"allows is {MAX_NAME_LENGTH}.",
                )
        return id_number, short_name

    def description_format(self, line: int, raw: str, description: str, *, competency: bool) -> int:
        # Moodle's importer copies a competency's format only along with a description, so an
        # empty description gets the default (HTML) whatever the column says.
        if competency and description == "":
            return FORMAT_HTML
        if raw.strip() == "":
            return FORMAT_MOODLE  # clean_param('', PARAM_INT) is 0
        if not _INTEGER.fullmatch(raw) or int(raw) not in DESCRIPTION_FORMATS:
            self.error(
                line,
                f"Description format (column 5) is {raw!r}; it must be 1 (HTML), 0 (Moodle auto-"
                f"format), 2 (plain text) or 4 (Markdown).",
            )
            return FORMAT_HTML
        return int(raw)

    def framework_row(self, line: int, fields: list[str]) -> Framework:
        id_number, short_name = self.names(line, fields, "framework")
        description = fields[_DESCRIPTION]
        taxonomies = tuple(fields[_TAXONOMY].split(",")) if fields[_TAXONOMY] else ()
        for term in taxonomies:
            if term and term not in TAXONOMY_TERMS:
                self.error(
                    line,
                    f"Taxonomy (column 14) has {term!r}, which Moodle does not know; use "
                    f"{', '.join(sorted(TAXONOMY_TERMS))}.",
                )
        scale = self.scale(line, fields, required=True)
        return Framework(
            id_number=id_number,
            short_name=short_name,
            description=description,
            description_format=self.description_format(
                line, fields[_FORMAT], description, competency=False
            ),
            scale=scale or Scale(values=(), configuration=()),
            taxonomies=taxonomies,
            line=line,
        )

    def competency_row(self, line: int, fields: list[str]) -> _CompetencyRow:
        id_number, short_name = self.names(line, fields, "competency")
        description = fields[_DESCRIPTION]
        rule_type, rule_outcome, rule_config, points_config = self.rule(line, fields)
        competency = Competency(
            id_number=id_number,
            short_name=short_name,
            description=description,
            description_format=self.description_format(
                line, fields[_FORMAT], description, competency=True
            ),
            parent_id_number=fields[_PARENT] or None,
            scale=self.scale(line, fields, required=False),
            rule_type=rule_type,
            rule_outcome=rule_outcome,
            rule_config=rule_config,
            exported_id=fields[_EXPORTED_ID] or None,
            line=line,
        )
        return _CompetencyRow(competency, fields[_RELATED], points_config)

    def scale(self, line: int, fields: list[str], *, required: bool) -> Scale | None:
        raw_values, raw_config = fields[_SCALE_VALUES], fields[_SCALE_CONFIG]
        if raw_values == "":
            if required:
                self.error(
                    line,
                    "The framework row needs its scale: Scale values (column 6) and Scale "
                    "configuration (column 7).",
                )
            elif raw_config.strip():
                self.warn(
                    line,
                    "Scale configuration (column 7) without Scale values (column 6) is ignored, "
                    "as Moodle does: the competency uses the framework's scale.",
                )
            return None
        values = tuple(value.strip() for value in raw_values.split(","))
        if any(value == "" for value in values):
            self.error(line, f"Scale values (column 6) {raw_values!r} include an empty value.")
        if raw_config.strip() == "":
            self.error(
                line,
                "Scale values (column 6) need a Scale configuration (column 7) saying which value "
                "is the default and which are proficient.",
            )
            return Scale(values=values, configuration=())
        return self.scale_configuration(line, values, raw_config)

    def scale_configuration(self, line: int, values: tuple[str, ...], raw: str) -> Scale:
        scale = Scale(values=values, configuration=())
        prefix = "Scale configuration (column 7)"
        if (depth := _json_depth(raw)) > MAX_JSON_DEPTH:
            self.error(
                line,
                f"{prefix} nests {depth} levels deep; a scale configuration needs two, and "
                f"Ladder reads at most {MAX_JSON_DEPTH}.",
            )
            return scale
        try:
            decoded = json.loads(raw)
        except json.JSONDecodeError as exc:
            self.error(line, f"{prefix} is not valid JSON ({exc.msg}, at character {exc.pos + 1}).")
            return scale
        if (
            not isinstance(decoded, list)
            or not decoded
            or not isinstance(decoded[0], dict)
            or ("scaleid" not in decoded[0] and "id" in decoded[0])
        ):
            self.error(
                line,
                f'{prefix} must be a JSON list starting with {{"scaleid": ...}}, then one '
                f'{{"id": ..., "scaledefault": ..., "proficient": ...}} per configured value.',
            )
            return scale
        scale_id = decoded[0].get("scaleid")
        items: list[ScaleItemConfig] = []
        seen: set[int] = set()
        ok = True
        # Moodle checks only that some entry is the default and some entry proficient, whatever
        # value they name; it accepts entries beyond the scale, and so does Ladder (below).
        named_default = named_proficient = False
        for entry in decoded[1:]:
            raw_id = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(raw_id, str) and _INTEGER.fullmatch(raw_id):
                raw_id = int(raw_id)
            if not isinstance(raw_id, int) or isinstance(raw_id, bool):
                self.error(line, f"{prefix} has an entry without a whole-number id: {entry!r}.")
                ok = False
                continue
            item = ScaleItemConfig(
                id=raw_id,
                scale_default=_php_truthy(entry.get("scaledefault")),
                proficient=_php_truthy(entry.get("proficient")),
            )
            named_default = named_default or item.scale_default
            named_proficient = named_proficient or item.proficient
            if not 1 <= raw_id <= len(values):
                self.warn(
                    line,
                    f"{prefix} refers to value {raw_id}, but the scale has {len(values)} "
                    f"value{'s' if len(values) != 1 else ''} ({', '.join(values)}): that entry "
                    f"is ignored, as it names no value Moodle could rate with.",
                )
                continue
            if raw_id in seen:
                self.error(line, f"{prefix} lists value {raw_id} more than once.")
                ok = False
            seen.add(raw_id)
            items.append(item)
        if ok and not named_default:
            self.error(line, f"{prefix} marks no value as the default (Moodle requires one).")
        if ok and not named_proficient:
            self.error(line, f"{prefix} marks no value as proficient (Moodle requires one).")
        if ok and named_default and not any(item.scale_default for item in items):
            items.insert(0, ScaleItemConfig(id=1, scale_default=True))
            self.warn(
                line,
                f"{prefix} marks as the default only values beyond the scale, so Ladder takes "
                f"the first value, {values[0]!r}, as the default.",
            )
        if ok and named_proficient and not any(item.proficient for item in items):
            last = len(values)
            kept = [i for i in items if i.id == last]
            if kept:
                items[items.index(kept[0])] = dataclasses.replace(kept[0], proficient=True)
            else:
                items.append(ScaleItemConfig(id=last, proficient=True))
            self.warn(
                line,
                f"{prefix} marks as proficient only values beyond the scale, so Ladder takes "
                f"the last value, {values[-1]!r}, as proficient.",
            )
        return Scale(
            values=values,
            configuration=tuple(items),
            moodle_scale_id=None if scale_id is None else str(scale_id),
        )

    def rule(self, line: int, fields: list[str]) -> tuple[str | None, int, str | None, object]:
        rule_type = fields[_RULE_TYPE] or None
        raw_outcome, raw_config = fields[_RULE_OUTCOME], fields[_RULE_CONFIG]
        # Moodle's exporter writes "null" for no config; its importer turns "null" into null.
        rule_config = None if raw_config in ("", "null") else raw_config
        outcome = 0
        if raw_outcome.strip():
            if _INTEGER.fullmatch(raw_outcome):
                outcome = int(raw_outcome)
            else:
                self.error(line, f"Rule outcome (column 9) {raw_outcome!r} is not a number.")
        known = rule_type is not None and rule_type.removeprefix("\\") in (RULE_ALL, RULE_POINTS)
        if rule_type is None:
            if rule_config is not None:
                self.warn(line, "Rule config (column 10) without a rule type is ignored.")
            return None, outcome, rule_config, None
        if not known:
            self.warn(
                line,
                f"Rule type {rule_type!r} (column 8) is not a rule Moodle has; it will be ignored, "
                f"as Moodle does.",
            )
            return rule_type, outcome, rule_config, None
        if outcome not in RULE_OUTCOMES:
            self.error(
                line,
                f"Rule outcome (column 9) is {outcome}; it must be 0 (none), 1 (attach evidence), "
                f"2 (complete the competency) or 3 (recommend the competency).",
            )
        points_config = None
        if rule_type.removeprefix("\\") == RULE_ALL:
            if rule_config is not None:
                self.error(line, "The 'all children' rule takes no Rule config (column 10): null.")
        elif rule_config is None:
            self.error(line, "The points rule needs a Rule config (column 10).")
        elif (depth := _json_depth(rule_config)) > MAX_JSON_DEPTH:
            self.error(
                line,
                f"Rule config (column 10) nests {depth} levels deep; a points rule needs three, "
                f"and Ladder reads at most {MAX_JSON_DEPTH}.",
            )
        else:
            try:
                points_config = json.loads(rule_config)
            except json.JSONDecodeError as exc:
                self.error(line, f"Rule config (column 10) is not valid JSON ({exc.msg}).")
        return rule_type, outcome, rule_config, points_config

    # -- across rows

    def one_framework(self, frameworks: list[Framework]) -> Framework | None:
        if not frameworks:
            if not (self.unreadable_framework or self.truncated):
                self.error(
                    None,
                    "No row is the framework: exactly one row needs 1 in Is framework (column 13).",
                )
            return None
        for extra in frameworks[1:]:
            self.error(
                extra.line,
                f"A second framework row (the first is on line {frameworks[0].line}); a file "
                f"holds exactly one framework.",
            )
        return frameworks[0]

    def check_tree(
        self, entries: list[_CompetencyRow], framework: Framework | None
    ) -> tuple[Competency, ...]:
        by_id: dict[str, Competency] = {}
        for entry in entries:
            competency = entry.competency
            if _php_empty(competency.id_number):
                continue
            first = by_id.setdefault(competency.id_number, competency)
            if first is not competency:
                self.error(
                    competency.line,
                    f"ID number {competency.id_number!r} is already used on line {first.line}.",
                )

        for competency in by_id.values():
            parent = competency.parent_id_number
            if parent is None or parent in by_id or parent in self.unreadable_ids:
                continue
            if self.truncated:
                continue
            hint = ""
            if framework is not None and parent == framework.id_number:
                hint = " (that is the framework; leave the parent empty for a top-level one)"
            self.error(
                competency.line,
                f"Parent ID number {parent!r} (column 1) is not the ID number of any competency "
                f"in the file{hint}.",
            )
        self.check_cycles(by_id)

        with_references = []
        for entry in entries:
            competency = entry.competency
            if by_id.get(competency.id_number) is not competency:
                with_references.append(competency)
                continue
            references = self.cross_references(competency, entry.raw_references, by_id)
            if entry.points_config is not None and not self.truncated:
                self.check_points_rule(competency, entry.points_config, by_id)
            with_references.append(dataclasses.replace(competency, cross_references=references))

        exported: dict[str, Competency] = {}
        for competency in with_references:
            if competency.exported_id is None:
                continue
            first = exported.setdefault(competency.exported_id, competency)
            if first is not competency:
                self.warn(
                    competency.line,
                    f"Exported ID {competency.exported_id!r} (column 12) is also on line "
                    f"{first.line}; rules that refer to it would be ambiguous.",
                )

        if self.problems:
            return ()
        walked = _walk(with_references)
        too_deep = [(c, depth) for c, depth in walked if depth > MAX_DEPTH]
        if too_deep:
            first, depth = min(too_deep, key=lambda pair: pair[0].line or 0)
            deepest = max(depth for _, depth in too_deep)
            self.error(
                first.line,
                f"Competency {first.id_number!r} is nested {depth} levels deep (the "
                f"deepest in the file is {deepest}); Ladder takes frameworks at most {MAX_DEPTH} "
                f"levels deep.",
            )
            return ()
        return tuple(dataclasses.replace(c, depth=depth) for c, depth in walked)

    def check_cycles(self, by_id: dict[str, Competency]) -> None:
        done: set[str] = set()
        for start in by_id:
            path: list[str] = []
            on_path: set[str] = set()
            current: str | None = start
            while current is not None and current in by_id and current not in done:
                if current in on_path:
                    loop = path[path.index(current) :]
                    first = min(loop, key=lambda id_number: by_id[id_number].line or 0)
                    self.error(
                        by_id[first].line,
                        "These competencies' parents form a loop, so none of them can be placed "
                        "in the tree: " + " → ".join(repr(i) for i in [*loop, loop[0]]) + ".",
                    )
                    break
                path.append(current)
                on_path.add(current)
                current = by_id[current].parent_id_number
            done.update(path)

    def cross_references(
        self, competency: Competency, raw: str, by_id: dict[str, Competency]
    ) -> tuple[str, ...]:
        if raw == "":
            return ()
        kept: list[str] = []
        for item in raw.split(","):
            id_number = item.replace("%2C", ",")
            if id_number == "":
                continue
            if id_number == competency.id_number:
                self.error(
                    competency.line,
                    f"Competency {id_number!r} lists itself as a cross-reference (column 11).",
                )
            elif id_number in by_id:
                kept.append(id_number)
            elif id_number not in self.unreadable_ids:
                self.warn(
                    competency.line,
                    f"Cross-referenced ID number {id_number!r} (column 11) is not in the file; "
                    f"it is skipped, as Moodle does.",
                )
        return tuple(kept)

    def check_points_rule(
        self, competency: Competency, config: object, by_id: dict[str, Competency]
    ) -> None:
        """Moodle's ``competency_rule_points``: ``{"base": {"points": N}, "competencies":
        [{"id": <Exported ID>, "points": n, "required": 0|1}, ...]}``; the ids must be Exported
        IDs of the competency's own children, and their points must be able to reach N."""
        line, prefix = competency.line, "The points rule's config (column 10)"
        base = config.get("base") if isinstance(config, dict) else None
        items = config.get("competencies") if isinstance(config, dict) else None
        required = base.get("points") if isinstance(base, dict) else None
        if not (isinstance(required, int) and required >= 1 and isinstance(items, list) and items):
            self.error(
                line,
                f'{prefix} must be {{"base":{{"points":N}},"competencies":[{{"id":...,'
                f'"points":...,"required":...}}, ...]}} with N at least 1.',
            )
            return
        by_exported = {c.exported_id: c for c in by_id.values() if c.exported_id is not None}
        total = 0
        for item in items:
            if not isinstance(item, dict) or not {"id", "points", "required"} <= item.keys():
                self.error(line, f"{prefix} has an entry without id, points, required: {item!r}.")
                continue
            points = item["points"]
            total += points if isinstance(points, int) else 0
            child = by_exported.get(str(item["id"]))
            if child is None:
                self.error(
                    line,
                    f"{prefix} refers to Exported ID {item['id']!r}, which no row has (column 12).",
                )
            elif child.parent_id_number != competency.id_number:
                self.error(
                    line,
                    f"{prefix} refers to {child.id_number!r}, which is not a direct child of "
                    f"{competency.id_number!r}.",
                )
        if total < required:
            self.error(
                line, f"{prefix} needs {required} points but its competencies give only {total}."
            )


# --- Writing -----------------------------------------------------------------------------------


def write_framework(framework: ParsedFramework, *, delimiter: str = ",") -> str:
    """The CSV text Moodle's exporter would write for this framework (encode it as UTF-8, without
    a byte-order mark, to get the file).

    Competencies are written in tree order (Moodle writes database order; its importer does not
    care). Each one's ``exported_id`` fills the Exported ID column, where Moodle writes its own
    database id, so points rules keep pointing at the right children.

    The result is checked by reading it back: if Moodle could not import it (an empty short
    name, a parent that is not in the framework, a bad scale configuration...),
    :class:`MoodleCsvError` is raised, naming the competencies concerned.
    """
    ordered = tree_order(framework.competencies)
    placed = {id(c) for c in ordered}
    ordered += [c for c in framework.competencies if id(c) not in placed]  # to be reported

    fw = framework.framework
    rows: list[tuple[str, list[str]]] = [
        ("The header", list(HEADER)),
        (
            f"Framework {fw.id_number!r}",
            [
                "",
                fw.id_number,
                fw.short_name,
                fw.description,
                str(fw.description_format),
                fw.scale.values_text(),
                fw.scale.configuration_json(),
                "",
                "",
                "",
                "",
                "",
                "1",
                ",".join(fw.taxonomies),
            ],
        ),
    ]
    for c in ordered:
        rows.append(
            (
                f"Competency {c.id_number!r}",
                [
                    c.parent_id_number or "",
                    c.id_number,
                    c.short_name,
                    c.description,
                    str(c.description_format),
                    c.scale.values_text() if c.scale else "",
                    c.scale.configuration_json() if c.scale else "",
                    c.rule_type or "",
                    str(c.rule_outcome),
                    "null" if c.rule_config is None else c.rule_config,
                    ",".join(ref.replace(",", "%2C") for ref in c.cross_references),
                    c.exported_id or "",
                    "",
                    "",
                ],
            )
        )

    labels: dict[int, str] = {}
    lines: list[str] = []
    unwritable: list[Problem] = []
    line_number = 1
    for label, values in rows:
        fields = []
        for column, value in zip(HEADER, values, strict=True):
            try:
                fields.append(_csv_field(value, delimiter))
            except ValueError as exc:
                unwritable.append(Problem(None, f"{label}: {column}: {exc}"))
                fields.append("")
        text = delimiter.join(fields) + "\n"
        labels[line_number] = label
        line_number += text.count("\n")
        lines.append(text)
    if unwritable:
        raise MoodleCsvError(unwritable)
    text = "".join(lines)

    try:
        read_framework(text, delimiter=delimiter)
    except MoodleCsvError as exc:
        # Line numbers in text nobody has seen mean nothing: name the row's competency instead.
        raise MoodleCsvError(
            Problem(None, f"{labels.get(p.line or 0, 'The file')}: {p.message}")
            for p in exc.problems
        ) from None
    return text


def _csv_field(value: str, delimiter: str) -> str:
    """One field as PHP's ``fputcsv`` writes it (enclosure ``"``, escape ``\\``).

    Identical to fputcsv wherever fputcsv's output reads back correctly. fputcsv has a known
    flaw: it never doubles a quote that follows a backslash, and its reader pairs backslashes
    up, so a field with ``\\\\"`` or ending in a backslash comes back corrupted (a trailing
    backslash even swallows the rest of the row). For those rare fields we write what PHP's
    ``fgetcsv`` reads back as the original: quotes are doubled unless the reader will take them
    as escaped, and a trailing lone backslash goes just after the closing quote. The one thing
    fgetcsv cannot read at all, a backslash followed only by line breaks at the end of a field,
    raises ValueError.
    """
    if delimiter not in value and not any(ch in _FPUTCSV_QUOTE_TRIGGERS for ch in value):
        return value
    out = ['"']
    escaped = False
    for ch in value:
        if escaped:
            out.append(ch)
            # fgetcsv keeps a backslash's protection across a line break, onto the next line.
            escaped = ch in "\r\n"
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch == '"':
            out.append('""')
        else:
            out.append(ch)
    if escaped:
        if out[-1] != "\\":
            raise ValueError(
                "a backslash followed only by line breaks cannot end a field that Moodle's CSV "
                "reader is to read back; remove the backslash or the trailing line breaks."
            )
        return "".join(out[:-1]) + '"\\'
    return "".join(out) + '"'
