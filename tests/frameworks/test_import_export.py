"""Importing Moodle files through the command (and the service under it), exporting them, and
refusing broken files without importing anything."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from competencies.frameworks import moodle_csv
from competencies.frameworks.services import (
    framework_as_parsed,
    framework_export,
    framework_import,
)
from competencies.models import Competency, Framework
from programmes import services as programme_services
from programmes.models import Organisation

from ..moodle_files import counted_files, fixture, tree_ordered_files
from .helpers import (
    FRAMEWORK_ROW,
    competency_row,
    csv_file,
    make_framework,
    row_counts,
)

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def shape(parsed: moodle_csv.ParsedFramework) -> list[tuple]:
    return [
        (c.id_number, c.parent_id_number, c.short_name, c.depth if c.depth else None)
        for c in moodle_csv.tree_order(parsed.competencies)
    ]


def scales(parsed: moodle_csv.ParsedFramework) -> list[tuple]:
    def key(scale):
        if scale is None:
            return None
        return (scale.values, scale.default_value, scale.proficient_values, scale.moodle_scale_id)

    return [key(parsed.framework.scale)] + [
        (c.id_number, key(c.scale)) for c in moodle_csv.tree_order(parsed.competencies)
    ]


@pytest.fixture
def acme(db):
    return programme_services.organisation_ensure(
        slug="acme", name="Acme Trust", kind=Organisation.Kind.NHS_TRUST
    )


# --- Moodle-format files (the suite's own; the real exports too when beside the repository) -----


@pytest.mark.parametrize(("path", "count"), counted_files())
def test_each_fixture_imports_through_the_command_with_its_counts(path, count):
    out, _err = run("import_framework", str(path))

    framework = Framework.objects.get()
    assert framework.organisation is None
    assert framework.competencies.count() == count
    assert framework.short_name in out
    assert f"{count} competencies" in out


def test_the_tree_scales_rules_and_cross_references_are_stored():
    run("import_framework", str(fixture("scales_per_competency.csv")))
    framework = Framework.objects.select_related("scale").get()
    assert framework.taxonomies == ["competency", "level", "practice", "indicator"]
    assert framework.scale.names == ["Not yet competent", "Competent"]
    assert framework.scale.moodle_scale_id == "2"
    assert framework.scale.is_proficient(1) and not framework.scale.is_proficient(0)

    by_id = {c.id_number: c for c in framework.competencies.select_related("parent", "scale")}
    top = by_id["HCSW-2026-C1"]
    level = by_id["HCSW-2026-C1-L1"]
    leaf = by_id["HCSW-2026-C1-L1-P1_I1"]
    assert (top.parent, top.depth) == (None, 1)
    assert (level.parent, level.depth) == (top, 2)
    assert leaf.depth == 4
    assert top.exported_id == "EXP-0"
    # Per-competency scales, with their own proficient values.
    assert level.scale.names == ["Novice", "Intermédiaire", "Compétent", "Avancé"]
    assert [level.scale.is_proficient(i) for i in range(4)] == [False, False, True, False]
    assert top.scale is None
    # Cross-references are symmetric.
    assert set(top.related.values_list("id_number", flat=True)) == {
        "HCSW-2026-C1-L1",
        "HCSW-2026-C1-L1-P1",
        "HCSW-2026-C1-L1-P1_I1",
    }
    assert top in leaf.related.all()
    # Tree order: parents first, siblings in file order.
    ordered = list(
        framework.competencies.order_by("sort_order").values_list("id_number", flat=True)
    )
    assert ordered[0] == "HCSW-2026-C1" and ordered[-1] == "HCSW-2026-C1-L4"


@pytest.mark.parametrize(("path", "count"), counted_files())
def test_each_fixture_round_trips_import_export_import(path, count, tmp_path, acme):
    original = moodle_csv.read_framework(path.read_bytes())
    run("import_framework", str(path))
    first = Framework.objects.get()

    exported = tmp_path / "exported.csv"
    run("export_framework", first.id_number, "-o", str(exported))
    again = moodle_csv.read_framework(exported.read_bytes())
    assert shape(again) == shape(original)
    assert scales(again) == scales(original)
    assert again.related_pairs() == original.related_pairs()
    assert again == original  # everything Moodle reads, down to rules and exported ids

    # ...and that file imports again (into an organisation, beside the national one).
    run("import_framework", str(exported), "--organisation", "acme")
    second = Framework.objects.get(organisation=acme)
    assert second.competencies.count() == count
    assert framework_as_parsed(framework=second) == framework_as_parsed(framework=first)


@pytest.mark.parametrize("path", tree_ordered_files())
def test_tree_ordered_exports_come_back_byte_for_byte(path):
    run("import_framework", str(path))
    framework = Framework.objects.latest("pk")
    assert framework_export(framework=framework).encode() == path.read_bytes()


def test_an_organisations_framework_is_exported_with_organisation(tmp_path, acme):
    run("import_framework", str(fixture("chain_ordered.csv")), "--organisation", "acme")
    with pytest.raises(CommandError, match="No framework with the ID number 'HCSW-CHAIN'"):
        run("export_framework", "HCSW-CHAIN", "-o", str(tmp_path / "x.csv"))
    run("export_framework", "HCSW-CHAIN", "-o", str(tmp_path / "x.csv"), "--organisation", "acme")
    assert (tmp_path / "x.csv").read_bytes() == fixture("chain_ordered.csv").read_bytes()


def test_the_same_id_number_twice_is_refused_and_nothing_imported(acme):
    run("import_framework", str(fixture("chain_ordered.csv")), "--organisation", "acme")
    before = row_counts()
    with pytest.raises(CommandError, match="Nothing was imported"):
        run("import_framework", str(fixture("chain_ordered.csv")), "--organisation", "acme")
    assert row_counts() == before
    # Another organisation, or the national frameworks, may have the same ID number.
    run("import_framework", str(fixture("chain_ordered.csv")))
    assert Framework.objects.filter(id_number="HCSW-CHAIN").count() == 2


def test_an_unknown_organisation_is_an_error():
    with pytest.raises(CommandError, match="No organisation has the slug 'nowhere'"):
        run(
            "import_framework",
            str(fixture("chain_ordered.csv")),
            "--organisation",
            "nowhere",
        )
    assert row_counts() == (0, 0, 0, 0)


# --- Broken files: every problem with its line, nothing imported ---------------------------------

BROKEN = {
    "missing framework row": (
        csv_file(competency_row("A")),
        [None],
        "No row is the framework",
    ),
    "two framework rows": (
        csv_file(FRAMEWORK_ROW, competency_row("A"), FRAMEWORK_ROW.replace(",FW,", ",FW2,")),
        [4],
        "A second framework row",
    ),
    "a cycle": (
        csv_file(FRAMEWORK_ROW, competency_row("A", "B"), competency_row("B", "A")),
        [3],
        "form a loop",
    ),
    "unknown parent": (
        csv_file(FRAMEWORK_ROW, competency_row("A"), competency_row("B", "NOPE")),
        [4],
        "Parent ID number 'NOPE'",
    ),
    "oversize ID": (
        csv_file(FRAMEWORK_ROW, competency_row("X" * 101)),
        [3],
        "101 characters long",
    ),
    "invalid JSON scale config": (
        csv_file(FRAMEWORK_ROW.replace('[{""scaleid""', "[{scaleid")),
        [2],
        "is not valid JSON",
    ),
    "wrong column count": (
        csv_file(FRAMEWORK_ROW, competency_row("A") + ",extra"),
        [3],
        "columns",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_file_names_its_line_and_imports_nothing(case, tmp_path, capsys):
    text, lines, message = BROKEN[case]
    path = tmp_path / "broken.csv"
    path.write_text(text, encoding="utf-8")
    before = row_counts()
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_framework", str(path), stdout=out, stderr=err)
    assert row_counts() == before
    assert message in err.getvalue()
    for line in lines:
        if line is not None:
            assert f"Line {line}: " in err.getvalue()


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(
        csv_file(
            FRAMEWORK_ROW, competency_row("A", "NOPE"), competency_row("Y" * 101, name="Long")
        ),
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="2 problems"):
        call_command("import_framework", str(path), stdout=StringIO(), stderr=err)
    assert "Line 3: " in err.getvalue() and "Line 4: " in err.getvalue()


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_framework", str(tmp_path / "nope.csv"))


def test_warnings_are_printed_and_the_rest_imported(tmp_path):
    path = tmp_path / "warn.csv"
    row = competency_row("A").split(",")
    row[10] = "GONE"  # a cross-reference to nothing: Moodle skips it
    path.write_text(csv_file(FRAMEWORK_ROW, ",".join(row)), encoding="utf-8")
    _out, err = run("import_framework", str(path))
    assert "Warning: Line 3:" in err and "'GONE'" in err
    assert Competency.objects.count() == 1


# --- The service ---------------------------------------------------------------------------------


def test_a_value_too_long_for_ladder_is_refused_with_its_line(acme):
    row = competency_row("A").split(",")
    row[11] = "9" * 41  # Moodle's format has no limit on the Exported ID; Ladder keeps 40
    parsed = moodle_csv.read_framework(csv_file(FRAMEWORK_ROW, ",".join(row)))
    with pytest.raises(ValidationError) as caught:
        framework_import(parsed=parsed, organisation=acme)
    assert caught.value.messages == [
        "Line 3: The Exported ID (column 12) of 'A' is 41 characters long; the most Ladder "
        "keeps is 40."
    ]
    assert row_counts() == (0, 0, 0, 0)


def test_a_failure_half_way_leaves_nothing_behind(acme, monkeypatch):
    """All or nothing: a failure once the scales, the framework and the first level of
    competencies are written rolls all of it back."""
    parsed = moodle_csv.read_framework(
        fixture("standards_31_unordered.csv").read_bytes()
    )
    from competencies.frameworks import services as framework_services

    real = framework_services.bulk_insert
    calls = []

    def fail_on_the_second_level(rows, *args, **kwargs):
        if rows and type(rows[0]) is Competency:  # the levels are written through core.bulk
            calls.append(len(rows))
            if len(calls) == 2:
                raise RuntimeError("the database went away")
        return real(rows, *args, **kwargs)

    monkeypatch.setattr(framework_services, "bulk_insert", fail_on_the_second_level)
    with pytest.raises(RuntimeError):
        framework_import(parsed=parsed, organisation=acme)
    assert calls[0] > 0
    assert row_counts() == (0, 0, 0, 0)


def test_import_queries_do_not_grow_with_the_number_of_competencies(acme):
    def queries(size, id_number):
        with CaptureQueriesContext(connection) as ctx:
            make_framework(acme, size=size, id_number=id_number)
        return len(ctx.captured_queries)

    # Same depth (2), 10x the competencies: the same queries. Expected: the ID number check,
    # savepoint, scales insert, framework constraint check + insert, one competency insert
    # per depth, cross-references insert, release savepoint.
    assert queries(10, "SMALL") == queries(100, "BIG")


def test_identical_scales_in_a_file_share_one_row():
    run("import_framework", str(fixture("scales_per_competency.csv")))
    framework = Framework.objects.get()
    leaf = framework.competencies.get(id_number="HCSW-2026-C1-L1-P1_I1")
    # Same values and configuration as the framework's own scale.
    assert leaf.scale_id == framework.scale_id


def test_frameworks_made_in_ladder_export_with_moodle_taxonomy_terms():
    from competencies.frameworks.bundled import load_bundled_frameworks

    load_bundled_frameworks()
    ksf = Framework.objects.get(id_number="NHS-KSF-2004")
    assert ksf.taxonomies == ["dimension", "level"]
    parsed = moodle_csv.read_framework(framework_export(framework=ksf))
    assert parsed.framework.taxonomies == ("competency", "level")
    assert len(parsed.competencies) == 150
