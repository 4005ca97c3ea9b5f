"""Saving a section as the supplier types: the page's script posts here and reads JSON.

The same rules as the Save button (`save_section`), except that an autosave does not
confirm a section carried over from the last assessment. Every answer is JSON with a
`status` the script acts on: `saved` (with the stamps the page carries on with: see
`stamps_after_save`), `invalid`, `conflict` (with
what another device saved, per question), `refused`, `expired` (with a fresh CSRF token:
send again) or `signed_out` (the answers are kept for after the next sign-in).
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from portal.assessments.display import display_answer
from portal.assessments.logic import current_answers, parse_section, save_section
from portal.assessments.receipts import SaveIdReused, usable_save_id
from portal.assessments.stamps import EditedElsewhere, stamps_after_save
from portal.assessments.status import TransitionRefused
from portal.assessments.supplier_views import (
    bp,
    forget_kept,
    own_assessment_or_404,
    page_locale,
    section_or_404,
)
from portal.auth.access import supplier_required

ENDPOINT = "supplier.autosave"


@bp.post("/assessments/<int:assessment_id>/sections/<int:number>/autosave")
@supplier_required
def autosave(assessment_id: int, number: int):
    assessment = own_assessment_or_404(assessment_id, for_update=True)
    current = section_or_404(assessment, number)
    try:
        errors = save_section(
            assessment,
            current,
            request.form.to_dict(flat=False),
            by=current_user,
            stamps=request.form.get("stamps"),
            save_id=usable_save_id(request.form.get("save_id")),
            confirm=False,
        )
    except EditedElsewhere as edited:
        return jsonify(
            status="conflict",
            message=_(
                "Some answers were changed on another device while this page was open. "
                "Nothing was saved yet: check them, then press Save to keep what you see here."
            ),
            conflicts=_saved_elsewhere(assessment, edited.changed),
        ), 409
    except (TransitionRefused, SaveIdReused) as refused:
        return jsonify(status="refused", message=refused.message), 409
    if errors:
        return jsonify(
            status="invalid",
            message=_("Some answers need a change. Nothing was saved yet: please check them."),
            errors=errors,
        ), 422
    forget_kept(assessment.id, number)
    typed, _errors = parse_section(current, request.form.to_dict(flat=False))
    stamps = stamps_after_save(
        current, request.form.get("stamps"), current_answers(assessment), typed
    )
    return jsonify(status="saved", stamps=stamps)


def _saved_elsewhere(assessment, changed: dict) -> dict[str, str]:
    definition = assessment.questionnaire.definition
    shown = {}
    for key, value in changed.items():
        answer = display_answer(definition, definition.question(key), value, page_locale())
        shown[key] = _(
            "Saved on another device meanwhile: %(answer)s", answer=answer or _("no answer")
        )
    return shown


def expired(signed_in: bool):
    """The CSRF token of an autosave expired: hand a fresh one if the session still holds."""
    if not signed_in:
        return signed_out()
    return jsonify(status="expired", csrf_token=generate_csrf()), 400


def signed_out():
    from portal.assessments.supplier_views import keep_typed

    keep_typed()
    return jsonify(
        status="signed_out",
        message=_(
            "Your sign-in has ended, so your answers are not saved yet. "
            "We have kept what you typed on this phone."
        ),
    ), 401
