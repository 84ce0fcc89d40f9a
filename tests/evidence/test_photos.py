"""Photos from phones: a HEIC photo from an iPhone is accepted and stored as a JPEG, a large
photo is scaled down, and the evidence page shows photos in place with a download link."""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from competencies.models import Evidence
from programmes.models import Role

from .test_pages import _form


def _heic(name="IMG_0042.HEIC", size=(640, 480)) -> SimpleUploadedFile:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buffer = BytesIO()
    Image.new("RGB", size, (0, 94, 184)).save(buffer, format="HEIF", quality=80)
    data = buffer.getvalue()
    assert data[4:12] == b"ftypheic"  # a real HEIC, as an iPhone sends it
    return SimpleUploadedFile(name, data, content_type="image/heic")


def _jpeg(name="ward-board.jpg", size=(4032, 3024)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="JPEG", quality=90)
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
