"""The national frameworks Ladder ships: the right counts, loaded once however often asked."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from competencies.frameworks import moodle_csv
from competencies.frameworks.bundled import bundled_frameworks, load_bundled_frameworks
from competencies.frameworks.services import framework_export
from competencies.models import Competency, Framework

from .helpers import row_counts

pytestmark = pytest.mark.django_db


def top_level(framework: Framework):
    return framework.competencies.filter(parent__isnull=True).order_by("sort_order")


def test_the_bundled_frameworks_load_with_the_right_counts():
    results = load_bundled_frameworks()
    assert all(r.created for r in results)
    national = {f.id_number: f for f in Framework.objects.filter(organisation__isnull=True)}
    assert set(national) == {
        "CARE-CERTIFICATE-2015",
        "CARE-CERTIFICATE-2025",
        "NHS-KSF-2004",
        "NOS-SUPPORT-ROLES",
        "CSTF",
    }

    cc2015, cc2025 = national["CARE-CERTIFICATE-2015"], national["CARE-CERTIFICATE-2025"]
    assert top_level(cc2015).count() == 15 and cc2015.competencies.count() == 15
    assert top_level(cc2025).count() == 16 and cc2025.competencies.count() == 16
    assert (cc2015.family, cc2015.version) == ("care-certificate", "2015")
    assert (cc2025.family, cc2025.version) == ("care-certificate", "2025")
    names_2025 = dict(top_level(cc2025).values_list("id_number", "short_name"))
    assert names_2025["CC2025-S4"] == "Equality, diversity, inclusion and human rights"
    assert names_2025["CC2025-S9"] == "Awareness of mental health and dementia"
    assert names_2025["CC2025-S16"] == "Awareness of learning disability and autism"
    assert top_level(cc2015).get(id_number="CC2015-S4").short_name == "Equality and diversity"
    for framework in (cc2015, cc2025):
        assert framework.scale.names == ["Not yet competent", "Competent"]
        assert framework.scale.is_proficient(1) and not framework.scale.is_proficient(0)

    ksf = national["NHS-KSF-2004"]
    dimensions = top_level(ksf)
    assert dimensions.count() == 30
    assert [d.id_number for d in dimensions[:6]] == [f"KSF-C{n}" for n in range(1, 7)]
    assert ksf.competencies.filter(depth=2).count() == 120
    for dimension in dimensions:
        assert list(
            dimension.children.order_by("sort_order").values_list("id_number", flat=True)
        ) == [f"{dimension.id_number}-L{level}" for level in range(1, 5)]
    assert ksf.taxonomies == ["dimension", "level"]
    assert ksf.taxonomy_for_depth(2) == "level"

    nos = national["NOS-SUPPORT-ROLES"]
    assert nos.competencies.count() == 18
    assert nos.competencies.filter(
        id_number="SFHCHS19", short_name="Undertake routine clinical measurements"
    ).exists()
    assert nos.competencies.filter(id_number="SCDHSC0218").exists()
    assert nos.scale.names == ["Not yet competent", "Competent"]

    assert national["CSTF"].competencies.count() == 11


def test_ksf_level_titles_come_from_the_reference_data_or_are_marked_unverified():
    load_bundled_frameworks()
    levels = {
        c.id_number: c
        for c in Competency.objects.filter(framework__id_number="NHS-KSF-2004", depth=2)
    }
    assert (
        levels["KSF-HWB4-L2"].short_name
        == "Enable people to meet ongoing health and wellbeing needs"
    )
    assert levels["KSF-HWB4-L2"].source_note == ""
    assert (
        levels["KSF-C6-L4"].short_name
        == "Develop a culture that promotes equality and values diversity"
    )
    assert levels["KSF-HWB4-L1"].short_name == "Level 1"
    assert levels["KSF-HWB4-L1"].source_note == "Level title unverified"
    assert "unverified" in levels["KSF-C1-L4"].source_note
    # A title longer than Moodle's 100 characters is cut at a word; the whole title is kept.
    c1_l3 = levels["KSF-C1-L3"]
    assert len(c1_l3.short_name) <= 100 and c1_l3.short_name.endswith("…")
    assert "in difficult situations" in c1_l3.description
    unverified = sum(1 for c in levels.values() if c.source_note)
    assert unverified == 120 - 13 + 1  # 13 titles given, one of them (C1 L4) not confirmed


def test_every_bundled_framework_records_its_source_and_licence():
    load_bundled_frameworks()
    for framework in Framework.objects.filter(organisation__isnull=True):
        assert framework.source, framework
        assert "check" in framework.licence_note.lower(), framework
        assert "licence unverified" in framework.licence_note, framework
        assert framework.source_note, framework


def test_loading_twice_changes_nothing():
    load_bundled_frameworks()
    before = row_counts()
    ids = sorted(Competency.objects.values_list("pk", flat=True))
    results = load_bundled_frameworks()
    assert not any(r.created for r in results)
    assert [r.competency_count for r in results] == [15, 16, 150, 18, 11]
    assert row_counts() == before
    assert sorted(Competency.objects.values_list("pk", flat=True)) == ids


def test_a_framework_edited_in_ladder_is_left_alone():
    load_bundled_frameworks()
    Competency.objects.filter(id_number="KSF-HWB4-L1").update(short_name="Checked title")
    load_bundled_frameworks()
    assert Competency.objects.get(id_number="KSF-HWB4-L1").short_name == "Checked title"


def test_the_command_loads_them_and_says_so():
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert "NHS-KSF-2004): 150 competencies, loaded" in out.getvalue()
    out = StringIO()
    call_command("load_frameworks", stdout=out)
    assert out.getvalue().count("already there") == 5


def test_id_numbers_are_unique_and_each_bundled_framework_exports_as_moodle_reads_it():
    load_bundled_frameworks()
    for bundled in bundled_frameworks():
        ids = [c.id_number for c in bundled.parsed.competencies]
        assert len(ids) == len(set(ids))
        framework = Framework.objects.get(organisation__isnull=True, id_number=bundled.id_number)
        parsed = moodle_csv.read_framework(framework_export(framework=framework))
        assert [c.id_number for c in parsed.competencies] == [
            c.id_number for c in moodle_csv.tree_order(bundled.parsed.competencies)
        ]
