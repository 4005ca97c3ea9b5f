"""Buyer pages: published questionnaires, importing a new version, previewing one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.access import buyer_required
from portal.extensions import db
from portal.questionnaires.definition import DefinitionError
from portal.questionnaires.forms import ImportForm
from portal.questionnaires.logic import all_versions, import_questionnaire
from portal.questionnaires.models import QuestionnaireVersion, preload_definitions

bp = Blueprint("questionnaires", __name__, url_prefix="/b/questionnaires")


@bp.route("/", methods=["GET", "POST"])
@buyer_required
def index():
    form = ImportForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            version = import_questionnaire(form.definition.data.read(), by=current_user)
        except DefinitionError as error:
            problems = error.errors
        else:
            flash(
                _(
                    "Published %(title)s, version %(version)d.",
                    title=version.title,
                    version=version.version,
                ),
                "success",
            )
            return redirect(url_for(".index"))
    status = 422 if request.method == "POST" else 200
    versions = all_versions()
    preload_definitions(versions)
    return render_template(
        "questionnaires/index.html", versions=versions, form=form, problems=problems
    ), status


@bp.get("/<int:version_id>")
@buyer_required
def show(version_id: int):
    version = db.session.get(QuestionnaireVersion, version_id)
    if version is None:
        abort(404)
    return render_template(
        "questionnaires/show.html",
        version=version,
        definition=version.definition,
        locale=str(get_locale() or "en"),
    )
