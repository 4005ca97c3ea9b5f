"""Questionnaire definitions: format, validation, import and published versions."""
