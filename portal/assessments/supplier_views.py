"""The supplier's side, phone first: home, sections, review, submit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from portal.assessments.answer_sheet import answer_sheet
from portal.assessments.display import display_answer, form_values
from portal.assessments.kept import (
    claim,
    claim_all,
    forget,
    forget_token,
    held_tokens,
    keep_typed_answers,
    section_key,
)
from portal.assessments.logic import (
    AlreadySubmitted,
    current_answers,
    lock_for_update,
    newly_shown,
    note_locked,
    parse_section,
    store_section,
    submit,
)
from portal.assessments.models import OPEN_STATUSES, Assessment
from portal.assessments.next_steps import after_acceptance
from portal.assessments.notify import notify_buyers_submitted
from portal.assessments.progress import section_progress
from portal.assessments.reassessment import unconfirmed_sections
from portal.assessments.receipts import SaveIdReused, usable_save_id
from portal.assessments.review import open_questions
from portal.assessments.section_page import render_section
from portal.assessments.stamps import EditedElsewhere, section_stamps
from portal.assessments.status import TransitionRefused
from portal.auth.access import of_suppliers, supplier_required
from portal.auth.forms import ConfirmForm, RequestLinkForm
from portal.auth.views import KEPT_LANDING
from portal.extensions import db
from portal.questionnaires.answers import field_name, missing_required
from portal.questionnaires.models import preload_definitions
from portal.sharing.offers import offers_for
from portal.sharing.who_sees import who_sees

bp = Blueprint("supplier", __name__, url_prefix="/s")


def own_assessment_or_404(assessment_id: int, *, for_update: bool = False) -> Assessment:
    """The signed-in supplier's assessment; another supplier's is exactly as missing.

    `for_update` (a save) reads it under the row lock the save takes anyway, in the same
    statement: one round trip less, and nothing read before the lock.
    """
    query = (
        select(Assessment)
        .options(joinedload(Assessment.questionnaire))
        .where(
            Assessment.id == assessment_id,
            of_suppliers(Assessment.supplier_id, current_user.supplier_ids),
        )
    )
    assessment = db.session.scalar(lock_for_update(query) if for_update else query)
    if assessment is None:
        abort(404)
    if for_update:
        note_locked(assessment)
    return assessment


def page_locale() -> str:
    return str(get_locale() or "en")


@bp.get("/")
@supplier_required
def home():
    # Right after a sign-in, answers kept from before it ended are shown first; after that
    # home is home again, or a kept draft nobody saves would hide every other page.
    if session.pop(KEPT_LANDING, False):
        tokens = held_tokens(session.get("kept"))
        for kept in claim_all(tokens, current_user.supplier_ids):
            if db.session.get(Assessment, kept.assessment_id).is_open:
                return redirect(
                    url_for(".section", assessment_id=kept.assessment_id, number=kept.section)
                )
    # What is still to do first (of every customer), then what was sent.
    open_first = case((Assessment.status.in_(OPEN_STATUSES), 0), else_=1)
    assessments = db.session.scalars(
        select(Assessment)
        .options(joinedload(Assessment.questionnaire))
        .where(of_suppliers(Assessment.supplier_id, current_user.supplier_ids))
        .order_by(open_first, Assessment.due_date, Assessment.id)
    ).all()
    preload_definitions(a.questionnaire for a in assessments)
    suppliers = current_user.suppliers
    # A person who answers to several customers sees whose request each one is.
    organisations = {s.organisation_id for s in suppliers}
    customers = {s.id: s.organisation.name for s in suppliers} if len(organisations) > 1 else {}
    return render_template(
        "assessments/supplier_home.html",
        assessments=assessments,
        names=sorted({s.name for s in suppliers}),
        customers=customers,
        offers=offers_for(current_user, assessments),
        sharing=who_sees(current_user),
    )


@bp.get("/assessments/<int:assessment_id>")
@supplier_required
def overview(assessment_id: int):
    assessment = own_assessment_or_404(assessment_id)
    if not assessment.is_open:
        return redirect(url_for(".submitted", assessment_id=assessment.id))
    definition = assessment.questionnaire.definition
    progress = section_progress(definition, current_answers(assessment))
    comment, comments = open_questions(assessment)
    numbers = {q.key: p.number for p in progress for q in p.section.questions}
    return render_template(
        "assessments/overview.html",
        assessment=assessment,
        definition=definition,
        progress=progress,
        locale=page_locale(),
        offer=offers_for(current_user, [assessment]).get(assessment.id),
        buyer_comment=comment,
        questions_asked=[
            (definition.question(key), text, numbers[key]) for key, text in comments.items()
        ],
    )


def _render_typed(
    assessment, number, typed, message, status, errors=None, conflicts=None, stamps=None
):
    """Send a section back with what was typed; show-if follows the typed answers.

    The form keeps the stamps it was opened with, unless the supplier is now shown what
    another device saved (conflicts), in which case a second Save overwrites it knowingly.
    `stamps` given (a kept draft's, maybe none) are kept as they are.
    """
    section = assessment.questionnaire.definition.sections[number - 1]
    parsed, _invalid = parse_section(
        section, {field_name(q): typed.get(q.key, []) for q in section.questions}
    )
    stored = current_answers(assessment)
    if stamps is None:
        posted = request.form.get("stamps", "") if request.method == "POST" else ""
        stamps = "" if conflicts else posted
        stamps = stamps or section_stamps(section, stored)
    return render_section(
        assessment,
        number,
        page_locale(),
        values=typed,
        shown={**stored, **parsed},
        stamps=stamps,
        errors=errors,
        conflicts=conflicts,
        message=message,
        status=status,
    )


def section_or_404(assessment: Assessment, number: int):
    sections = assessment.questionnaire.definition.sections
    if not 1 <= number <= len(sections):
        abort(404)
    return sections[number - 1]


@bp.get("/assessments/<int:assessment_id>/sections/<int:number>")
@supplier_required
def section(assessment_id: int, number: int):
    assessment = own_assessment_or_404(assessment_id)
    if not assessment.is_open:
        return redirect(url_for(".submitted", assessment_id=assessment.id))
    current = section_or_404(assessment, number)
    kept = kept_for(assessment.id, number)
    if kept is not None:
        typed = {q.key: kept.values.get(field_name(q), []) for q in current.questions}
        message = _(
            "We kept the answers you typed before your sign-in ended. Check them and press Save."
        )
        # the stamps it was typed against: a save made meanwhile elsewhere still shows
        return _render_typed(assessment, number, typed, message, 200, stamps=kept.stamps or "")
    stored = current_answers(assessment)
    values = {q.key: form_values(q, stored.get(q.key)) for q in current.questions}
    return render_section(
        assessment,
        number,
        page_locale(),
        values=values,
        shown=stored,
        stamps=section_stamps(current, stored),
        shows_stored=True,
    )


@bp.post("/assessments/<int:assessment_id>/sections/<int:number>")
@supplier_required
def save(assessment_id: int, number: int):
    assessment = own_assessment_or_404(assessment_id, for_update=True)
    current = section_or_404(assessment, number)
    typed = {q.key: request.form.getlist(field_name(q)) for q in current.questions}
    definition = assessment.questionnaire.definition
    try:
        saved = store_section(
            assessment,
            current,
            request.form.to_dict(flat=False),
            by=current_user,
            stamps=request.form.get("stamps"),
            save_id=usable_save_id(request.form.get("save_id")),
        )
    except (TransitionRefused, SaveIdReused) as refused:
        return _render_typed(assessment, number, typed, refused.message, 409)
    except EditedElsewhere as edited:
        locale = page_locale()
        conflicts = {
            key: display_answer(definition, definition.question(key), value, locale)
            for key, value in edited.changed.items()
        }
        message = _(
            "Some answers were changed on another device while this page was open. "
            "Nothing was saved yet: check them, then press Save to keep what you see here."
        )
        return _render_typed(assessment, number, typed, message, 409, conflicts=conflicts)
    if saved.errors:
        message = _("Some answers need a change. Nothing was saved yet: please check them.")
        return _render_typed(assessment, number, typed, message, 422, errors=saved.errors)
    forget_kept(assessment.id, number)
    revealed = newly_shown(current, definition, saved.before, saved.after)
    if revealed:
        flash(_("Your answers opened more questions in this section."), "info")
        return redirect(
            url_for(".section", assessment_id=assessment.id, number=number) + f"#q-{revealed[0]}"
        )
    flash(_("Section saved."), "success")
    action = request.form.get("action", "next")
    total = len(definition.sections)
    if action == "previous" and number > 1:
        return redirect(url_for(".section", assessment_id=assessment.id, number=number - 1))
    if action == "stay":
        return redirect(url_for(".section", assessment_id=assessment.id, number=number))
    if action == "next" and number < total:
        return redirect(url_for(".section", assessment_id=assessment.id, number=number + 1))
    return redirect(url_for(".review", assessment_id=assessment.id))


@bp.app_errorhandler(CSRFError)
def expired_form(error: CSRFError):
    """An expired form token must not cost the supplier what they typed."""
    if request.endpoint == "supplier.autosave":
        from portal.assessments import autosave

        return autosave.expired(signed_in=current_user.is_authenticated)
    if request.endpoint == "supplier.save" and not current_user.is_authenticated:
        return keep_until_signed_in()
    if request.endpoint == "supplier.save":
        assessment = own_assessment_or_404(request.view_args["assessment_id"])
        number = request.view_args["number"]
        current = section_or_404(assessment, number)
        typed = {q.key: request.form.getlist(field_name(q)) for q in current.questions}
        message = _(
            "This page was open for a long time, so nothing was saved yet. "
            "Your answers are still here: please press Save again."
        )
        return _render_typed(assessment, number, typed, message, 400)
    from portal.errors.handlers import render_error

    return render_error(400, error)


@bp.before_request
def save_after_sign_in_ended():
    """A save from someone whose sign-in has ended keeps what they typed for later."""
    if request.endpoint == "supplier.save" and not current_user.is_authenticated:
        return keep_until_signed_in()
    if request.endpoint == "supplier.autosave" and not current_user.is_authenticated:
        from portal.assessments import autosave

        return autosave.signed_out()
    return None


def kept_for(assessment_id: int, number: int):
    """What this browser typed in this section after its sign-in ended, if anything."""
    tokens = held_tokens(session.get("kept"))
    for kept in claim_all(tokens, current_user.supplier_ids):
        if (kept.assessment_id, kept.section) == (assessment_id, number):
            return kept
    return None


def forget_kept(assessment_id: int, number: int) -> None:
    """The section is saved: drop what was kept for it."""
    tokens = held_tokens(session.get("kept"))
    if not tokens:
        return
    for key, token in list(tokens.items()):
        kept = claim(token, current_user.supplier_ids)
        if kept is not None and (kept.assessment_id, kept.section) == (assessment_id, number):
            forget(kept)
            del tokens[key]
    session["kept"] = tokens


def keep_until_signed_in():
    """Keep what a save typed after its sign-in ended; answer with the page saying so."""
    kept = keep_typed()
    return render_template("assessments/kept.html", kept=kept, form=RequestLinkForm()), 401


def keep_typed() -> bool:
    """Keep this request's typed answers for this browser's next sign-in (committed now)."""
    assessment_id, number = request.view_args["assessment_id"], request.view_args["number"]
    token = keep_typed_answers(assessment_id, number, request.form)
    if token:
        tokens = held_tokens(session.get("kept"))
        replaced = tokens.pop(section_key(assessment_id, number), None)
        if replaced:
            forget_token(replaced)
        session["kept"] = {**tokens, section_key(assessment_id, number): token}
        # The page answers 401, which rolls a request back: commit what must be kept.
        db.session.commit()
    return token is not None


@bp.get("/assessments/<int:assessment_id>/review")
@supplier_required
def review(assessment_id: int):
    assessment = own_assessment_or_404(assessment_id)
    if not assessment.is_open:
        return redirect(url_for(".submitted", assessment_id=assessment.id))
    definition = assessment.questionnaire.definition
    numbers = {s.key: i for i, s in enumerate(definition.sections, start=1)}
    answers = current_answers(assessment)
    missing = missing_required(definition, answers)
    return render_template(
        "assessments/review.html",
        assessment=assessment,
        definition=definition,
        sheet=answer_sheet(definition, answers, page_locale()),
        missing=missing,
        unconfirmed=unconfirmed_sections(assessment),
        numbers=numbers,
        locale=page_locale(),
        form=ConfirmForm(),
    )


@bp.post("/assessments/<int:assessment_id>/submit")
@supplier_required
def submit_assessment(assessment_id: int):
    assessment = own_assessment_or_404(assessment_id)
    try:
        submit(assessment, by=current_user)
    except AlreadySubmitted:
        pass
    except TransitionRefused as refused:
        flash(refused.message, "error")
        return redirect(url_for(".review", assessment_id=assessment.id))
    else:
        notify_buyers_submitted(assessment)
    return redirect(url_for(".submitted", assessment_id=assessment.id))


@bp.get("/assessments/<int:assessment_id>/submitted")
@supplier_required
def submitted(assessment_id: int):
    assessment = own_assessment_or_404(assessment_id)
    if assessment.is_open:
        return redirect(url_for(".overview", assessment_id=assessment.id))
    return render_template(
        "assessments/submitted.html",
        assessment=assessment,
        definition=assessment.questionnaire.definition,
        locale=page_locale(),
        steps=after_acceptance(assessment),
    )
