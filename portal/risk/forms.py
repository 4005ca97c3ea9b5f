"""The form an admin fills to change a country or category rating."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField

from portal.risk.models import MAX_RATING, MIN_RATING, RatingKind


class RatingForm(FlaskForm):
    # Choices are checked by ratings.set_rating, which says what is wrong in words.
    kind = SelectField(
        _l("What to rate"),
        choices=[
            SelectChoice(RatingKind.COUNTRY.value, _l("A country")),
            SelectChoice(RatingKind.CATEGORY.value, _l("A category")),
        ],
        validate_choice=False,
    )
    key = StringField(
        _l("Country code or category"),
        description=_l(
            "An ISO country code such as VN, or a category such as textiles. "
            "“default” rates every country or category without a rating of its own."
        ),
    )
    rating = SelectField(
        _l("Rating"),
        choices=[SelectChoice(str(n), str(n)) for n in range(MIN_RATING, MAX_RATING + 1)],
        default="3",
        validate_choice=False,
        description=_l("From 1 (low risk) to 5 (very high risk)."),
    )
    note = TextAreaField(_l("Note"), description=_l("Why this rating: its source and date."))
