"""Forms for changing a supplier and its contacts: they check the shape of the input only."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from portal.config import LANGUAGES
from portal.suppliers.forms import SupplierForm, country_choices


class SupplierDetailsForm(FlaskForm):
    name = SupplierForm.name
    country = SupplierForm.country
    category = SupplierForm.category

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    locale = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default="en",
        description=_l("Mail, sign-in pages and reports reach the contact in this language."),
    )
