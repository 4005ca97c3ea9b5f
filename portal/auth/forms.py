"""Sign-in forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class RequestLinkForm(FlaskForm):
    email = EmailField(
        _l("Your email address"), validators=[DataRequired(), Email(), Length(max=254)]
    )


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token: for one-button actions."""
