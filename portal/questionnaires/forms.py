"""Uploading a definition file."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class ImportForm(FlaskForm):
    definition = FileField(_l("Definition file (YAML)"), validators=[FileRequired()])
