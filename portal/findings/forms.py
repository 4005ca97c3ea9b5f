"""The form a buyer fills to record a finding."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.findings.logic import DESCRIPTION_MAX, TITLE_MAX
from portal.questionnaires.definition import Severity


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class FindingForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=TITLE_MAX)],
        filters=[_strip],
        description=_l("One short sentence that says what is wrong."),
    )
    severity = SelectField(
        _l("Severity"),
        choices=[
            SelectChoice(Severity.LOW.value, _l("low")),
            SelectChoice(Severity.MEDIUM.value, _l("medium")),
            SelectChoice(Severity.HIGH.value, _l("high")),
            SelectChoice(Severity.CRITICAL.value, _l("critical")),
        ],
        default=Severity.MEDIUM.value,
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=DESCRIPTION_MAX)],
        filters=[_strip],
        description=_l("What was found, why it matters and what should change."),
    )
