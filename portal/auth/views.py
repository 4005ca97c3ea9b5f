"""Sign-in and sign-out pages."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm import joinedload

from portal.auth.forms import ConfirmForm, RequestLinkForm, SignInForm
from portal.auth.logic import (
    LinkCheck,
    authenticate,
    check_link,
    find_user,
    spend_link,
)
from portal.auth.models import Role, User
from portal.extensions import db, limiter, login_manager
from portal.i18n.logic import supported
from portal.i18n.views import safe_next
from portal.notifications.contacts import mail_contact
from portal.urls import absolute_url

bp = Blueprint("auth", __name__)


def init_login(app: Flask) -> None:
    """Bind Flask-Login: sessions name the user and their session version."""
    login_manager.init_app(app)
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(identity: str) -> User | None:
        user_id, _sep, version = identity.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        # A contact's links come in the same statement: every supplier page reads them.
        user = db.session.get(User, int(user_id), options=[joinedload(User.contact_links)])
        if user is None or user.session_version != int(version) or not user.can_sign_in:
            return None
        return user

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/s/"):
            return redirect(url_for("auth.request_link"))
        return redirect(url_for("auth.sign_in", next=request.full_path))


def sign_in_url(token: str, next: str | None = None) -> str:
    """The absolute URL a supplier contact opens to sign in; `next` is the portal path
    it lands on afterwards (its home page when None)."""
    return absolute_url("auth.link", token=token, next=next)


KEPT_LANDING = "kept_landing"


def _start_session(user: User) -> None:
    kept = session.get("kept")  # answers typed before a sign-in ended wait for this user
    chosen = session.get("lang")  # a language picked in this browser, e.g. before Continue
    session.clear()
    if kept:
        session["kept"] = kept
        session[KEPT_LANDING] = True  # the supplier's home sends them on to it, this once
    if chosen:
        session["lang"] = chosen
    login_user(user)
    session.permanent = True


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    if current_user.is_supplier:
        return redirect(url_for("supplier.home"))
    if current_user.is_instance_admin:
        return redirect(url_for("instance.index"))
    return redirect(url_for("dashboard.index"))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def sign_in():
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            _start_session(user)
            return redirect(safe_next(request.args.get("next"), url_for("auth.home")))
        error = _("That email and password do not match an account.")
    return render_template("auth/sign_in.html", form=form, error=error)


@bp.post("/sign-out")
def sign_out():
    was_supplier = current_user.is_authenticated and current_user.is_supplier
    logout_user()
    session.clear()
    return redirect(url_for("auth.request_link" if was_supplier else "auth.sign_in"))


@bp.get("/link/<token>")
@limiter.limit("30 per 15 minutes")
def link(token: str):
    """Show a Continue button: link previewers open links with GET and must not spend them."""
    checked = check_link(token)
    if _already_signed_in_as(checked):
        return _land()
    if checked.problem:
        return _link_problem(checked.problem)
    # The contact is known from the link: greet it in its language, as its mail was,
    # unless a language was picked on this page.
    language = supported(session.get("lang")) or checked.user.locale
    with force_locale(language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return render_template("auth/link_continue.html", form=ConfirmForm(), user=checked.user)


@bp.post("/link/<token>")
@limiter.limit("30 per 15 minutes")
def use_link(token: str):
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("auth/link_continue.html", form=form, user=None), 400
    checked = spend_link(token)
    if _already_signed_in_as(checked):  # e.g. Continue tapped twice
        return _land()
    if checked.problem:
        return _link_problem(checked.problem)
    _start_session(checked.user)
    return _land()


# A link the contact has already used, or one that has run out, is how a signed-in
# contact comes back: it must not lock them out. Revoked links never count.
_RETURNING = frozenset({None, "used", "expired"})


def _already_signed_in_as(checked: LinkCheck) -> bool:
    """True when this browser is signed in as the very contact the link was made for."""
    return (
        checked.user is not None
        and checked.problem in _RETURNING
        and current_user.is_authenticated
        and current_user.id == checked.user.id
    )


def _land():
    return redirect(safe_next(request.args.get("next"), url_for("supplier.home")))


def _link_problem(problem: str):
    form = RequestLinkForm()
    return render_template("auth/link_problem.html", problem=problem, form=form), 410


@bp.route("/link/new", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit(
    "3 per hour",
    methods=["POST"],
    key_func=lambda: "link-for:" + request.form.get("email", "").strip().lower(),
)
def request_link():
    form = RequestLinkForm()
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is not None and user.role == Role.SUPPLIER and user.can_sign_in:
            mail_contact(user, "sign_in_link")
        return render_template("auth/link_sent.html")
    return render_template("auth/request_link.html", form=form)
