"""Evidence uploads: the type comes from the bytes, photos are cleaned, bad files refused."""

from __future__ import annotations

import io
import zlib

import pytest
from flask import Flask
from flask_babel import Babel, force_locale
from PIL import Image, ImageOps

from portal import PROJECT_ROOT
from portal.evidence.processing import (
    MAX_FULL_DECODE_PIXELS,
    EvidenceRefused,
    display_name,
    format_size,
    process_upload,
)


@pytest.fixture
def babel_ctx():
    """A minimal app with Flask-Babel, so refusals can be translated (no database)."""
    app = Flask(__name__)
    Babel(app, default_translation_directories=str(PROJECT_ROOT / "translations"))
    with app.test_request_context():
        yield app


class CountingStream(io.BytesIO):
    """A stream that records how many bytes were asked for and handed out."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def _image_bytes(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def _gps_photo(width: int = 2400, height: int = 1200, orientation: int = 6) -> bytes:
    """A phone-like JPEG: left half red, right half blue, EXIF with GPS and rotation."""
    image = Image.new("RGB", (width, height), (200, 20, 20))
    image.paste((20, 20, 200), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation  # Orientation: 6 = rotate 90° clockwise to view
    exif[0x8825] = {  # GPSInfo
        1: "N",
        2: (48.0, 51.0, 24.0),
        3: "E",
        4: (2.0, 21.0, 3.0),
    }
    return _image_bytes(
        image,
        "JPEG",
        exif=exif,
        comment=b"shot at the GPS site",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">exif:GPSLatitude 48,51N</x:xmpmeta>',
        icc_profile=b"fake ICC profile",
        quality=90,
    )


def _refused(data: bytes, filename: str = "photo.jpg", **kwargs) -> EvidenceRefused:
    with pytest.raises(EvidenceRefused) as caught:
        process_upload(io.BytesIO(data), filename, **kwargs)
    return caught.value


def test_photo_loses_exif_and_gps_and_is_downscaled_and_upright(babel_ctx):
    original = _gps_photo()
    assert b"Exif" in original
    assert b"xmpmeta" in original
    assert b"ICC_PROFILE" in original
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is there

    result = process_upload(io.BytesIO(original), "IMG_0001.JPG")

    assert result.content_type == "image/jpeg"
    assert result.extension == "jpg"
    assert result.original_name == "IMG_0001.jpg"
    assert b"Exif" not in result.data
    assert b"GPS" not in result.data
    assert b"shot at the GPS site" not in result.data
    assert b"http://ns.adobe.com/xap" not in result.data
    assert b"xmpmeta" not in result.data
    assert b"ICC_PROFILE" not in result.data
    cleaned = Image.open(io.BytesIO(result.data))
    assert cleaned.format == "JPEG"
    assert len(cleaned.getexif()) == 0
    assert "exif" not in cleaned.info
    assert "comment" not in cleaned.info or not cleaned.info["comment"]
    # 2400x1200 landscape, orientation 6: shown as 1200x2400 portrait, cut to 800x1600.
    assert (result.width, result.height) == (800, 1600) == cleaned.size
    # After the rotation the red (left) half is on top.
    top = cleaned.convert("RGB").getpixel((400, 200))
    bottom = cleaned.convert("RGB").getpixel((400, 1400))
    assert top[0] > 150 > top[2]
    assert bottom[2] > 150 > bottom[0]

    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert thumb.format == "JPEG"
    assert max(thumb.size) == 320
    assert len(thumb.getexif()) == 0
    assert b"GPS" not in result.thumbnail


def test_small_photo_is_not_enlarged(babel_ctx):
    result = process_upload(io.BytesIO(_image_bytes(Image.new("RGB", (640, 480)), "JPEG")), "a.jpg")
    assert (result.width, result.height) == (640, 480)
    assert Image.open(io.BytesIO(result.thumbnail)).size == (320, 240)


def test_png_becomes_jpeg_with_transparency_on_white(babel_ctx):
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((0, 128, 0, 255), (0, 0, 150, 200))
    result = process_upload(io.BytesIO(_image_bytes(image, "PNG")), "screenshot.png")
    assert result.content_type == "image/jpeg"
    assert result.original_name == "screenshot.jpg"
    converted = Image.open(io.BytesIO(result.data))
    assert converted.format == "JPEG"
    assert converted.mode == "RGB"
    assert min(converted.getpixel((250, 100))) > 240  # transparent became white


@pytest.mark.parametrize("fmt", ["WEBP", "GIF"])
def test_webp_and_gif_are_accepted(babel_ctx, fmt):
    data = _image_bytes(Image.new("RGB", (50, 40), (10, 200, 10)), fmt)
    result = process_upload(io.BytesIO(data), f"x.{fmt.lower()}")
    assert result.content_type == "image/jpeg"
    assert (result.width, result.height) == (50, 40)


def test_animated_gif_keeps_first_frame(babel_ctx):
    frames = [Image.new("RGB", (40, 40), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100)
    result = process_upload(io.BytesIO(out.getvalue()), "anim.gif")
    red = Image.open(io.BytesIO(result.data)).getpixel((20, 20))
    assert red[0] > 200 > red[2]


def test_type_comes_from_content_not_name(babel_ctx):
    png = _image_bytes(Image.new("RGB", (20, 20)), "PNG")
    assert process_upload(io.BytesIO(png), "report.pdf").content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "photo.jpg"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "photo.jpg"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "photo.jpg"),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
            b'height="10"><script>alert(1)</script></svg>',
            "drawing.svg",
        ),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 100, "documents.pdf"),
        (b"just some text\n", "notes.jpg"),
    ],
    ids=["exe", "elf", "html", "svg", "zip", "text"],
)
def test_other_files_are_refused(babel_ctx, data, filename):
    refused = _refused(data, filename)
    assert refused.reason == "unsupported"
    assert "not a photo or a PDF" in refused.message


def test_a_tiff_is_refused_even_though_pillow_reads_it(babel_ctx):
    refused = _refused(_image_bytes(Image.new("RGB", (20, 20)), "TIFF"), "scan.jpg")
    assert refused.reason == "unsupported"


def test_empty_file_is_refused(babel_ctx):
    assert _refused(b"").reason == "empty"


def test_oversized_upload_is_refused_without_reading_everything(babel_ctx):
    stream = CountingStream(b"\xff\xd8\xff" + b"\x00" * 5_000_000)
    with pytest.raises(EvidenceRefused) as caught:
        process_upload(stream, "big.jpg", max_bytes=1000)
    assert caught.value.reason == "too_large"
    assert stream.bytes_read == 1001
    assert "larger than 1 KB" in caught.value.message


def test_size_limit_message_uses_the_configured_limit(babel_ctx):
    data = b"%PDF-1.4\n" + b"x" * (2 * 1024 * 1024)
    refused = _refused(data, max_bytes=2 * 1024 * 1024)
    assert refused.message.startswith("This file is larger than 2 MB.")
    with force_locale("fr"):
        assert format_size(15 * 1024 * 1024) == "15\u00a0Mo"
        assert format_size(1536 * 1024) == "1,5\u00a0Mo"
        french = _refused(data, max_bytes=2 * 1024 * 1024)
    assert "2\u00a0Mo" in french.message
    assert french.message != refused.message


def test_file_of_exactly_the_limit_is_accepted(babel_ctx):
    png = _image_bytes(Image.new("RGB", (8, 8)), "PNG")
    assert process_upload(io.BytesIO(png), "a.png", max_bytes=len(png)).width == 8


def _png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes of PNG that claims `width` x `height` (a decompression bomb)."""
    raw = zlib.compress(b"\x00" * 64, 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def test_decompression_bomb_made_with_pillow_is_refused(babel_ctx):
    # 12000 x 12000 of one colour: 144 Mpx, a few hundred kB as a PNG.
    bomb = _image_bytes(Image.new("1", (12000, 12000)), "PNG", optimize=True)
    assert len(bomb) < 1024 * 1024
    refused = _refused(bomb, "bomb.png")
    assert refused.reason == "too_many_pixels"


@pytest.mark.parametrize(
    ("width", "height"),
    [(100_000, 100_000), (10_000, 10_000), (9000, 9000), (40_001, 1000)],
    ids=["pillow-error", "pillow-warning", "our-limit", "our-limit-strip"],
)
def test_images_declaring_too_many_pixels_are_refused(babel_ctx, width, height):
    assert width * height > MAX_FULL_DECODE_PIXELS
    data = _png_declaring(width, height)
    assert len(data) < 200
    assert _refused(data, "huge.png").reason == "too_many_pixels"


def test_truncated_jpeg_is_refused(babel_ctx):
    photo = _image_bytes(Image.effect_noise((800, 600), 60).convert("RGB"), "JPEG")
    refused = _refused(photo[: len(photo) // 2])
    assert refused.reason == "damaged_image"
    assert "damaged or incomplete" in refused.message


def test_corrupt_png_is_refused(babel_ctx):
    png = bytearray(_image_bytes(Image.effect_noise((200, 200), 60), "PNG"))
    png[200:260] = b"\x00" * 60
    assert _refused(bytes(png), "x.png").reason == "damaged_image"


def _pdf(*objects: bytes) -> bytes:
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    body += b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    body += b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    for number, obj in enumerate(objects, start=3):
        body += str(number).encode() + b" 0 obj\n" + obj + b"\nendobj\n"
    return body + b"trailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"


def test_pdf_is_kept_as_it_is(babel_ctx):
    pdf = _pdf(b"<< /Type /Annot /Subtype /Text /Contents (Audit report) >>")
    result = process_upload(io.BytesIO(pdf), "../../Rapport d’audit.PDF")
    assert result.data == pdf
    assert result.content_type == "application/pdf"
    assert result.extension == "pdf"
    assert result.thumbnail is None
    assert result.width is None
    assert result.height is None
    assert result.original_name == "Rapport d’audit.pdf"


def test_a_real_pdf_from_pillow_is_accepted(babel_ctx):
    pdf = _image_bytes(Image.new("RGB", (100, 100), "white"), "PDF")
    assert process_upload(io.BytesIO(pdf), "scan.pdf").content_type == "application/pdf"


@pytest.mark.parametrize(
    ("obj", "reason", "words"),
    [
        (b"<< /S /JavaScript /JS (app.alert(1)) >>", "pdf_javascript", "JavaScript"),
        (b"<< /OpenAction << /S /J#61vaScript /J#53 (x) >> >>", "pdf_javascript", "JavaScript"),
        (b"<< /S /Launch /F (cmd.exe) >>", "pdf_launch", "starts another program"),
        (b"<< /Names << /EmbeddedFiles 4 0 R >> >>", "pdf_attachment", "attached"),
        (b"<< /Type /EmbeddedFile /Length 3 >>", "pdf_attachment", "attached"),
    ],
    ids=["javascript", "escaped-javascript", "launch", "embedded-files", "embedded-file"],
)
def test_active_pdfs_are_refused_and_say_why(babel_ctx, obj, reason, words):
    refused = _refused(_pdf(obj), "report.pdf")
    assert refused.reason == reason
    assert words in refused.message


def test_pdf_without_end_is_refused(babel_ctx):
    pdf = _pdf()
    refused = _refused(pdf[: len(pdf) - 20], "report.pdf")
    assert refused.reason == "damaged_pdf"


def test_refusal_is_translated(babel_ctx):
    with force_locale("es"):
        refused = _refused(b"MZ" + b"\x00" * 100)
    assert "not a photo" not in refused.message
    assert refused.message
    assert isinstance(refused, ValueError)


@pytest.mark.parametrize(
    ("filename", "extension", "expected"),
    [
        ("IMG_1234.HEIC", "jpg", "IMG_1234.jpg"),
        ("C:\\Users\\me\\Desktop\\facture.pdf", "pdf", "facture.pdf"),
        ("../../etc/passwd", "jpg", "passwd.jpg"),
        ("bad\x00na\u202eme\n.jpg", "jpg", "badname.jpg"),
        ("", "jpg", "evidence.jpg"),
        ("...", "pdf", "evidence.pdf"),
        ("a" * 300 + ".jpg", "jpg", "a" * 116 + ".jpg"),
    ],
)
def test_display_name_is_sanitised(filename, extension, expected):
    assert display_name(filename, extension) == expected


def test_exif_transpose_in_this_pillow_handles_our_photo():
    # Guard for the orientation test: Pillow itself agrees on the upright size.
    image = Image.open(io.BytesIO(_gps_photo(240, 120)))
    assert ImageOps.exif_transpose(image).size == (120, 240)


@pytest.mark.pdf
def test_truncated_jpeg_is_refused_after_weasyprint_is_imported(babel_ctx):
    """WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on when imported; evidence must not
    follow it."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    photo = _image_bytes(Image.effect_noise((800, 600), 60).convert("RGB"), "JPEG")
    refused = _refused(photo[: len(photo) // 2])
    assert refused.reason == "damaged_image"
