"""Mapping CSV import: all rows or none, every problem listed by line."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competencies.models import Mapping
from competencies.profiles import services
from competencies.profiles.services import MappingImportError
from programmes.models import Role

HEADER = "source_framework,source_id_number,target_framework,target_id_number,strength,note\n"


def _import(world, lead, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return services.mappings_import_csv(data=data, organisation=world.organisation, actor=lead)


def _problems(world, lead, text) -> list[str]:
    with pytest.raises(MappingImportError) as error:
        _import(world, lead, text)
    assert not Mapping.objects.exists(), "nothing may be imported when a row is bad"
    return [str(problem) for problem in error.value.problems]


def test_a_good_file_imports_every_row(world, frameworks, lead):
    created = _import(
        world,
        lead,
        HEADER
        + "ACME-IAP,IAP-1,CC-2015,CC13,equivalent,Ward safety\n"
        + "ACME-IAP,IAP-2,CC-2015,CC5,partial,\n"
        + "\n"  # blank lines are skipped
        # Framework ID numbers ignore case; a blank strength means equivalent.
        + "acme-iap,IAP-4,KSF,HWB4,,\n",
    )
    assert len(created) == 3
    # Each row has the audit entry a one-by-one save would have written, by the lead.
    entries = LogEntry.objects.filter(content_type__model="mapping", action=LogEntry.Action.CREATE)
    assert sorted(int(e.object_pk) for e in entries) == sorted(m.pk for m in created)
    assert {e.actor_id for e in entries} == {lead.pk}
    assert set(
        Mapping.objects.values_list("source__id_number", "target__id_number", "strength")
    ) == {
        ("IAP-1", "CC13", "equivalent"),
        ("IAP-2", "CC5", "partial"),
        ("IAP-4", "HWB4", "equivalent"),
    }
    assert set(Mapping.objects.values_list("organisation", "created_by")) == {
        (world.organisation.pk, lead.pk)
    }


def test_the_note_column_may_be_left_out_and_columns_reordered(world, frameworks, lead):
    _import(
        world,
        lead,
        "target_framework,target_id_number,strength,source_framework,source_id_number\nCC-2015,CC5,partial,ACME-IAP,IAP-2\n",
    )
    assert Mapping.objects.get().source.id_number == "IAP-2"


def test_every_bad_row_is_listed_by_line_and_nothing_is_imported(world, frameworks, lead):
    services.mapping_create(
        organisation=world.organisation,
        source=frameworks.c(frameworks.own, "IAP-3"),
        target=frameworks.c(frameworks.national, "CC13"),
        strength="equivalent",
        note="",
        actor=lead,
    )
    text = (
        HEADER
        + "ACME-IAP,IAP-1,CC-2015,CC13,equivalent,fine\n"  # 2: good
        + "NOPE,IAP-1,CC-2015,CC13,equivalent,\n"  # 3: unknown framework
        + "ACME-IAP,IAP-99,CC-2015,CC13,equivalent,\n"  # 4: unknown competency
        + "ACME-IAP,IAP-1,ACME-IAP,IAP-2,equivalent,\n"  # 5: same framework
        + "ACME-IAP,IAP-2,CC-2015,CC5,strong,\n"  # 6: bad strength
        + "CC-2015,CC13,ACME-IAP,IAP-1,partial,\n"  # 7: repeats line 2 the other way round
        + "ACME-IAP,IAP-3,CC-2015,CC13,equivalent,\n"  # 8: already mapped
        + "OTHER-HCSW,OT-1,CC-2015,CC5,equivalent,\n"  # 9: another organisation's framework
        + "ACME-IAP,IAP-4\n"  # 10: too few values
    )
    with pytest.raises(MappingImportError) as error:
        _import(world, lead, text)
    problems = [str(p) for p in error.value.problems]
    assert Mapping.objects.count() == 1  # only the one made before
    assert [p.line for p in error.value.problems] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "Line 3: there is no framework with ID number “NOPE”" in problems[0]
    assert "Line 4: framework “ACME-IAP” has no competency with ID number “IAP-99”" in problems[1]
    assert "same framework" in problems[2]
    assert "strength “strong” is not one of" in problems[3]
    assert "repeats the mapping on line 2" in problems[4]
    assert "already mapped" in problems[5]
    assert "no framework with ID number “OTHER-HCSW”" in problems[6]
    assert "expected 6 values" in problems[7]


def test_a_wrong_header_is_refused(world, frameworks, lead):
    [problem] = _problems(world, lead, "from,to\nACME-IAP,CC-2015\n")
    assert problem.startswith("Line 1: unknown column from, to")
    [problem] = _problems(
        world, lead, "source_framework,source_id_number,target_framework,strength\nA,B,C,D\n"
    )
    assert "no target_id_number column" in problem


def test_a_file_that_is_not_utf8_is_refused_with_the_line(world, frameworks, lead):
    text = (
        HEADER + "ACME-IAP,IAP-1,CC-2015,CC13,equivalent,\nACME-IAP,IAP-2,CC-2015,CC5,partial,Zoë\n"
    ).encode("latin-1")
    [problem] = _problems(world, lead, text)
    assert problem.startswith("Line 3: the file is not UTF-8")


def test_a_utf8_file_with_a_byte_order_mark_is_read(world, frameworks, lead):
    _import(
        world,
        lead,
        ("\ufeff" + HEADER + "ACME-IAP,IAP-2,CC-2015,CC5,partial,Zoë's note\n").encode(),
    )
    assert Mapping.objects.get().note == "Zoë's note"


def test_a_spreadsheet_and_an_empty_file_are_refused(world, frameworks, lead):
    [problem] = _problems(world, lead, b"PK\x03\x04rest-of-a-zip")
    assert "Excel workbook" in problem
    [problem] = _problems(world, lead, b"")
    assert problem == "The file is empty."
    [problem] = _problems(world, lead, HEADER)
    assert "no mappings" in problem


def test_the_import_page_lists_problems_and_imports_nothing(client_as, world, frameworks):
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("profiles:mapping_import")
    page = client.get(url).content.decode()
    assert (
        "source_framework,source_id_number,target_framework,target_id_number,strength,note" in page
    )
    upload = SimpleUploadedFile(
        "crosswalk.csv",
        (HEADER + "ACME-IAP,IAP-1,CC-2015,CC13,,\nNOPE,IAP-1,CC-2015,CC5,,\n").encode(),
        "text/csv",
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "There is no framework with ID number “NOPE”" in body
    assert [p.line for p in response.context["problems"]] == [3]
    assert not Mapping.objects.exists()

    good = SimpleUploadedFile(
        "crosswalk.csv", (HEADER + "ACME-IAP,IAP-1,CC-2015,CC13,,\n").encode(), "text/csv"
    )
    response = client.post(url, {"file": good}, follow=True)
    assert "1 mapping imported." in response.content.decode()
    assert Mapping.objects.count() == 1


def test_the_import_page_refuses_a_file_that_is_not_csv(client_as, frameworks):
    upload = SimpleUploadedFile("crosswalk.xlsx", b"PK\x03\x04", "application/octet-stream")
    response = client_as(Role.TRAINING_LEAD).post(
        reverse("profiles:mapping_import"), {"file": upload}
    )
    assert response.status_code == 200
    assert "must be a CSV file" in response.content.decode()
