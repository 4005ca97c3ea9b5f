"""What one image upload may cost in memory: pixel limits by format, JPEGs decoded at a
reduced scale, one image decoded at a time."""

from __future__ import annotations

import io
import threading
import time

import pytest
from PIL import Image

from portal.evidence import processing
from portal.evidence.processing import (
    LONG_EDGE,
    MAX_FULL_DECODE_PIXELS,
    MAX_PIXELS,
    EvidenceRefused,
    decoded_size,
    process_upload,
)
from tests.evidence.test_processing import babel_ctx  # noqa: F401 - a fixture


def _png(size: tuple[int, int], mode: str = "1") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG", optimize=True)
    return out.getvalue()


def _jpeg(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("L", size, 128).save(out, "JPEG", quality=50)
    return out.getvalue()


@pytest.fixture
def decoded(monkeypatch):
    """The sizes images are decoded at, and how many were being decoded at once."""
    seen = {"sizes": [], "at_once": 0, "most_at_once": 0}
    real = Image.Image.load
    count = threading.Lock()

    def load(image):
        if getattr(image, "tile", None):  # tiles left to decode: decoding now
            with count:
                seen["at_once"] += 1
                seen["most_at_once"] = max(seen["most_at_once"], seen["at_once"])
            try:
                time.sleep(0.05)
                result = real(image)
                seen["sizes"].append(image.size)
            finally:
                with count:
                    seen["at_once"] -= 1
            return result
        return real(image)

    monkeypatch.setattr(Image.Image, "load", load)
    return seen


def test_the_6000_pixel_square_png_is_refused_before_it_is_decoded(babel_ctx, decoded):  # noqa: F811
    data = _png((6000, 6000))
    assert len(data) < 100 * 1024  # tens of kilobytes on the wire, 36 Mpx decoded
    with pytest.raises(EvidenceRefused) as refused:
        process_upload(io.BytesIO(data), "square.png")
    assert refused.value.reason == "too_many_pixels"
    assert "too large to process" in refused.value.message
    assert decoded["sizes"] == []


def test_a_png_as_large_as_a_12_megapixel_photo_is_accepted(babel_ctx, decoded):  # noqa: F811
    assert 4032 * 3024 <= MAX_FULL_DECODE_PIXELS
    kept = process_upload(io.BytesIO(_png((4032, 3024), "P")), "photo.png")
    assert (kept.width, kept.height) == (LONG_EDGE, 1200)
    with pytest.raises(EvidenceRefused) as refused:
        process_upload(io.BytesIO(_png((4032, 3400))), "bigger.png")
    assert refused.value.reason == "too_many_pixels"


def test_a_50_megapixel_jpeg_is_accepted_and_decoded_at_an_eighth_of_its_pixels(
    babel_ctx,  # noqa: F811
    decoded,
):
    assert 8160 * 6120 <= MAX_PIXELS
    kept = process_upload(io.BytesIO(_jpeg((8160, 6120))), "camera.jpg")
    assert (kept.width, kept.height) == (LONG_EDGE, 1200)
    [size] = decoded["sizes"]
    assert size == decoded_size(8160, 6120) == (2040, 1530)
    assert size[0] * size[1] <= 8160 * 6120 / 16


def test_a_jpeg_above_the_limit_is_refused_before_it_is_decoded(babel_ctx, decoded):  # noqa: F811
    data = _jpeg((9000, 6000))
    with pytest.raises(EvidenceRefused) as refused:
        process_upload(io.BytesIO(data), "huge.jpg")
    assert refused.value.reason == "too_many_pixels"
    assert decoded["sizes"] == []


@pytest.mark.parametrize(
    ("size", "decoded_at"),
    [
        ((4032, 3024), (2016, 1512)),
        ((1600, 1200), (1600, 1200)),
        ((12800, 1200), (1600, 150)),
        ((2400, 1800), (2400, 1800)),
    ],
)
def test_a_jpeg_is_decoded_at_the_smallest_scale_covering_the_stored_size(size, decoded_at):
    assert decoded_size(*size) == decoded_at


def test_one_image_is_decoded_at_a_time(app, decoded):
    photos = [_jpeg((3000, 2000)) for _ in range(3)] + [_png((3000, 2000), "P")]
    failures = []

    def upload(data: bytes) -> None:
        try:
            with app.test_request_context():
                process_upload(io.BytesIO(data), "photo")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=upload, args=(data,)) for data in photos]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert len(decoded["sizes"]) >= len(photos)
    assert decoded["most_at_once"] == 1
    assert processing._DECODING.locked() is False
