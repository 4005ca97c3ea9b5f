"""Published, immutable questionnaire versions."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, utcnow
from portal.questionnaires.definition import Definition, parse_definition


class QuestionnaireVersion(Base):
    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def definition(self) -> Definition:
        return _parsed(self.source)


@lru_cache(maxsize=64)
def _parsed(source: str) -> Definition:
    return parse_definition(source)
