"""Checking files attached to evidence by what they contain, never by their name.

A browser's content type and a file's extension are whatever the sender says; the first bytes
(and, for Word and OpenDocument files, the zip's table of contents) are what the file is. The
type found here is the one stored and sent back with the download. A name whose extension
claims one of the accepted types must agree with the contents (a "PDF" that is text is
refused); a name with no known extension gets the found type's added.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

MAX_FILE_SIZE = 10 * 1024 * 1024  # 10 MB
MAX_FILES = 5
ACCEPTED_DESCRIPTION = (
    "a PDF, a photo (JPEG, PNG, or HEIC from an iPhone), a Word (.docx) or OpenDocument (.odt) "
    "document, or plain text"
)
# Photos are kept at most this many pixels on their long side (a phone's 12-megapixel photo
# is 4032): big enough to read a chart or a wound dressing, small enough to open on a ward PC.
PHOTO_MAX_SIDE = 2048
PHOTO_MAX_UPLOAD = 40 * 1024 * 1024  # a photo may arrive bigger than MAX_FILE_SIZE, to be shrunk
# A 48-megapixel iPhone photo (8064 x 6048) is 48.8 million pixels. Pixels, not bytes, are what
# decoding costs (4 bytes each in memory): a 27 KB PNG can claim 15000 x 15000, nearly 1 GB.
PHOTO_MAX_PIXELS = 50_000_000
# HEIF containers (ISO BMFF): "ftyp" then a brand at bytes 8-12.
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")


@dataclass(frozen=True)
class FileType:
    label: str  # as people say it: "a PDF"
    content_type: str
    extensions: tuple[str, ...]  # the first is the one given to the stored file


PDF = FileType("a PDF", "application/pdf", (".pdf",))
PNG = FileType("a PNG image", "image/png", (".png",))
JPEG = FileType("a JPEG image", "image/jpeg", (".jpg", ".jpeg"))
DOCX = FileType(
    "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
ODT = FileType("an OpenDocument text document", "application/vnd.oasis.opendocument.text", (".odt",))
TEXT = FileType("a plain text file", "text/plain; charset=utf-8", (".txt", ".text", ".md", ".csv"))
HEIF = FileType("a HEIC photo", "image/heic", (".heic", ".heif", ".avif"))
FILE_TYPES = (PDF, PNG, JPEG, DOCX, ODT, TEXT, HEIF)
IMAGE_TYPES = (PNG, JPEG)

# Control characters that do not occur in text people write (tab, newlines and form feed do).
_BINARY_BYTES = frozenset(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D}


def _read_all(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _is_zip_document(upload) -> FileType | None:
    """DOCX and ODT are zip files: tell them (and any other zip) apart by their contents."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    mimetype = archive.read("mimetype").strip()
                    if mimetype == ODT.content_type.encode():
                        return ODT
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    return None


def _is_text(upload) -> bool:
    data = _read_all(upload)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) in _BINARY_BYTES for ch in text)


def detect_type(upload) -> FileType | None:
    """The type of an uploaded file from its contents, or None if Ladder does not take it."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return HEIF
    if head.startswith(b"PK\x03\x04"):
        return _is_zip_document(upload)
    if _is_text(upload):
        return TEXT
    return None


class PhotoTooLarge(ValueError):
    """An image whose dimensions are more pixels than PHOTO_MAX_PIXELS (or than Pillow's guard
    allows: core.images.ImageTooLarge)."""


def _as_photo(upload, name: str, found: FileType):
    """A HEIC photo converted to JPEG, and any photo larger than PHOTO_MAX_SIDE scaled down
    (turned the way the camera held it). Returns (upload, name, type); the original upload
    when nothing needed doing. Raises PhotoTooLarge for an image over PHOTO_MAX_PIXELS, read
    from its header before any pixel is decoded, and ValueError when it cannot be read."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import ImageOps
    from pillow_heif import register_heif_opener

    from core.images import ImageTooLarge, open_image

    register_heif_opener()
    upload.seek(0)
    try:
        image = open_image(upload)
    except ImageTooLarge:
        raise PhotoTooLarge from None
    with image:
        if image.width * image.height > PHOTO_MAX_PIXELS:
            raise PhotoTooLarge
        if found is not HEIF and max(image.size) <= PHOTO_MAX_SIDE:
            image.load()  # a damaged photo is refused here, not when someone opens it
            upload.seek(0)
            return upload, name, found
        # A JPEG decodes at a half or a quarter of its size for a fraction of the time and memory.
        image.draft(image.mode, (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        image.load()
        image = ImageOps.exif_transpose(image)
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        keep_png = found is PNG
        if not keep_png and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out_type = PNG if keep_png else JPEG
        buffer = BytesIO()
        image.save(buffer, format="PNG" if keep_png else "JPEG", quality=85, optimize=True)
    stem = PurePath(name).stem[:240] or "photo"
    converted_name = f"{stem}{out_type.extensions[0]}"
    converted = SimpleUploadedFile(converted_name, buffer.getvalue(), content_type=out_type.content_type)
    return converted, converted_name, out_type


def _claimed_type(name: str) -> FileType | None:
    suffix = PurePath(name).suffix.lower()
    return next((t for t in FILE_TYPES if suffix in t.extensions), None)


def _megabytes(size: int, *, round_up: bool = False) -> str:
    tenths = size * 10 / (1024 * 1024)
    tenths = math.ceil(tenths) if round_up else round(tenths)
    return f"{tenths / 10:.1f}".removesuffix(".0")


@dataclass(frozen=True)
class CheckedFile:
    upload: object
    file_type: FileType
    original_name: str

    @property
    def stored_name(self) -> str:
        # Only the extension survives into the stored name (the model adds a random stem).
        return f"evidence{self.file_type.extensions[0]}"


def check_files(files, *, already_attached: int = 0) -> tuple[list[CheckedFile], list[str]]:
    """Each file checked: (files that pass, messages about those that do not)."""
    checked: list[CheckedFile] = []
    errors: list[str] = []
    files = list(files)
    if already_attached + len(files) > MAX_FILES:
        would = already_attached + len(files)
        errors.append(
            f"Attach at most {MAX_FILES} files to one piece of evidence "
            f"(this would make {would}). Remove some, or put them in one PDF."
        )
    for upload in files:
        name = PurePath(str(getattr(upload, "name", "") or "file")).name[:255]
        size = upload.size
        if not size:
            errors.append(f"“{name}” is empty. Choose the file again.")
            continue
        found = detect_type(upload)
        limit = PHOTO_MAX_UPLOAD if found in (HEIF, *IMAGE_TYPES) else MAX_FILE_SIZE
        if size > limit:
            errors.append(
                f"“{name}” is too big: each file must be {_megabytes(limit)} MB or "
                f"smaller, and this one is {_megabytes(size, round_up=True)} MB."
            )
            continue
        claimed = _claimed_type(name)
        if claimed is not None and found is not claimed:
            # A name that says one type over contents of another is refused, even when the
            # contents would pass on their own: people open downloads by their name.
            errors.append(
                f"“{name}” is named like {claimed.label}, but its contents are not "
                f"{claimed.label}. It may be damaged or renamed. Upload {ACCEPTED_DESCRIPTION}."
            )
            continue
        if found is None:
            errors.append(f"“{name}” is not a type of file Ladder accepts. Upload {ACCEPTED_DESCRIPTION}.")
            continue
        if claimed is None:
            # Downloads are opened by their name: make it say what the file is.
            name = f"{name[:240]}{found.extensions[0]}"
        if found in (HEIF, *IMAGE_TYPES):
            try:
                upload, name, found = _as_photo(upload, name, found)
            except PhotoTooLarge:
                errors.append(f"“{name}” has too many pixels: a photo can be at most "
                              f"{PHOTO_MAX_PIXELS // 1_000_000} megapixels. Take it at a lower resolution, "
                              "or make it smaller, and upload it again.")
                continue
            except (ValueError, OSError, MemoryError):  # PIL's errors are OSErrors
                errors.append(f"“{name}” could not be read as a photo. It may be damaged: take "
                              "or export it again, or save it as a JPEG.")
                continue
            if upload.size > MAX_FILE_SIZE:
                errors.append(f"“{name}” is still too big after shrinking it: save it as a smaller JPEG.")
                continue
        checked.append(CheckedFile(upload=upload, file_type=found, original_name=name))
    return checked, errors
