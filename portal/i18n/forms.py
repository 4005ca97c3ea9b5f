"""The contact's choice of mail language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField


class MailLanguageForm(FlaskForm):
    # Whether the language is shipped is the domain function's rule, with its own message.
    language = SelectField(_l("Language of your mails"), validate_choice=False)
