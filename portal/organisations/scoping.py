"""The one place that keeps each organisation's rows from every other.

A buyer's request is scoped to the buyer's organisation: every ORM query of the request
(a select, a relationship load, an ORM update or delete) gets `organisation_id = <theirs>`
added for every organisation-owned entity it touches, so a view that forgets to filter
still cannot read another organisation's row; an id from elsewhere simply is not found
(404). New rows take their organisation from their parent (an assessment from its
supplier) or, for a row without one, from the scope; a row linked to a parent of another
organisation is refused at flush.

Supplier contacts, jobs and commands run unscoped: they reach rows through the supplier
they act for. A query that must see every organisation (the instance-wide benchmark)
says so with `.execution_options(all_organisations=True)`.
"""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user
from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.orm.util import identity_key

from portal.auth.renewal import SESSIONLESS
from portal.organisations.models import OrganisationOwned

_KEY = "organisation_id"


class OrganisationMismatch(RuntimeError):
    """A row was linked to a parent of another organisation (a programming error)."""


def scope_to(session: Session, organisation_id: int | None) -> None:
    """Scope `session` to one organisation (None: unscoped)."""
    if organisation_id is None:
        session.info.pop(_KEY, None)
    else:
        session.info[_KEY] = organisation_id


def scoped_organisation(session: Session) -> int | None:
    return session.info.get(_KEY)


def _criteria(organisation_id: int) -> list:
    from portal.audit.models import AuditEntry
    from portal.auth.models import User
    from portal.questionnaires.models import QuestionnaireVersion
    from portal.suppliers.models import SupplierContact

    return [
        with_loader_criteria(
            OrganisationOwned,
            lambda cls: cls.organisation_id == organisation_id,
            include_aliases=True,
        ),
        # Buyers of this organisation, and the contacts of its suppliers.
        with_loader_criteria(
            User,
            or_(
                User.organisation_id == organisation_id,
                User.id.in_(
                    select(SupplierContact.user_id).where(
                        SupplierContact.organisation_id == organisation_id
                    )
                ),
            ),
            include_aliases=True,
        ),
        # This organisation's questionnaires and the ones shared instance-wide.
        with_loader_criteria(
            QuestionnaireVersion,
            or_(
                QuestionnaireVersion.organisation_id == organisation_id,
                QuestionnaireVersion.organisation_id.is_(None),
            ),
            include_aliases=True,
        ),
        with_loader_criteria(
            AuditEntry, AuditEntry.organisation_id == organisation_id, include_aliases=True
        ),
    ]


def _add_scope(state: ORMExecuteState) -> None:
    organisation_id = state.session.info.get(_KEY)
    if organisation_id is None or state.execution_options.get("all_organisations"):
        return
    if state.is_select:
        # A deferred or expired column of a row already loaded is that row's.
        if state.is_column_load:
            return
    elif not (state.is_update or state.is_delete):
        return
    state.statement = state.statement.options(*_criteria(organisation_id))


def _organisation_of(session: Session, row: OrganisationOwned, seen: set[int]) -> int | None:
    """The organisation a new row belongs to: its parent's, else the session's scope.

    A row given its organisation is checked against a parent already at hand; a parent
    is loaded only for a row without one (bulk refreshes set it and cost no query).
    """
    if id(row) in seen:
        return row.organisation_id
    seen.add(id(row))
    parent = _parent(session, row, load=row.organisation_id is None)
    if parent is None:
        return row.organisation_id or session.info.get(_KEY)
    parent_organisation = parent.organisation_id
    if parent_organisation is None and parent in session.new:
        parent_organisation = _organisation_of(session, parent, seen)
    return parent_organisation


def _parent(session: Session, row: OrganisationOwned, *, load: bool) -> OrganisationOwned | None:
    name = row.organisation_parent
    if name is None:
        return None
    state = inspect(row)
    if name in state.dict and state.dict[name] is not None:
        return state.dict[name]
    relationship = state.mapper.relationships[name]
    (column,) = relationship.local_columns
    parent_id = getattr(row, state.mapper.get_property_by_column(column).key)
    if parent_id is None:
        return None
    if not load:
        return session.identity_map.get(identity_key(relationship.mapper.class_, parent_id))
    with session.no_autoflush:
        return session.get(relationship.mapper.class_, parent_id)


def _fill_organisations(session: Session, _context, _instances) -> None:
    seen: set[int] = set()
    for row in list(session.new):
        if not isinstance(row, OrganisationOwned):
            continue
        organisation_id = _organisation_of(session, row, seen)
        if organisation_id is None:
            raise OrganisationMismatch(f"no organisation for a new {type(row).__name__}")
        if row.organisation_id is not None and row.organisation_id != organisation_id:
            raise OrganisationMismatch(
                f"{type(row).__name__} of organisation {row.organisation_id} linked to a"
                f" parent of organisation {organisation_id}"
            )
        row.organisation_id = organisation_id


def install() -> None:
    """Listen on every session (once per process)."""
    if not event.contains(Session, "do_orm_execute", _add_scope):
        event.listen(Session, "do_orm_execute", _add_scope)
        event.listen(Session, "before_flush", _fill_organisations)


def init_app(app: Flask) -> None:
    """Scope every request of a buyer or admin to the buyer's organisation."""
    from portal.extensions import db

    install()

    @app.before_request
    def scope_buyer_requests():
        if request.endpoint in SESSIONLESS:
            return  # files, the same for everyone: no user to load
        if current_user.is_authenticated and current_user.is_buyer:
            scope_to(db.session, current_user.organisation_id)

    @app.teardown_request
    def end_scope(_exc):
        scope_to(db.session, None)
