"""The code of practice: uploaded only as a real PDF, Word or OpenDocument file, and served only
through a view that checks the person may see the programme."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programmes import services
from programmes.forms import CODE_OF_PRACTICE_MAX_BYTES
from programmes.models import Role

from ..access_table import ACTORS, ANONYMOUS, OUTSIDER, PARTNER
from .helpers import Page, partner_organisation
from .test_programme_edit import programme_data

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, world, name: str, content: bytes):
    url = reverse("programmes:edit", kwargs={"pk": world.programme.pk})
    return client.post(
        url, {**programme_data(), "code_of_practice": SimpleUploadedFile(name, content)}
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("code.pdf", b"MZ\x90\x00 this is an executable, not a PDF"),
        ("code.pdf", b"<html><script>alert(1)</script></html>"),
        ("code.docx", XLSX),  # a zip, but a spreadsheet
        ("code.docx", b"PK\x03\x04 not really a zip"),
        ("code.doc", PDF),  # a real PDF wearing the wrong name
        ("code.exe", PDF),
        ("code", PDF),
    ],
)
def test_a_file_that_is_not_what_it_claims_is_refused(client_as, world, name, content):
    response = upload(client_as(Role.TRAINING_LEAD), world, name, content)

    assert response.status_code == 200
    error = Page(response).error_for("id_code_of_practice")
    assert error.startswith(
        ("The selected file is not a real", "The code of practice must be a PDF")
    )
    world.programme.refresh_from_db()
    assert not world.programme.code_of_practice


def test_a_fake_pdf_gets_a_clear_message(client_as, world):
    response = upload(client_as(Role.TRAINING_LEAD), world, "code.pdf", b"just some text")
    assert Page(response).error_for("id_code_of_practice") == (
        "The selected file is not a real PDF file. Upload a PDF, Word or OpenDocument text file"
    )


def test_a_file_over_10_mb_is_refused(client_as, world):
    big = PDF + b"0" * CODE_OF_PRACTICE_MAX_BYTES
    response = upload(client_as(Role.TRAINING_LEAD), world, "code.pdf", big)
    assert (
        Page(response).error_for("id_code_of_practice")
        == "The code of practice must be smaller than 10 MB"
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("code.pdf", PDF), ("code.docx", DOCX), ("code.odt", ODT), ("Code.DOC", DOC)],
)
def test_real_documents_are_accepted(client_as, world, name, content):
    response = upload(client_as(Role.TRAINING_LEAD), world, name, content)
    assert response.status_code == 302
    world.programme.refresh_from_db()
    assert world.programme.code_of_practice.read() == content


def test_the_code_of_practice_is_served_only_to_those_who_may_see_the_programme(client, world):
    services.programme_update(
        programme=world.programme,
        code_of_practice=SimpleUploadedFile("code-of-practice.pdf", PDF),
    )
    university, partner_lecturer, partner_lead = partner_organisation(world)
    url = reverse("programmes:code_of_practice", kwargs={"pk": world.programme.pk})
    expected = {ANONYMOUS: 302, Role.TRAINEE: 403, OUTSIDER: 404}

    for actor in ACTORS:
        client.logout()
        if actor == OUTSIDER:
            client.force_login(world.outsider)
        elif actor == PARTNER:  # the accepted partner's training lead reads it
            client.force_login(partner_lead)
        elif actor != ANONYMOUS:
            client.force_login(world.person(actor))
        response = client.get(url)
        assert response.status_code == expected.get(actor, 200), actor
        if response.status_code == 200:
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Disposition"].startswith("attachment;")
            assert response["Content-Type"] == "application/pdf"

    client.force_login(partner_lecturer)
    assert client.get(url).status_code == 200


def test_the_page_links_to_the_view_never_to_media(client_as, world):
    services.programme_update(
        programme=world.programme, code_of_practice=SimpleUploadedFile("code.pdf", PDF)
    )
    client = client_as(Role.TRAINING_LEAD)
    for url in (
        reverse("programmes:detail", kwargs={"pk": world.programme.pk}),
        reverse("programmes:edit", kwargs={"pk": world.programme.pk}),
    ):
        html = client.get(url).content.decode()
        assert "/media/" not in html
    page = Page(client.get(reverse("programmes:detail", kwargs={"pk": world.programme.pk})))
    assert page.all(data_testid="code-of-practice")[0].attrs["href"] == reverse(
        "programmes:code_of_practice", kwargs={"pk": world.programme.pk}
    )


def test_a_lead_removes_the_code_of_practice(client_as, world):
    services.programme_update(
        programme=world.programme, code_of_practice=SimpleUploadedFile("code.pdf", PDF)
    )
    client = client_as(Role.TRAINING_LEAD)
    url = reverse("programmes:edit", kwargs={"pk": world.programme.pk})
    assert "The current file is code.pdf" in Page(client.get(url)).text(
        id="id_code_of_practice-hint"
    )

    response = client.post(url, {**programme_data(), "remove_code_of_practice": "on"})

    assert response.status_code == 302
    world.programme.refresh_from_db()
    assert not world.programme.code_of_practice
    assert (
        client.get(
            reverse("programmes:code_of_practice", kwargs={"pk": world.programme.pk})
        ).status_code
        == 404
    )
