"""The framework pages: browsing, the tree, downloading, and importing with a preview."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competencies.frameworks import moodle_csv, pending
from competencies.frameworks.bundled import load_bundled_frameworks
from competencies.models import Framework
from programmes.models import Role

from ..moodle_files import fixture
from .helpers import FRAMEWORK_ROW, competency_row, csv_file, make_framework, row_counts


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def national(world):
    load_bundled_frameworks()
    return {f.id_number: f for f in Framework.objects.filter(organisation__isnull=True)}


@pytest.fixture
def acme_framework(world):
    return make_framework(world.organisation, size=12, id_number="ACME-OWN")


def upload(client, content: bytes | str, name="framework.csv", **data):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(
        reverse("frameworks:import"),
        {
            "file": SimpleUploadedFile(name, content, "text/csv"),
            "encoding": "utf-8",
            "delimiter": "comma",
            **data,
        },
    )


def pending_files() -> list[str]:
    try:
        return default_storage.listdir(pending.FOLDER)[1]
    except FileNotFoundError:
        return []


# --- Browsing --------------------------------------------------------------------------------


def test_the_list_groups_versions_by_family_with_counts(client_as, national, acme_framework):
    response = client_as(Role.TRAINEE).get(reverse("frameworks:list"))
    assert response.status_code == 200
    families = {f.title: f for f in response.context["families"]}
    care = families["Care Certificate"]
    assert [f.version for f in care.frameworks] == ["2025", "2015"]
    assert [f.competency_count for f in care.frameworks] == [16, 15]
    assert families["Framework of 12"].is_national is False
    content = response.content.decode()
    assert "Acme Mental Health NHS Trust's own framework" in content
    # Trainees read frameworks but do not import them.
    assert reverse("frameworks:import") not in content


def test_an_outsider_lists_the_national_frameworks_but_not_acmes(
    client_as, national, acme_framework
):
    response = client_as("outsider").get(reverse("frameworks:list"))
    titles = [f.title for f in response.context["families"]]
    assert "Care Certificate" in titles
    assert "Framework of 12" not in titles
    assert reverse("frameworks:import") in response.content.decode()  # a lead of their own


def test_the_detail_page_shows_facts_scale_and_the_nested_tree(client_as, national):
    ksf = national["NHS-KSF-2004"]
    response = client_as(Role.MENTOR).get(reverse("frameworks:detail", kwargs={"pk": ksf.pk}))
    assert response.status_code == 200
    tree = response.context["tree"]
    assert tree.count == 150
    assert [r.competency.id_number for r in tree.roots][:2] == ["KSF-C1", "KSF-C2"]
    assert [n.competency.id_number for n in tree.roots[0].children] == [
        "KSF-C1-L1",
        "KSF-C1-L2",
        "KSF-C1-L3",
        "KSF-C1-L4",
    ]
    assert tree.roots[0].taxonomy == "dimension" and tree.roots[0].children[0].taxonomy == "level"
    assert tree.depth_counts == [("Top level", "30 dimensions"), ("Level 2", "120 levels")]
    content = response.content.decode()
    assert "Department of Health (2004)" in content
    assert "Crown copyright" in content
    assert "Level title unverified" in content
    assert "Proficient" in content
    assert 'data-id-number="KSF-HWB4-L2"' in content


def test_an_outsider_reads_national_frameworks_but_gets_404_for_acmes(
    client_as, national, acme_framework
):
    client = client_as("outsider")
    cc = national["CARE-CERTIFICATE-2025"]
    assert client.get(reverse("frameworks:detail", kwargs={"pk": cc.pk})).status_code == 200
    assert client.get(reverse("frameworks:export", kwargs={"pk": cc.pk})).status_code == 200
    own = {"pk": acme_framework.pk}
    assert client.get(reverse("frameworks:detail", kwargs=own)).status_code == 404
    assert client.get(reverse("frameworks:export", kwargs=own)).status_code == 404


def test_imported_html_is_shown_as_text_never_as_markup(client_as, world):
    row = competency_row("A").split(",")
    row[3] = '"<p>Safe <b>text</b></p><script>alert(1)</script><img src=x onerror=alert(2)>"'
    parsed = moodle_csv.read_framework(csv_file(FRAMEWORK_ROW, ",".join(row)))
    from competencies.frameworks.services import framework_import

    framework = framework_import(parsed=parsed, organisation=world.organisation)
    response = client_as(Role.TRAINEE).get(
        reverse("frameworks:detail", kwargs={"pk": framework.pk})
    )
    content = response.content.decode()
    assert "Safe text" in content
    assert "<script>alert" not in content and "alert(1)" not in content
    assert "onerror" not in content and "<b>text" not in content


def detail_queries(client, framework) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("frameworks:detail", kwargs={"pk": framework.pk}))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_tree_page_costs_the_same_queries_for_5_and_50_competencies(client_as, world):
    small = make_framework(world.organisation, size=5, id_number="SMALL")
    big = make_framework(world.organisation, size=50, id_number="BIG")
    client = client_as(Role.TRAINING_LEAD)
    detail_queries(client, small)  # warm up (first request of the session)
    # Session, user, memberships; the framework with its scale; all its competencies with
    # their scales; the cross-references.
    assert detail_queries(client, small) == detail_queries(client, big)


def test_the_list_costs_the_same_queries_for_few_and_many_frameworks(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    make_framework(world.organisation, size=5, id_number="ONE")
    client.get(reverse("frameworks:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("frameworks:list"))
    for n in range(5):
        make_framework(world.organisation, size=5, id_number=f"MORE-{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("frameworks:list"))
    assert len(few.captured_queries) == len(many.captured_queries)


# --- Downloading -----------------------------------------------------------------------------


def test_export_downloads_the_moodle_file(client_as, world):
    from competencies.frameworks.services import framework_import

    parsed = moodle_csv.read_framework(fixture("scales_per_competency.csv").read_bytes())
    framework = framework_import(parsed=parsed, organisation=world.organisation)
    response = client_as(Role.MENTOR).get(reverse("frameworks:export", kwargs={"pk": framework.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="HCSW-2026.csv"'
    assert response.content == fixture("scales_per_competency.csv").read_bytes()


def test_a_framework_moodle_could_not_read_back_is_explained_not_a_500(client_as, acme_framework):
    acme_framework.competencies.filter(id_number="C1").update(short_name="")
    response = client_as(Role.TRAINEE).get(
        reverse("frameworks:export", kwargs={"pk": acme_framework.pk})
    )
    assert response.status_code == 409
    assert "cannot be written as a Moodle file" in response.content.decode()


# --- Importing -------------------------------------------------------------------------------


def test_a_mentor_cannot_import(client_as):
    client = client_as(Role.MENTOR)
    assert client.get(reverse("frameworks:import")).status_code == 403
    response = upload(client, fixture("chain_ordered.csv").read_bytes())
    assert response.status_code == 403
    assert row_counts() == (0, 0, 0, 0)


def test_upload_preview_then_confirm_imports_the_framework(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    response = upload(client, fixture("standards_31_unordered.csv").read_bytes())
    assert response.status_code == 302
    preview_url = response["Location"]
    assert len(pending_files()) == 1
    assert row_counts() == (0, 0, 0, 0)  # nothing imported yet

    response = client.get(preview_url)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.count == 31
    assert preview.parsed.framework.short_name == "Ward support worker standards"
    assert [item.id_number for item in preview.top][:2] == ["HSW-1", "HSW-2"]
    content = response.content.decode()
    assert "Ward support worker standards" in content and "31 in all" in content

    response = client.post(preview_url, {"import": ""})
    framework = Framework.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("frameworks:detail", kwargs={"pk": framework.pk})
    assert framework.organisation == world.organisation
    assert framework.competencies.count() == 31
    assert pending_files() == []
    # The waiting upload is gone: confirming again finds nothing.
    assert client.post(preview_url, {"import": ""}).status_code == 404
    assert Framework.objects.count() == 1


def test_a_broken_file_lists_every_problem_with_its_line_and_keeps_nothing(client_as):
    client = client_as(Role.TRAINING_LEAD)
    text = csv_file(
        FRAMEWORK_ROW,
        competency_row("A", "NOPE"),
        competency_row("B", "C"),
        competency_row("C", "B"),
    )
    response = upload(client, text)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert [line for line, _ in problems] == [3, 4]
    content = response.content.decode()
    assert "The file has 2 problems: nothing was imported" in content
    assert "Parent ID number &#x27;NOPE&#x27;" in content
    assert content.count('data-testid="import-problem"') == 2
    assert row_counts() == (0, 0, 0, 0)
    assert pending_files() == []


def test_a_file_over_5_mb_is_refused(client_as):
    client = client_as(Role.TRAINING_LEAD)
    big = fixture("chain_ordered.csv").read_bytes() + b"\n" * (5 * 1024 * 1024)
    response = upload(client, big)
    assert response.status_code == 200
    assert "the largest framework file Ladder imports is 5 MB" in response.content.decode()
    assert pending_files() == []


def test_a_framework_id_the_organisation_already_has_is_refused_at_upload(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    make_framework(world.organisation, size=3, id_number="HCSW-CHAIN")
    before = row_counts()
    response = upload(client, fixture("chain_ordered.csv").read_bytes())
    assert response.status_code == 200
    assert (
        "already has a framework with the ID number &#x27;HCSW-CHAIN&#x27;"
        in response.content.decode()
    )
    assert row_counts() == before


def test_warnings_are_shown_on_the_preview(client_as):
    client = client_as(Role.TRAINING_LEAD)
    row = competency_row("A").split(",")
    row[10] = "GONE"
    response = upload(client, csv_file(FRAMEWORK_ROW, ",".join(row)))
    response = client.get(response["Location"])
    content = response.content.decode()
    assert 'data-testid="import-warnings"' in content
    assert "Line 3: Cross-referenced ID number &#x27;GONE&#x27;" in content


def test_a_semicolon_file_needs_the_semicolon_choice(client_as):
    client = client_as(Role.TRAINING_LEAD)
    parsed = moodle_csv.read_framework(fixture("chain_ordered.csv").read_bytes())
    text = moodle_csv.write_framework(parsed, delimiter=";")
    response = upload(client, text)
    assert "separated by semicolons" in response.content.decode()
    response = upload(client, text, delimiter="semicolon")
    assert response.status_code == 302


def test_cancel_discards_the_upload(client_as):
    client = client_as(Role.TRAINING_LEAD)
    preview_url = upload(client, fixture("chain_ordered.csv").read_bytes())["Location"]
    response = client.post(preview_url, {"cancel": ""})
    assert response["Location"] == reverse("frameworks:import")
    assert pending_files() == []
    assert row_counts() == (0, 0, 0, 0)


def test_someone_elses_waiting_upload_is_not_found(client_as, world, client):
    lead = client_as(Role.TRAINING_LEAD)
    preview_url = upload(lead, fixture("chain_ordered.csv").read_bytes())["Location"]
    from django.test import Client

    other = Client()
    other.force_login(world.outsider)
    assert other.get(preview_url).status_code == 404
    assert other.post(preview_url, {"import": ""}).status_code == 404
    assert row_counts() == (0, 0, 0, 0)


def test_a_framework_imported_meanwhile_is_reported_on_confirm(client_as, world):
    client = client_as(Role.TRAINING_LEAD)
    preview_url = upload(client, fixture("chain_ordered.csv").read_bytes())["Location"]
    make_framework(world.organisation, size=2, id_number="HCSW-CHAIN")
    before = row_counts()
    response = client.post(preview_url, {"import": ""})
    assert response.status_code == 200
    assert "already has a framework" in response.content.decode()
    assert row_counts() == before
