"""Photos from phones: a HEIC photo from an iPhone is accepted and stored as a JPEG, a large
photo is scaled down, and the evidence page shows photos in place with a download link."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from competencies.evidence import uploads
from competencies.models import Evidence
from programmes.models import Role

from .factories import png_claiming
from .test_pages import _form


def _heic(name="IMG_0042.HEIC", size=(640, 480)) -> SimpleUploadedFile:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buffer = BytesIO()
    Image.new("RGB", size, (0, 94, 184)).save(buffer, format="HEIF", quality=80)
    data = buffer.getvalue()
    assert data[4:12] == b"ftypheic"  # a real HEIC, as an iPhone sends it
    return SimpleUploadedFile(name, data, content_type="image/heic")


def _jpeg(name="ward-board.jpg", size=(4032, 3024), mode="RGB") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new(mode, size, 200).save(buffer, format="JPEG", quality=90)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_a_heic_photo_is_accepted_stored_as_a_jpeg_and_shown_on_the_page(client_as, world, frameworks):
    client = client_as(Role.TRAINEE)
    response = client.post(reverse("evidence:create"), _form(frameworks, files=[_heic()]))

    evidence = Evidence.objects.get()
    assert response.status_code == 302
    stored = evidence.files.get()
    assert (stored.original_name, stored.content_type) == ("IMG_0042.jpg", "image/jpeg")
    with stored.file.open("rb") as handle, Image.open(handle) as image:
        assert (image.format, image.size) == ("JPEG", (640, 480))

    page = client.get(response.url).content.decode()
    inline = reverse("evidence:file", kwargs={"pk": stored.pk}) + "?inline=1"
    assert f'src="{inline}"' in page
    assert "Download IMG_0042.jpg" in page
    shown = client.get(inline)
    assert shown["Content-Type"] == "image/jpeg"
    assert shown["Content-Disposition"].startswith("inline")
    downloaded = client.get(reverse("evidence:file", kwargs={"pk": stored.pk}))
    assert downloaded["Content-Disposition"].startswith("attachment")


def test_a_large_photo_is_scaled_down_to_2048_pixels(client_as, world, frameworks):
    client = client_as(Role.TRAINEE)
    client.post(reverse("evidence:create"), _form(frameworks, files=[_jpeg()]))

    stored = Evidence.objects.get().files.get()
    with stored.file.open("rb") as handle, Image.open(handle) as image:
        assert image.size == (2048, 1536)
    assert stored.size < 10 * 1024 * 1024


def test_a_file_named_heic_that_is_not_a_photo_is_refused_with_a_reason(client_as, world, frameworks):
    fake = SimpleUploadedFile("IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 200)
    response = client_as(Role.TRAINEE).post(reverse("evidence:create"), _form(frameworks, files=[fake]))
    assert response.status_code == 200
    assert "could not be read as a photo" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_48_megapixel_iphone_photo_is_accepted_and_scaled_down(client_as, world, frameworks):
    # 8064 x 6048, as the iPhone's 48 MP camera takes it (greyscale, to keep the test quick).
    client = client_as(Role.TRAINEE)
    response = client.post(reverse("evidence:create"),
                           _form(frameworks, files=[_jpeg("IMG_4800.jpg", size=(8064, 6048), mode="L")]))

    assert response.status_code == 302
    stored = Evidence.objects.get().files.get()
    with stored.file.open("rb") as handle, Image.open(handle) as image:
        assert image.size == (2048, 1536)


@pytest.mark.parametrize("width, height", [
    (15000, 15000),  # 225 million: Pillow's own guard raises an error while reading the header
    (10000, 10000),  # 100 million: Pillow's guard only warns
    (8000, 7000),  # 56 million: only Ladder's limit stands in the way
])
def test_an_image_with_too_many_pixels_is_refused_by_the_field_before_it_is_decoded(
        client_as, world, frameworks, width, height):
    bomb = SimpleUploadedFile("chart.png", png_claiming(width, height), content_type="image/png")
    assert bomb.size < 1000  # tiny on disk: only its header says how big it is

    response = client_as(Role.TRAINEE).post(reverse("evidence:create"), _form(frameworks, files=[bomb]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_files-error"' in page
    assert "“chart.png” has too many pixels: a photo can be at most 50 megapixels." in page
    assert not Evidence.objects.exists()


def test_a_heic_photo_with_too_many_pixels_is_refused(client_as, world, frameworks, monkeypatch):
    monkeypatch.setattr(uploads, "PHOTO_MAX_PIXELS", 640 * 480 - 1)
    response = client_as(Role.TRAINEE).post(reverse("evidence:create"), _form(frameworks, files=[_heic()]))

    assert response.status_code == 200
    assert "“IMG_0042.HEIC” has too many pixels" in response.content.decode()
    assert not Evidence.objects.exists()
