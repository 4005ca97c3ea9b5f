"""Published, immutable questionnaire versions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, object_session

from portal.db import Base, utcnow
from portal.questionnaires.definition import Definition, parse_definition

# A published version never changes, so each process parses its source once.
_definitions: dict[tuple, Definition] = {}


class QuestionnaireVersion(Base):
    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text, deferred=True)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The organisation that owns it; None: shared by every organisation of the instance.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)

    @property
    def definition(self) -> Definition:
        """The parsed definition (the source is loaded only the first time in a process)."""
        if self.id is None:
            return parse_definition(self.source)
        identity = (self.id, self.key, self.version, self.published_at)
        definition = _definitions.get(identity)
        if definition is None:
            definition = _definitions[identity] = parse_definition(self.source)
        return definition

    def title_in(self, locale: str) -> str:
        """The questionnaire's title in `locale` (or its first language)."""
        definition = self.definition
        return definition.text(definition.title, locale)


def preload_definitions(versions: Iterable[QuestionnaireVersion]) -> None:
    """Parse the definitions of `versions` not yet known here, loading their sources at once."""
    missing = {
        v.id: v for v in versions if (v.id, v.key, v.version, v.published_at) not in _definitions
    }
    if not missing:
        return
    session = object_session(next(iter(missing.values())))
    rows = session.execute(
        select(QuestionnaireVersion.id, QuestionnaireVersion.source).where(
            QuestionnaireVersion.id.in_(missing)
        )
    )
    for version_id, source in rows:
        v = missing[version_id]
        _definitions[(v.id, v.key, v.version, v.published_at)] = parse_definition(source)
