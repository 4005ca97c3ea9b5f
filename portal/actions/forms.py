"""Forms for corrective actions: the buyer's action, due date and decision; supplier updates."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.actions.logic import NAME_MAX, NOTE_MAX, TEXT_MAX, TITLE_MAX
from portal.actions.status import COMMENT_MAX


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class ActionForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)], filters=[_strip]
    )
    what_must_change = TextAreaField(
        _l("What must change"),
        validators=[DataRequired(), Length(max=TEXT_MAX)],
        filters=[_strip],
        description=_l("Written for the supplier: it is shown to them as it is."),
    )
    responsible_name = StringField(
        _l("Responsible person at the supplier"),
        validators=[Length(max=NAME_MAX)],
        filters=[_strip],
    )
    responsible_role = StringField(
        _l("Their role"), validators=[Length(max=NAME_MAX)], filters=[_strip]
    )
    due_date = DateField(_l("Due date"), validators=[DataRequired()])


class DueDateForm(FlaskForm):
    due_date = DateField(_l("New due date"), validators=[DataRequired()])
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=COMMENT_MAX)],
        filters=[_strip],
        description=_l("Kept in the action's history."),
    )


class DecisionForm(FlaskForm):
    comment = TextAreaField(
        _l("Comment for the supplier"),
        validators=[Length(max=COMMENT_MAX)],
        filters=[_strip],
        description=_l("Required when you reopen the action."),
    )


class UpdateForm(FlaskForm):
    note = TextAreaField(
        _l("What did you do?"),
        validators=[Optional(), Length(max=NOTE_MAX)],
        filters=[_strip],
    )
    percent = IntegerField(
        _l("How far along is it? (percent, optional)"),
        validators=[Optional(), NumberRange(min=0, max=100)],
    )
