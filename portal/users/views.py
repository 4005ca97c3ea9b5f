"""Admin pages for buyer and admin accounts."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.audit.history import describe, object_history
from portal.auth.access import admin_required
from portal.auth.forms import ConfirmForm
from portal.auth.models import User
from portal.extensions import db
from portal.users.forms import InviteForm
from portal.users.links import send_password_link
from portal.users.logic import (
    ACCOUNT_ROLES,
    account_state,
    deactivate_account,
    invite_account,
    list_accounts,
    reactivate_account,
)
from portal.users.refused import AccountRefused

bp = Blueprint("users", __name__, url_prefix="/b/users")


def account_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role not in ACCOUNT_ROLES:
        abort(404)
    return user


def _render_index(form: InviteForm, status: int = 200):
    return render_template(
        "users/index.html",
        form=form,
        accounts=list_accounts(),
        account_state=account_state,
        hours=current_app.config["PASSWORD_LINK_HOURS"],
    ), status


@bp.get("/")
@admin_required
def index():
    return _render_index(InviteForm())


@bp.post("/invite")
@admin_required
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user = invite_account(
                email=form.email.data,
                name=form.name.data or "",
                role=form.role.data,
                locale=form.locale.data,
                by=current_user,
            )
        except AccountRefused as refused:
            getattr(form, refused.field or "email").errors.append(refused.message)
        else:
            flash(
                _(
                    "Account created; %(email)s is mailed a link to set a password.",
                    email=user.email,
                ),
                "success",
            )
            return redirect(url_for(".show", user_id=user.id))
    return _render_index(form, 422)


@bp.get("/<int:user_id>")
@admin_required
def show(user_id: int):
    user = account_or_404(user_id)
    return render_template(
        "users/show.html",
        account=user,
        state=account_state(user),
        history=object_history("user", user.id),
        describe=describe,
        confirm=ConfirmForm(),
    )


def _act(user_id: int, act: Callable[..., object], done: Callable[[User], str]):
    """Run one button's action on an account, then show the account with what happened."""
    user = account_or_404(user_id)
    try:
        act(user, by=current_user)
    except AccountRefused as refused:
        flash(refused.message, "error")
    else:
        flash(done(user), "success")
    return redirect(url_for(".show", user_id=user.id))


@bp.post("/<int:user_id>/deactivate")
@admin_required
def deactivate(user_id: int):
    return _act(
        user_id,
        deactivate_account,
        lambda user: _("%(email)s is deactivated and signed out everywhere.", email=user.email),
    )


@bp.post("/<int:user_id>/reactivate")
@admin_required
def reactivate(user_id: int):
    return _act(
        user_id,
        reactivate_account,
        lambda user: _("%(email)s can sign in again.", email=user.email),
    )


@bp.post("/<int:user_id>/password-link")
@admin_required
def password_link(user_id: int):
    return _act(
        user_id,
        send_password_link,
        lambda user: _(
            "%(email)s is mailed a link to set a password; earlier links no longer work.",
            email=user.email,
        ),
    )
