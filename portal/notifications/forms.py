"""The buyer's choice of how to be told what suppliers did."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

EACH, DIGEST = "each", "digest"


class NotificationForm(FlaskForm):
    how = RadioField(
        _l("When a supplier submits answers or marks an action ready for verification"),
        choices=[
            SelectChoice(EACH, _l("Mail me each time")),
            SelectChoice(DIGEST, _l("Mail me one daily digest")),
        ],
        validators=[InputRequired()],
    )
