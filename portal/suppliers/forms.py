"""Forms for suppliers and their contacts."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from portal.config import LANGUAGES
from portal.suppliers.logic import country_codes, country_name


class SupplierForm(FlaskForm):
    name = StringField(_l("Company name"), validators=[DataRequired(), Length(max=200)])
    country = SelectField(_l("Country"), validators=[DataRequired()])
    category = StringField(
        _l("Category"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("What the supplier provides, e.g. textiles, packaging, fresh produce."),
    )
    contact_name = StringField(_l("Contact name"), validators=[Length(max=200)])
    contact_email = EmailField(
        _l("Contact email"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    contact_locale = SelectField(
        _l("Contact's language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default="en",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()


def country_choices() -> list[SelectChoice]:
    """Every country, named in the reader's language and sorted by name, after a blank."""
    locale = get_locale() or "en"
    countries = sorted(
        (SelectChoice(code, country_name(code, locale)) for code in country_codes()),
        key=lambda choice: choice.label,
    )
    return [SelectChoice("", "—"), *countries]


class AssignForm(FlaskForm):
    questionnaire = SelectField(_l("Questionnaire"), coerce=int, validators=[DataRequired()])
    due_date = DateField(_l("Due date"), validators=[DataRequired()])
