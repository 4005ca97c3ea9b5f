"""Creating corrective actions, posting updates, moving due dates, and listing them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date

from flask import current_app
from flask_babel import gettext as _

from portal.actions.models import (
    ActionEvent,
    ActionStatus,
    ActionUpdate,
    CorrectiveAction,
)
from portal.actions.status import COMMENT_MAX, TransitionRefused, change_action_status
from portal.audit.logic import record
from portal.auth.models import User
from portal.due_dates import check_due_date
from portal.evidence import (
    EvidenceRefused,
    ProcessedFile,
    new_name,
    process_upload,
    storage_for,
    thumbnail_name,
)
from portal.evidence.models import EvidenceFile
from portal.evidence.processing import DEFAULT_MAX_BYTES
from portal.extensions import db
from portal.findings.logic import _short_title
from portal.findings.models import Finding
from portal.suppliers.logic import supplier_locale

TITLE_MAX = 200
TEXT_MAX = 5000
NAME_MAX = 200
NOTE_MAX = 5000
FILTERS = ("open", "overdue", "ready")
EVIDENCE_MAX_FILES = 5


class ActionRefused(TransitionRefused):
    """An action or update that cannot be saved; `message` says why, for the user."""


class EvidenceUploadRefused(ActionRefused):
    """One or more evidence files were refused; `messages` has one sentence per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def action_proposal(finding: Finding) -> dict:
    """What the new-action form starts with: for a red-flag finding, the definition's
    finding text in the supplier contact's language; otherwise the finding's own words."""
    if finding.question_key and finding.critical_rule is not None:
        definition = finding.assessment.questionnaire.definition
        try:
            critical = definition.question(finding.question_key).critical[finding.critical_rule]
        except (KeyError, IndexError):
            critical = None
        text = (
            definition.text(critical.finding, supplier_locale(finding.assessment.supplier))
            if critical
            else ""
        )
        if text:
            return {"title": _short_title(text), "what_must_change": text[:TEXT_MAX]}
    return {"title": finding.title, "what_must_change": finding.description[:TEXT_MAX]}


def _check_text(title: str, what: str, name: str, role: str) -> None:
    if not title:
        raise ActionRefused(_("Give the action a title."))
    if len(title) > TITLE_MAX:
        raise ActionRefused(_("The title is too long (at most %(max)d characters).", max=TITLE_MAX))
    if not what:
        raise ActionRefused(_("Say what must change."))
    if len(what) > TEXT_MAX:
        raise ActionRefused(
            _("The description is too long (at most %(max)d characters).", max=TEXT_MAX)
        )
    if len(name) > NAME_MAX or len(role) > NAME_MAX:
        raise ActionRefused(
            _("The name or role is too long (at most %(max)d characters).", max=NAME_MAX)
        )


def create_action(
    finding: Finding,
    *,
    by: User,
    title: str,
    what_must_change: str,
    responsible_name: str = "",
    responsible_role: str = "",
    due_date: date,
    today: date | None = None,
) -> CorrectiveAction:
    """Open a corrective action on a finding (buyers only), record it and audit it."""
    if by is None or not by.is_buyer:
        raise ActionRefused(_("Only buyers can create corrective actions."))
    title, what = (title or "").strip(), (what_must_change or "").strip()
    name, role = (responsible_name or "").strip(), (responsible_role or "").strip()
    _check_text(title, what, name, role)
    check_due_date(due_date, today=today, refused=ActionRefused)
    action = CorrectiveAction(
        finding=finding,
        supplier_id=finding.supplier_id,
        title=title,
        what_must_change=what,
        responsible_name=name,
        responsible_role=role,
        due_date=due_date,
        status=ActionStatus.OPEN,
        created_by_id=by.id,
    )
    action.events.append(ActionEvent(actor_id=by.id, kind="created", to_status=ActionStatus.OPEN))
    db.session.add(action)
    db.session.flush()
    record(
        "action_created",
        object_type="corrective_action",
        object_id=action.id,
        by=by,
        supplier_id=action.supplier_id,
        finding=finding.id,
        due_date=due_date.isoformat(),
    )
    return action


def _refusal_name(filename: str | None) -> str:
    """The client's file name as the supplier knows it, for a refusal message."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:120] or _("(no name)")


def _process_evidence(files: Sequence) -> list[ProcessedFile]:
    """Check every file before anything is stored; refuse them all if one is refused."""
    if len(files) > EVIDENCE_MAX_FILES:
        raise EvidenceUploadRefused(
            [_("Attach at most %(max)d files to one update.", max=EVIDENCE_MAX_FILES)]
        )
    max_bytes = current_app.config.get("EVIDENCE_MAX_BYTES") or DEFAULT_MAX_BYTES
    processed, messages = [], []
    for upload in files:
        try:
            processed.append(process_upload(upload.stream, upload.filename, max_bytes=max_bytes))
        except EvidenceRefused as refused:
            messages.append(
                _(
                    "%(name)s: %(reason)s",
                    name=_refusal_name(upload.filename),
                    reason=refused.message,
                )
            )
    if messages:
        messages.append(_("Nothing was saved. Please choose your files again."))
        raise EvidenceUploadRefused(messages)
    return processed


def _store_evidence(processed: list[ProcessedFile], by: User) -> tuple[list[EvidenceFile], list]:
    """Write the files; if one cannot be written, remove those already written."""
    storage = storage_for(current_app)
    written: list[str] = []
    rows: list[EvidenceFile] = []
    try:
        for item in processed:
            name = new_name(item.extension)
            storage.save(name, item.data)
            written.append(name)
            thumb = None
            if item.thumbnail:
                thumb = thumbnail_name(name)
                storage.save(thumb, item.thumbnail)
                written.append(thumb)
            rows.append(
                EvidenceFile(
                    stored_name=name,
                    thumbnail_name=thumb,
                    content_type=item.content_type,
                    size=len(item.data),
                    original_name=item.original_name,
                    width=item.width,
                    height=item.height,
                    uploaded_by_id=by.id,
                )
            )
    except BaseException:
        _remove(storage, written)
        raise
    return rows, written


def _remove(storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - best effort; the original error matters more
            current_app.logger.exception("Could not remove evidence file %s", name)


def post_update(
    action: CorrectiveAction,
    *,
    by: User,
    note: str,
    percent: int | None = None,
    files: Sequence = (),
) -> ActionUpdate:
    """Add the supplier's progress note and evidence files (objects with `.stream` and
    `.filename`); an open or reopened action becomes in progress. A note or at least one
    file is needed. If any file is refused, nothing at all is saved."""
    if by is None or not by.is_supplier or action.supplier_id not in by.supplier_ids:
        raise ActionRefused(_("Only the supplier can post updates on its actions."))
    if action.status in (ActionStatus.CLOSED, ActionStatus.READY_FOR_VERIFICATION):
        raise ActionRefused(_("This action is waiting for your customer or closed: no update now."))
    note = (note or "").strip()
    files = list(files)
    if not note and not files:
        raise ActionRefused(_("Write what was done, or attach a photo or a document."))
    if len(note) > NOTE_MAX:
        raise ActionRefused(_("The note is too long (at most %(max)d characters).", max=NOTE_MAX))
    if percent is not None and not 0 <= percent <= 100:
        raise ActionRefused(_("The percentage must be between 0 and 100."))
    processed = _process_evidence(files)
    rows, written = _store_evidence(processed, by)
    update = ActionUpdate(author_id=by.id, note=note, percent=percent, evidence=rows)
    try:
        action.updates.append(update)
        db.session.flush()
    except BaseException:
        _remove(storage_for(current_app), written)
        raise
    record(
        "action_update",
        object_type="corrective_action",
        object_id=action.id,
        by=by,
        supplier_id=action.supplier_id,
        update=update.id,
        percent="" if percent is None else percent,
        files=len(rows),
    )
    if action.status in (ActionStatus.OPEN, ActionStatus.REOPENED):
        change_action_status(action, ActionStatus.IN_PROGRESS, by=by)
    return update


def change_due_date(
    action: CorrectiveAction, new: date, *, by: User, reason: str, today: date | None = None
) -> None:
    """Move an action's due date (buyers only, with a reason, not into the past), record it
    and audit it."""
    if by is None or not by.is_buyer:
        raise ActionRefused(_("Only buyers can change due dates."))
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Say why the due date changes."))
    if len(reason) > COMMENT_MAX:
        raise ActionRefused(
            _("The reason is too long (at most %(max)d characters).", max=COMMENT_MAX)
        )
    if action.status == ActionStatus.CLOSED:
        raise ActionRefused(_("This action is closed; its due date cannot change."))
    if new is None or new == action.due_date:
        raise ActionRefused(_("Choose a different due date."))
    check_due_date(new, today=today, refused=ActionRefused)
    old = action.due_date
    action.due_date = new
    action.events.append(
        ActionEvent(
            actor_id=by.id, kind="due_date", old_due_date=old, new_due_date=new, comment=reason
        )
    )
    record(
        "action_due_date",
        object_type="corrective_action",
        object_id=action.id,
        by=by,
        supplier_id=action.supplier_id,
        old=old.isoformat(),
        new=new.isoformat(),
        reason=reason,
    )
