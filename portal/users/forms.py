"""Forms for accounts: they check the shape of the input only."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from portal.config import LANGUAGES


class InviteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("buyer", _l("Buyer")), SelectChoice("admin", _l("Admin"))],
        default="buyer",
        description=_l("Admins also manage accounts and the risk ratings."),
    )
    locale = SelectField(
        _l("Language of the invitation"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default="en",
    )


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("At least 8 characters. A few words that you remember work well."),
    )
    confirm = PasswordField(
        _l("The same password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
    )
