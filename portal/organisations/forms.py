"""Forms of the instance admin's pages: they check the shape of the input only."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from portal.config import LANGUAGES


class RenameForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=[DataRequired(), Length(max=200)])


class NewOrganisationForm(RenameForm):
    admin_name = StringField(_l("Name"), validators=[Length(max=200)])
    admin_email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    locale = SelectField(
        _l("Language of the invitation"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default="en",
    )
