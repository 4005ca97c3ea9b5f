"""Decide what an uploaded file is from its bytes, and make it safe to keep and show.

Photos (JPEG, PNG, WebP, GIF first frame) are decoded and re-encoded as a fresh JPEG:
turned upright per EXIF, long edge at most 1600 px, no EXIF/GPS/XMP/ICC/comment. What one
image may cost in memory is bounded: a JPEG is decoded at a reduced scale, other formats
only up to what a phone photo or screenshot measures, and one image is decoded at a time
per process (docs/benchmarks.md, "Evidence upload memory"). PDFs
are kept byte for byte but refused if they carry scripts, launch actions or attached
files. Everything else is refused with a sentence a supplier on a phone can act on.
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import format_decimal
from flask_babel import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from portal.refusals import Refused

DEFAULT_MAX_BYTES = 15 * 1024 * 1024
#: Declared width x height above which a JPEG is refused before it is decoded: the
#: 50-megapixel mode of phone cameras (8160 x 6120). A JPEG is decoded at 1/2 to 1/8 scale.
MAX_PIXELS = 52_000_000
#: The same for PNG, WebP and GIF, which are decoded at full size: a 12-megapixel phone
#: photo saved as PNG (4032 x 3024), a 4K or tablet screenshot.
MAX_FULL_DECODE_PIXELS = 13_000_000
LONG_EDGE = 1600
THUMB_EDGE = 320
JPEG_QUALITY = 82
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
READ_CHUNK = 64 * 1024
ORIENTATION_TAG = 0x0112
# PDF names may be written with #xx escapes (/J#61vaScript); undo them before looking.
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_FORBIDDEN = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?)(?![A-Za-z0-9])")
_NAME_MAX = 120
# One decoded image at a time per process: several photos in one update, or uploads in
# several threads, cost the memory of one.
_DECODING = threading.Lock()


class EvidenceRefused(Refused, ValueError):
    """The upload is not accepted; `message` is translated and safe to show."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        #: Stable machine-readable reason: too_large, empty, unsupported, too_many_pixels,
        #: damaged_image, damaged_pdf, pdf_javascript, pdf_launch, pdf_attachment.
        self.reason = reason


@dataclass(frozen=True)
class ProcessedFile:
    data: bytes
    content_type: str  # "image/jpeg" or "application/pdf"
    extension: str  # "jpg" or "pdf"
    thumbnail: bytes | None  # JPEG, long edge 320 px; images only
    width: int | None
    height: int | None
    original_name: str  # sanitised, for display only


def process_upload(
    stream: BinaryIO, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ProcessedFile:
    """Read at most `max_bytes + 1` bytes of `stream` and return a safe file, or raise
    `EvidenceRefused`. `filename` is used only for the display name, never for the type."""
    data = _read_limited(stream, max_bytes)
    if not data:
        raise EvidenceRefused(_("This file is empty. Please choose the file again."), "empty")
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return ProcessedFile(
            data=data,
            content_type="application/pdf",
            extension="pdf",
            thumbnail=None,
            width=None,
            height=None,
            original_name=display_name(filename, "pdf"),
        )
    image, thumbnail = _process_image(data)
    return ProcessedFile(
        data=image.data,
        content_type="image/jpeg",
        extension="jpg",
        thumbnail=thumbnail,
        width=image.width,
        height=image.height,
        original_name=display_name(filename, "jpg"),
    )


def _read_limited(stream: BinaryIO, max_bytes: int) -> bytes:
    buffer = bytearray()
    limit = max_bytes + 1
    while len(buffer) < limit:
        chunk = stream.read(min(READ_CHUNK, limit - len(buffer)))
        if not chunk:
            break
        buffer += chunk
    if len(buffer) > max_bytes:
        raise EvidenceRefused(
            _(
                "This file is larger than %(size)s. Please choose a smaller file, "
                "or take the photo again at a lower resolution.",
                size=format_size(max_bytes),
            ),
            "too_large",
        )
    return bytes(buffer)


def format_size(num_bytes: int) -> str:
    """`15 MB` / `15 Mo`, `500 KB` / `500 Ko`, in the current locale."""
    if num_bytes >= 1024 * 1024:
        return _("%(num)s MB", num=format_decimal(num_bytes / (1024 * 1024), format="#,##0.#"))
    return _("%(num)s KB", num=format_decimal(max(num_bytes, 1) / 1024, format="#,##0.#"))


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-1024:]:
        raise EvidenceRefused(
            _(
                "This PDF looks damaged or incomplete. "
                "Please save or export it again and send the new file."
            ),
            "damaged_pdf",
        )
    names = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    found = {match.group(1) for match in _PDF_FORBIDDEN.finditer(names)}
    if found & {b"JavaScript", b"JS"}:
        raise EvidenceRefused(
            _(
                "This PDF contains scripts (JavaScript), which are not accepted. "
                "Please print it to a new PDF, or send a photo of the document instead."
            ),
            "pdf_javascript",
        )
    if b"Launch" in found:
        raise EvidenceRefused(
            _(
                "This PDF contains an action that starts another program, which is not "
                "accepted. Please print it to a new PDF, or send a photo of the document instead."
            ),
            "pdf_launch",
        )
    if found & {b"EmbeddedFile", b"EmbeddedFiles"}:
        raise EvidenceRefused(
            _(
                "This PDF has other files attached inside it, which is not accepted. "
                "Please send each document on its own."
            ),
            "pdf_attachment",
        )


@dataclass(frozen=True)
class _Encoded:
    data: bytes
    width: int
    height: int


def _unsupported() -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "This file is not a photo or a PDF document. Please send a photo "
            "(JPEG, PNG, WebP or GIF) or a PDF."
        ),
        "unsupported",
    )


def _too_many_pixels() -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "This image is too large to process. Please take the photo again "
            "at a lower resolution, or send a smaller image."
        ),
        "too_many_pixels",
    )


def _damaged() -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "This image is damaged or incomplete. "
            "Please take the photo again or choose another file."
        ),
        "damaged_image",
    )


def _process_image(data: bytes) -> tuple[_Encoded, bytes]:
    # WeasyPrint sets this process-wide flag when it is imported (the reports use it);
    # a truncated photo must be refused, not padded with grey.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(IMAGE_FORMATS))
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many_pixels() from None
        except UnidentifiedImageError:
            raise _unsupported() from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise _damaged() from None
        with image:
            width, height = image.size
            if width <= 0 or height <= 0:
                raise _damaged()
            limit = MAX_PIXELS if image.format == "JPEG" else MAX_FULL_DECODE_PIXELS
            if width * height > limit:
                raise _too_many_pixels()
            try:
                with _DECODING:
                    clean = _decode_reduced(image)
            except (Image.DecompressionBombWarning, Image.DecompressionBombError):
                raise _too_many_pixels() from None
            except (OSError, SyntaxError, ValueError, EOFError):
                raise _damaged() from None
    full = _Encoded(_encode(clean), clean.width, clean.height)
    small = clean.copy()
    small.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    return full, _encode(small)


def decoded_size(width: int, height: int) -> tuple[int, int]:
    """The size a JPEG of `width` x `height` is decoded at: the smallest libjpeg scale
    (1/2, 1/4, 1/8) that still covers the stored long edge of LONG_EDGE pixels."""
    wanted = _fitted(width, height)
    scale = min(width // wanted[0], height // wanted[1])
    for factor in (8, 4, 2):
        if scale >= factor:
            return -(-width // factor), -(-height // factor)
    return width, height


def _fitted(width: int, height: int) -> tuple[int, int]:
    ratio = min(1.0, LONG_EDGE / max(width, height))
    return max(1, round(width * ratio)), max(1, round(height * ratio))


def _decode_reduced(image: Image.Image) -> Image.Image:
    """Decode the first frame, scale it to at most LONG_EDGE before anything else copies
    it, turn it upright and flatten it: only the decoded frame is ever at full size."""
    if image.format == "JPEG":
        # Let libjpeg decode at a reduced scale: a 50 Mpx photo costs 3 Mpx, not 50.
        image.draft("RGB", _fitted(*image.size))
    image.load()  # first frame only for GIF / animated WebP
    orientation = image.getexif().get(ORIENTATION_TAG)
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        # Palette and 1-bit images would be scaled with nearest-neighbour: widen first.
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    image.thumbnail((LONG_EDGE, LONG_EDGE), Image.Resampling.LANCZOS)
    if orientation:
        exif = image.getexif()
        exif[ORIENTATION_TAG] = orientation
        image.info["exif"] = exif.tobytes()
    return _flatten(ImageOps.exif_transpose(image))


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def _flatten(image: Image.Image) -> Image.Image:
    """A brand-new RGB image (empty `info`, so no metadata can follow), transparency
    composited on white rather than black."""
    has_alpha = _has_alpha(image)
    source = image.convert("RGBA" if has_alpha else "RGB")
    clean = Image.new("RGB", source.size, (255, 255, 255))
    clean.paste(source, mask=source if has_alpha else None)
    return clean


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=JPEG_QUALITY,
        optimize=True,
        progressive=True,
        exif=b"",
        comment=b"",
        icc_profile=None,
    )
    return out.getvalue()


def display_name(filename: str | None, extension: str) -> str:
    """The client's file name cut to its last path part, without control or format
    characters, at most 120 characters, with the extension of what we actually kept."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(
        " " if unicodedata.category(ch)[0] == "Z" else ch
        for ch in name
        if unicodedata.category(ch)[0] != "C"
    )
    name = " ".join(name.split()).strip(" .")
    stem = name.rsplit(".", 1)[0].strip(" .") if "." in name else name
    stem = stem[: _NAME_MAX - len(extension) - 1].rstrip(" .") or "evidence"
    return f"{stem}.{extension}"
