"""HTML to PDF with WeasyPrint, fetching only the portal's own static files."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import ImageFile
from weasyprint import HTML

from portal.reports.fetcher import StaticOnlyFetcher

# Importing WeasyPrint makes Pillow accept truncated images in the whole process; the
# reports embed no raster image, and uploaded evidence must be refused when truncated.
ImageFile.LOAD_TRUNCATED_IMAGES = False

PAPER_SIZES = {"a4": "A4", "letter": "letter"}


@dataclass(frozen=True)
class RenderedPDF:
    pdf: bytes
    pages: int
    render_ms: int


def static_base_url() -> str:
    """The base URL of report HTML: relative links resolve inside the static folder."""
    return Path(current_app.static_folder).resolve().as_uri() + "/"


def html_to_pdf(html: str) -> RenderedPDF:
    """Lay out `html` and write the PDF; refused URLs are simply left out."""
    started = time.perf_counter()
    fetcher = StaticOnlyFetcher(current_app.static_folder)
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher).render()
    pdf = document.write_pdf()
    return RenderedPDF(pdf, len(document.pages), round((time.perf_counter() - started) * 1000))
