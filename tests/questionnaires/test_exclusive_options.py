"""A multiple_choice option can be exclusive ("None of these"): the format accepts and checks
it, a save refuses it ticked with others (keeping the ticks), and scoring stays right."""

from __future__ import annotations

import html
import re

import pytest
import yaml
from flask import Flask
from flask_babel import Babel, force_locale
from sqlalchemy import select

from portal.assessments.models import Answer
from portal.assessments.scoring import question_points
from portal.extensions import db
from portal.questionnaires.answers import AnswerInvalid, parse_answer
from portal.questionnaires.definition import definition_to_dict, parse_definition
from tests.answers_fixture import SAMPLE_ANSWERS
from tests.conftest import SAMPLE
from tests.questionnaires.test_scoring_format import DELETE, WASTE, changed, errors_of, parsed

NONE_LABEL = {"en": "None of these", "fr": "Aucune de ces réponses"}
TEXT = {"en": "Text", "fr": "Texte"}


def _with_none(**extra) -> dict:
    """GOOD with an exclusive "none" option added to the waste question."""
    data = changed()
    question = data["sections"][1]["questions"][0]
    question["options"].append({"key": "none", "label": NONE_LABEL, "exclusive": True, **extra})
    question["score"]["points"]["none"] = 0
    return data


def test_an_exclusive_option_parses_and_round_trips():
    definition = parsed(_with_none())
    waste = definition.question("waste")

    assert waste.exclusive_options() == ("none",)
    assert [o.exclusive for o in waste.options] == [False, False, False, False, True]
    data = definition_to_dict(definition)
    options = data["sections"][1]["questions"][0]["options"]
    assert options[-1]["exclusive"] is True
    assert "exclusive" not in options[0]  # only where it is said
    assert parse_definition(yaml.safe_dump(data, allow_unicode=True, sort_keys=False)) == definition


def test_exclusive_must_be_true_or_false():
    errors = errors_of(_with_none(exclusive="sometimes"))

    assert any("exclusive" in e and "true or false" in e for e in errors), errors


def test_only_multiple_choice_options_can_be_exclusive():
    data = changed()
    data["sections"][0]["questions"][0]["options"][2]["exclusive"] = True

    errors = errors_of(data)

    assert any("only options of multiple_choice questions can be exclusive" in e for e in errors)


def test_a_question_needs_two_options_that_are_not_exclusive():
    data = changed(
        (
            (*WASTE, "options"),
            [
                {"key": "sorted", "label": TEXT},
                {"key": "burned", "label": TEXT, "exclusive": True},
                {"key": "dumped", "label": TEXT, "exclusive": True},
            ],
        ),
        ((*WASTE, "score"), {"points": {"sorted": 4, "burned": 0, "dumped": 0}}),
        ((*WASTE, "critical"), DELETE),
    )

    errors = errors_of(data)

    assert any("at least 2 options must not be exclusive" in e for e in errors), errors


def test_several_exclusive_options_are_allowed():
    data = _with_none()
    question = data["sections"][1]["questions"][0]
    question["options"].append({"key": "unknown", "label": TEXT, "exclusive": True})
    question["score"]["not_applicable"] = ["unknown"]

    assert parsed(data).question("waste").exclusive_options() == ("none", "unknown")


def test_max_points_count_an_exclusive_option_alone():
    data = _with_none()
    question = data["sections"][1]["questions"][0]
    question["score"] = {
        "points": {"sorted": 1, "collected": 1, "burned": 0, "dumped": 0, "none": 3}
    }
    waste = parsed(data).question("waste")

    # Not 5 (every option together): "none" is never ticked with the others.
    assert waste.score.max_points(waste.type, waste.exclusive_options()) == 3
    assert question_points(waste, ["none"]) == (3, 3)
    assert question_points(waste, ["sorted", "collected"]) == (2, 3)


def test_max_above_what_an_answer_can_give_with_exclusive_options_is_refused():
    data = _with_none()
    question = data["sections"][1]["questions"][0]
    question["score"] = {
        "points": {"sorted": 1, "collected": 1, "burned": 0, "dumped": 0, "none": 3},
        "max": 4,
    }
    assert any("4 is more than" in e for e in errors_of(data))
    question["score"]["max"] = 3
    assert parsed(data).question("waste").score.max == 3


def test_the_sample_questionnaire_marks_no_certification_as_exclusive():
    definition = parse_definition(SAMPLE.read_text("utf-8"))

    assert definition.question("certifications").exclusive_options() == ("none",)


# --- saving answers --------------------------------------------------------------------------


@pytest.fixture
def french_request():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context(), force_locale("fr"):
        yield


def test_an_exclusive_option_ticked_with_others_is_refused_naming_it(french_request):
    waste = parsed(_with_none()).question("waste")

    with pytest.raises(AnswerInvalid) as caught:
        parse_answer(waste, ["sorted", "none"])

    assert "Aucune de ces réponses" in caught.value.message


def test_an_exclusive_option_alone_and_other_options_together_are_accepted(french_request):
    waste = parsed(_with_none()).question("waste")

    assert parse_answer(waste, ["none"]) == ["none"]
    assert parse_answer(waste, ["collected", "sorted"]) == ["sorted", "collected"]


def _checked(page: str, key: str) -> list[str]:
    pattern = rf'<input type="checkbox" name="q-{key}" value="([^"]+)"[^>]*\schecked>'
    return re.findall(pattern, page)


def test_saving_none_with_a_certification_is_refused_and_keeps_the_ticks(
    app, client, make_supplier, make_assessment, sign_in_supplier
):
    supplier, contact = make_supplier(locale="es")
    assessment = make_assessment(supplier)
    sign_in_supplier(contact)
    data = {**SAMPLE_ANSWERS[5], "q-certifications": ["sa8000", "none"], "action": "next"}

    response = client.post(f"/s/assessments/{assessment}/sections/5", data=data)

    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "“Ninguna” no se puede marcar junto con otras respuestas" in page
    assert _checked(page, "certifications") == ["sa8000", "none"]
    assert 'value="trusted_person" checked' in page  # the rest of the section is kept too
    with app.app_context():
        assert not db.session.scalars(
            select(Answer).where(Answer.assessment_id == assessment)
        ).all()


def test_the_section_page_marks_the_exclusive_option_for_the_script(
    client, make_supplier, make_assessment, sign_in_supplier
):
    supplier, contact = make_supplier()
    assessment = make_assessment(supplier)
    sign_in_supplier(contact)

    page = client.get(f"/s/assessments/{assessment}/sections/5").text

    assert 'name="q-certifications" value="none" data-exclusive>' in page
    assert 'name="q-certifications" value="sa8000">' in page
