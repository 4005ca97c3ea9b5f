"""Role checks for views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement

from portal.auth.models import Role


def of_suppliers(column, supplier_ids: Sequence[int]) -> ColumnElement[bool]:
    """`column` (a supplier id) is one of a contact's `supplier_ids`.

    Most contacts answer for one supplier: `=` then, since building an IN list costs about
    as much Python as the rest of a supplier page's statement.
    """
    ids = list(supplier_ids)
    return column == ids[0] if len(ids) == 1 else column.in_(ids)


def buyer_required(view: Callable) -> Callable:
    """Only signed-in buyers and admins; anyone else gets 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_buyer:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def supplier_required(view: Callable) -> Callable:
    """Only signed-in supplier contacts; anyone else gets 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_supplier:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def admin_required(view: Callable) -> Callable:
    """Only signed-in admins; buyers, suppliers and anyone else get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.role != Role.ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def instance_admin_required(view: Callable) -> Callable:
    """Only signed-in instance admins; buyers, admins, suppliers and anyone else get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.role != Role.INSTANCE_ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
