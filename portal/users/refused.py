"""Why a change to an account was refused."""

from __future__ import annotations

from portal.refusals import Refused


class AccountRefused(Refused):
    """A change to an account that cannot be made; nothing was written. `field` names the
    form field to blame (None: the whole form), `message` says why, translated."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
