"""The page a buyer or admin opens from a mailed link to set a password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.extensions import limiter
from portal.users.forms import SetPasswordForm
from portal.users.links import (
    PasswordLinkDead,
    check_password_link,
    set_password_with_link,
)
from portal.users.refused import AccountRefused

bp = Blueprint("password", __name__)


def _problem(problem: str):
    return render_template("users/password_link_problem.html", problem=problem), 410


def _form_page(form: SetPasswordForm, user, status: int = 200):
    # The account is known from the link: speak its language, as its mail did.
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return render_template("users/set_password.html", form=form, account=user), status


@bp.get("/password/<token>")
@limiter.limit("30 per 15 minutes")
def set_password_page(token: str):
    """Show the form; opening the link does not spend it (mail scanners open links)."""
    checked = check_password_link(token)
    if checked.problem:
        return _problem(checked.problem)
    return _form_page(SetPasswordForm(), checked.link.user)


@bp.post("/password/<token>")
@limiter.limit("30 per 15 minutes")
def set_password(token: str):
    checked = check_password_link(token)
    if checked.problem:
        return _problem(checked.problem)
    form = SetPasswordForm()
    if not form.validate_on_submit():
        return _form_page(form, checked.link.user, 422)
    try:
        user = set_password_with_link(token, form.password.data)
    except PasswordLinkDead as dead:
        return _problem(dead.problem)
    except AccountRefused as refused:
        form.password.errors.append(refused.message)
        return _form_page(form, checked.link.user, 422)
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        flash(_("Your password is set. Sign in with it."), "success")
    return redirect(url_for("auth.sign_in"))
