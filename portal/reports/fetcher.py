"""The only way WeasyPrint reaches outside the HTML it is given.

It serves `data:` URLs and files inside the portal's static folder, and refuses everything
else: `file:` URLs anywhere else (a report must never embed /etc/passwd or an evidence
file by a typed `<img src>`), and every network URL (no calls to internal addresses).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    """A URL the report may not fetch; WeasyPrint logs it and leaves the resource out."""


class StaticOnlyFetcher(URLFetcher):
    """Fetch `data:` URLs and files under `static_folder`; refuse anything else."""

    def __init__(self, static_folder: str | Path) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.static_folder = Path(static_folder).resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = self.static_path(url)
            if path is not None:
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    path.as_uri(), path.read_bytes(), {"Content-Type": content_type}
                )
        self.refused.append(url)
        raise RefusedURL(f"reports fetch only the portal's static files, not {url[:200]}")

    def static_path(self, url: str) -> Path | None:
        """The file a `file:` URL names, when it is an existing file inside the static
        folder (after resolving `..` and symbolic links); otherwise None."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.static_folder) or not path.is_file():
            return None
        return path
