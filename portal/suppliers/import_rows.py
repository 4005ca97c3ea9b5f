"""What a supplier import reads and produces: its rows, limits and refusal."""

from __future__ import annotations

from dataclasses import dataclass

from portal.refusals import Refused

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_LINES = 2 * MAX_ROWS  # blank lines included: bounds the work a sparse sheet can cause
# An XLSX is a zip: refuse one that would unpack to far more than a 2 MB upload can honestly hold.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
COLUMNS = ("name", "country", "category", "contact_email", "contact_name", "language")
REQUIRED = ("name", "country", "category", "contact_email")
MAX_LENGTH = {"name": 200, "category": 100, "contact_email": 254, "contact_name": 200}
DEFAULT_LANGUAGE = "en"
EMAIL_LOOKUP_CHUNK = 500


class ImportRefused(Refused):
    """The file cannot be imported; `problems` says why, one translated message each."""

    def __init__(self, *problems: str):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Row:
    """One data row as read: its line number and its cells by column name."""

    line: int
    cells: dict[str, str]
    extra: bool = False  # cells right of the header's last column


@dataclass(frozen=True)
class NewSupplier:
    """A checked row, ready to create."""

    line: int
    name: str
    country: str
    category: str
    contact_email: str
    contact_name: str
    language: str
