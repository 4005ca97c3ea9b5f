"""Why a change to a supplier or its contacts was refused."""

from __future__ import annotations

from portal.refusals import Refused


class SupplierChangeRefused(Refused):
    """A change that cannot be made; nothing was written. `field` names the form field to
    blame (None: the whole form), `message` says why, translated."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
