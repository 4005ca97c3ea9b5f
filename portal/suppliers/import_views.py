"""Buyer pages for importing suppliers from a CSV or XLSX file."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField

from portal.auth.access import buyer_required
from portal.suppliers.importing import (
    COLUMNS,
    MAX_ROWS,
    ImportRefused,
    import_suppliers,
    template_csv,
)

bp = Blueprint("supplier_import", __name__, url_prefix="/b/suppliers/import")


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])
    invite = BooleanField(_l("Invite each new contact by mail, with a sign-in link"), default=True)


@bp.route("/", methods=["GET", "POST"])
@buyer_required
def index():
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            done = import_suppliers(form.file.data.read(), by=current_user, invite=form.invite.data)
        except ImportRefused as refused:
            problems = refused.problems
        else:
            messages = [
                ngettext(
                    "%(num)d supplier imported.", "%(num)d suppliers imported.", done.suppliers
                )
            ]
            if form.invite.data:
                messages.append(
                    ngettext(
                        "%(num)d invitation mail queued.",
                        "%(num)d invitation mails queued.",
                        done.mails,
                    )
                )
            flash(" ".join(messages), "success")
            return redirect(url_for("suppliers.index"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "suppliers/import.html", form=form, problems=problems, columns=COLUMNS, max_rows=MAX_ROWS
    ), status


@bp.get("/template.csv")
@buyer_required
def template():
    return Response(
        template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=closeloop-suppliers-template.csv"},
    )
