"""Answer a request for an evidence file, once the caller has checked access.

The response can only ever be the stored safe type: the browser is told not to sniff,
not to run anything (CSP `default-src 'none'`, plus `sandbox` for PDFs), not to keep
a copy, and how to name the file.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Response
from werkzeug.exceptions import NotFound

from portal.evidence.storage import Storage

SAFE_TYPES = {"image/jpeg": "jpg", "application/pdf": "pdf"}


def evidence_response(
    storage: Storage, name: str, content_type: str, download_name: str, *, inline: bool
) -> Response:
    """The stored file `name` as a response; 404 when it is missing."""
    if content_type not in SAFE_TYPES:
        raise ValueError(f"not a type we store: {content_type!r}")
    try:
        data = storage.read(name)
    except FileNotFoundError:
        raise NotFound() from None

    response = Response(data, status=200, content_type=content_type)
    response.headers.set(
        "Content-Disposition",
        "inline" if inline else "attachment",
        **_filename_parameters(download_name, SAFE_TYPES[content_type]),
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    csp = "default-src 'none'"
    if content_type == "application/pdf":
        csp += "; sandbox"
    response.headers["Content-Security-Policy"] = csp
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _filename_parameters(download_name: str, extension: str) -> dict[str, str]:
    """RFC 6266: an ASCII `filename` fallback and the exact UTF-8 `filename*`
    (werkzeug's `dump_options_header` leaves `key*` values as given)."""
    name = "".join(ch for ch in (download_name or "") if unicodedata.category(ch)[0] != "C").strip()
    name = name.replace("/", "_").replace("\\", "_") or f"evidence.{extension}"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = ascii_name.replace('"', "").strip() or f"evidence.{extension}"
    return {
        "filename": ascii_name,
        "filename*": "UTF-8''" + quote(name, safe="!#$&+^`|~"),
    }
