"""Small builders for frameworks, competencies, role profiles and evidence files.

Frameworks and role profiles are made straight with the ORM (their own services belong to other
features); evidence always goes through competencies.evidence.services, as users' does.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from competencies.evidence import services
from competencies.models import Competency, Framework, RoleProfile, RoleProfileItem, Scale

_numbers = itertools.count(1)

TWO_LEVELS = [
    {"name": "Not yet competent", "proficient": False},
    {"name": "Competent", "proficient": True},
]
FOUR_LEVELS = [
    {"name": "Level 1", "proficient": False},
    {"name": "Level 2", "proficient": False},
    {"name": "Level 3", "proficient": True},
    {"name": "Level 4", "proficient": True},
]


def make_scale(levels=None, name: str | None = None) -> Scale:
    levels = levels or TWO_LEVELS
    return Scale.objects.create(name=name or f"Scale {next(_numbers)}", levels=levels)


def make_framework(*, organisation=None, short_name: str | None = None, levels=None, **fields) -> Framework:
    n = next(_numbers)
    return Framework.objects.create(
        organisation=organisation, id_number=fields.pop("id_number", f"FW{n}"),
        short_name=short_name or f"Framework {n}", scale=make_scale(levels), **fields,
    )


def make_competency(framework: Framework, short_name: str | None = None, **fields) -> Competency:
    n = next(_numbers)
    return Competency.objects.create(
        framework=framework, id_number=fields.pop("id_number", f"C{n}"),
        short_name=short_name or f"Competency {n}", sort_order=n, **fields,
    )


def make_profile(programme, items) -> RoleProfile:
    """items: (competency, target level index[, kind]) tuples, in order."""
    profile, _ = RoleProfile.objects.get_or_create(programme=programme)
    for order, item in enumerate(items):
        competency, target, *rest = item
        RoleProfileItem.objects.create(
            profile=profile, competency=competency, target_level=target,
            kind=rest[0] if rest else RoleProfileItem.Kind.CORE, sort_order=order,
        )
    return profile


def pdf(name: str = "observation.pdf", size: int = 0) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    if size:
        body = body + b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _image_bytes("PNG"), content_type="image/png")


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _image_bytes("JPEG"), content_type="image/jpeg")


def _image_bytes(kind: str) -> bytes:
    """A real, small image: photos are opened (and re-encoded if large) when they arrive."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 94, 184)).save(buffer, format=kind)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height pixels over a few bytes of picture: what a
    decompression bomb looks like to anything that reads the header (its pixels are never made)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\x00" * 64)  # the first few rows; the rest are missing
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def docx(name: str = "reflection.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def odt(name: str = "reflection.odt") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def text(name: str = "notes.txt", body: str = "Observed on Larch Ward: NEWS2 recorded. Café ✓\n") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body.encode("utf-8"), content_type="text/plain")


def submit(trainee, competencies, *, actor=None, files=(), title: str = "Physical health observations",
           occurred_on: date = date(2026, 3, 2), kind: str = "observation"):
    """Evidence submitted through the service, by the trainee's own login unless told."""
    return services.evidence_submit(
        trainee=trainee, actor=actor or trainee.user, title=title, kind=kind,
        occurred_on=occurred_on, description="I recorded a full set of observations and escalated a NEWS2 of 5.",
        competencies=competencies, files=files,
    )


def sign_off(evidence, levels: dict, *, assessor=None, comment: str = ""):
    return services.evidence_sign_off(
        evidence=evidence, assessor=assessor or evidence.trainee.mentor, levels=levels, comment=comment,
    )


def evidence_for_world(world, *, files=()):
    """Evidence of the world's trainee against one national competency, for the access table."""
    framework = make_framework(short_name="Care Certificate")
    competency = make_competency(framework, "Duty of care")
    return submit(world.trainee, [competency], files=files)


def waiting_and_expiring(world):
    """For the mentor: one piece of evidence waiting, one delegated task expiring soon (signed
    off 340 days ago, valid for a year)."""
    framework = make_framework(short_name="Delegated healthcare tasks", levels=FOUR_LEVELS)
    task = make_competency(framework, "Venepuncture", id_number="DT1", is_delegated_task=True)
    other = make_competency(framework, "ECG", id_number="DT2")
    make_profile(world.programme, [(task, 2, RoleProfileItem.Kind.ROLE_SPECIFIC), (other, 2)])
    evidence = sign_off(submit(world.trainee, [task], title="Bloods"), {task.pk: 2})
    services.decisions_backdate(evidence=evidence, decided_at=timezone.now() - timedelta(days=340))
    submit(world.trainee, [other], title="ECG on Larch")
