"""The buyer's own notification setting."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import buyer_required
from portal.notifications.forms import DIGEST, EACH, NotificationForm

bp = Blueprint("notifications", __name__, url_prefix="/b/notifications")


@bp.route("/", methods=["GET", "POST"])
@buyer_required
def settings():
    form = NotificationForm(data={"how": DIGEST if current_user.daily_digest else EACH})
    if form.validate_on_submit():
        current_user.daily_digest = form.how.data == DIGEST
        flash(_("Your choice is saved."), "success")
        return redirect(url_for(".settings"))
    status = 422 if request.method == "POST" else 200
    return render_template("notifications/settings.html", form=form), status
