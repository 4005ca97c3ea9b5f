"""The dashboard's bulk assignment form: the shape of the input only (rules live in bulk.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, NumberRange

from portal.dashboard.query import Filters
from portal.ids import MAX_ID, database_id

FILTER_FIELDS = ("tier", "country", "category", "status", "q", "sort", "order")


class _DayField(DateField):
    """A date whose unreadable value gets the same clear message as a missing one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Choose a due date.")) from None


class BulkAssignForm(FlaskForm):
    questionnaire = IntegerField(
        _l("Questionnaire"),
        validators=[
            InputRequired(_l("Choose a questionnaire.")),
            NumberRange(0, MAX_ID, _l("Choose a questionnaire.")),
        ],
    )
    due_date = _DayField(_l("Due date"), validators=[InputRequired(_l("Choose a due date."))])
    scope = RadioField(
        choices=[SelectChoice("selected", "selected"), SelectChoice("all", "all")],
        default="selected",
    )
    # Which suppliers are ticked: ids the database can hold; bulk.py keeps those that exist.
    supplier = SelectMultipleField(coerce=database_id, validate_choice=False)
    invite = BooleanField(
        _l("Invite their contacts by mail, each with a sign-in link"), default=True
    )
    # The dashboard's filters, sent back so that "all matching" means what the buyer saw.
    tier = StringField()
    country = StringField()
    category = StringField()
    status = StringField()
    q = StringField()
    sort = StringField()
    order = StringField()

    def filters(self) -> Filters:
        """The dashboard filters the form carries, read as the dashboard reads them."""
        return Filters.from_args(
            MultiDict({name: getattr(self, name).data or "" for name in FILTER_FIELDS})
        )

    def first_error(self) -> str:
        """The message of the first field in error, for a flash."""
        for errors in self.errors.values():
            if errors:
                return str(errors[0])
        return ""
