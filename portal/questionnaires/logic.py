"""Publishing questionnaire versions from definition files."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.logic import record
from portal.auth.models import User
from portal.extensions import db
from portal.questionnaires.definition import DefinitionError, parse_definition
from portal.questionnaires.models import QuestionnaireVersion


def import_questionnaire(
    source: str | bytes, *, by: User | None, organisation_id: int | None = None
) -> QuestionnaireVersion:
    """Validate a definition and publish it as an immutable version; store nothing if invalid.

    A version belongs to `organisation_id` (None: shared by every organisation); a buyer
    publishes for their own organisation.
    """
    if by is not None and by.organisation_id is not None:
        organisation_id = by.organisation_id
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DefinitionError(["the file is not UTF-8 text"]) from error
    definition = parse_definition(source)
    # Keys are unique across the instance: look at every organisation's versions.
    same_key = select(QuestionnaireVersion.version, QuestionnaireVersion.organisation_id).where(
        QuestionnaireVersion.key == definition.key
    )
    versions = db.session.execute(same_key.execution_options(all_organisations=True)).all()
    if any(owner != organisation_id for _version, owner in versions):
        raise DefinitionError(
            [f"key: {definition.key} is the key of another questionnaire; choose another key"]
        )
    if any(version == definition.version for version, _owner in versions):
        raise DefinitionError(
            [
                f"version: {definition.key} version {definition.version} is already published; "
                "published versions never change, so give the new file a higher version"
            ]
        )
    version = QuestionnaireVersion(
        key=definition.key,
        version=definition.version,
        title=definition.text(definition.title, definition.languages[0]),
        source=source,
        published_by_id=by.id if by else None,
        organisation_id=organisation_id,
    )
    db.session.add(version)
    db.session.flush()
    record(
        "questionnaire_published",
        object_type="questionnaire",
        object_id=version.id,
        by=by,
        key=definition.key,
        version=definition.version,
    )
    return version


def all_versions() -> list[QuestionnaireVersion]:
    """Every published version, newest first within each questionnaire."""
    return list(
        db.session.scalars(
            select(QuestionnaireVersion).order_by(
                QuestionnaireVersion.key, QuestionnaireVersion.version.desc()
            )
        )
    )
