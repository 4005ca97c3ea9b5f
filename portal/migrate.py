"""Running Alembic migrations from the application."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from portal import PROJECT_ROOT


def alembic_config() -> Config:
    """Alembic's configuration for this project."""
    return Config(str(PROJECT_ROOT / "alembic.ini"))


def upgrade(revision: str = "head") -> None:
    """Bring the database schema up to `revision` (inside an app context)."""
    command.upgrade(alembic_config(), revision)


def downgrade(revision: str) -> None:
    """Take the database schema back to `revision` (inside an app context)."""
    command.downgrade(alembic_config(), revision)
