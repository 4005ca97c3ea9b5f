"""HTML to PDF with WeasyPrint, fetching only the portal's own static files."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from portal.reports.fetcher import StaticOnlyFetcher

# Importing WeasyPrint makes Pillow accept truncated images in the whole process; the
# reports embed no raster image, and uploaded evidence must be refused when truncated.
ImageFile.LOAD_TRUNCATED_IMAGES = False

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
STYLESHEET = "report.css"

# Per thread: the font configuration (Pango's font map, which WeasyPrint would otherwise
# build for every document and not fully free) and the parsed stylesheet. Reusing them
# takes about a sixth off every rendering (docs/benchmarks.md). Neither is thread-safe.
_local = threading.local()


@dataclass(frozen=True)
class RenderedPDF:
    pdf: bytes
    pages: int
    render_ms: int


def static_base_url() -> str:
    """The base URL of report HTML: relative links resolve inside the static folder."""
    return Path(current_app.static_folder).resolve().as_uri() + "/"


def _font_config() -> FontConfiguration:
    if getattr(_local, "font_config", None) is None:
        _local.font_config = FontConfiguration()
    return _local.font_config


def _stylesheet(fetcher: StaticOnlyFetcher) -> CSS:
    """`static/report.css`, parsed once per thread and again when the file changes."""
    path = Path(current_app.static_folder) / STYLESHEET
    key = (str(path), path.stat().st_mtime_ns)
    if getattr(_local, "stylesheet_key", None) != key:
        _local.stylesheet = CSS(filename=str(path), url_fetcher=fetcher, font_config=_font_config())
        _local.stylesheet_key = key
    return _local.stylesheet


def html_to_pdf(html: str) -> RenderedPDF:
    """Lay out `html` with the report stylesheet and write the PDF; refused URLs are
    simply left out."""
    started = time.perf_counter()
    fetcher = StaticOnlyFetcher(current_app.static_folder)
    document = HTML(string=html, base_url=static_base_url(), url_fetcher=fetcher).render(
        stylesheets=[_stylesheet(fetcher)], font_config=_font_config()
    )
    pdf = document.write_pdf()
    return RenderedPDF(pdf, len(document.pages), round((time.perf_counter() - started) * 1000))
