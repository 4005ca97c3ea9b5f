"""Scores per section and overall, not-applicable answers, weights and red flags."""

from __future__ import annotations

import pytest
import yaml

from portal.assessments.scoring import question_points, red_flags, score_answers
from portal.questionnaires.definition import Severity, parse_definition

T = {"en": "Text"}
FINDING = {"en": "Finding"}


def _definition(sections: list[dict]):
    return parse_definition(
        yaml.safe_dump(
            {"key": "scored", "version": 1, "languages": ["en"], "title": T, "sections": sections}
        )
    )


def _q(key: str, kind: str, **extra) -> dict:
    question = {"key": key, "type": kind, "label": T, **extra}
    if kind in ("single_choice", "multiple_choice") and "options" not in extra:
        question["options"] = [{"key": k, "label": T} for k in ("a", "b", "c", "na")]
    return question


WORKERS = {
    "key": "workers",
    "title": T,
    "weight": 2,
    "questions": [
        _q(
            "contracts",
            "single_choice",
            score={"points": {"a": 10, "b": 5, "c": 0}, "not_applicable": ["na"]},
        ),
        _q(
            "exits",
            "yes_no",
            score={"points": {"yes": 4, "no": 0}},
            critical=[{"when": {"equals": "no"}, "severity": "critical", "finding": FINDING}],
        ),
        _q(
            "hours",
            "number",
            score={"ranges": [{"max": 49, "points": 6}, {"min": 49, "points": 0}]},
            critical=[{"when": {"min": 61}, "severity": "high", "finding": FINDING}],
        ),
        _q("notes", "long_text", required=False),
    ],
}
PLANET = {
    "key": "planet",
    "title": T,
    "questions": [
        _q(
            "waste",
            "multiple_choice",
            score={"points": {"a": 3, "b": 3, "c": 0, "na": 0}, "max": 5},
            critical=[{"when": {"any_of": ["c"]}, "severity": "medium", "finding": FINDING}],
        ),
    ],
}


@pytest.fixture
def definition():
    return _definition([WORKERS, PLANET])


def test_section_score_is_points_over_possible_points(definition):
    score = score_answers(definition, {"contracts": "b", "exits": "yes", "hours": 45})
    workers = score.sections[0]
    assert (workers.points, workers.max_points) == (15, 20)
    assert workers.percent == 75.0


def test_a_not_applicable_answer_leaves_the_denominator(definition):
    score = score_answers(definition, {"contracts": "na", "exits": "yes", "hours": 45})
    assert (score.sections[0].points, score.sections[0].max_points) == (10, 10)
    assert score.sections[0].percent == 100.0


def test_unanswered_and_unscored_questions_do_not_count(definition):
    score = score_answers(definition, {"exits": "no", "notes": "hello"})
    assert (score.sections[0].points, score.sections[0].max_points) == (0, 4)
    assert score.sections[1].percent is None


def test_overall_is_the_mean_of_sections_weighted_by_their_weight(definition):
    answers = {"contracts": "a", "exits": "yes", "hours": 70, "waste": ["a"]}
    score = score_answers(definition, answers)
    assert score.sections[0].percent == 70.0  # 14 of 20
    assert score.sections[1].percent == 60.0  # 3 of 5
    assert score.overall == pytest.approx((70 * 2 + 60) / 3, abs=0.05)


def test_sections_without_scored_answers_do_not_weigh_on_the_overall_score(definition):
    score = score_answers(definition, {"waste": ["a", "b"]})
    assert score.overall == 100.0  # 6 points capped at the maximum of 5


def test_nothing_scored_gives_no_overall_score(definition):
    assert score_answers(definition, {}).overall is None


def test_points_of_a_number_come_from_the_range_that_holds_it(definition):
    hours = definition.question("hours")
    assert question_points(hours, 48) == (6, 6)
    assert question_points(hours, 49) == (0, 6)
    assert question_points(hours, None) is None


def test_red_flags_list_critical_answers_most_severe_first(definition):
    flags = red_flags(definition, {"waste": ["a", "c"], "hours": 65, "exits": "no"})
    assert [(f.question, f.severity) for f in flags] == [
        ("exits", Severity.CRITICAL),
        ("hours", Severity.HIGH),
        ("waste", Severity.MEDIUM),
    ]
    assert flags[1].to_dict() == {"question": "hours", "rule": 0, "severity": "high", "answer": 65}


def test_no_red_flag_for_good_answers_or_hidden_questions():
    definition = _definition(
        [
            {
                "key": "s",
                "title": T,
                "questions": [
                    _q("minors", "yes_no"),
                    _q(
                        "how_many",
                        "number",
                        show_if={"question": "minors", "equals": "yes"},
                        critical=[{"when": {"min": 1}, "severity": "high", "finding": FINDING}],
                    ),
                ],
            }
        ]
    )
    assert red_flags(definition, {"minors": "yes", "how_many": 0}) == []
    assert red_flags(definition, {"minors": "no", "how_many": 3}) == []
    assert len(red_flags(definition, {"minors": "yes", "how_many": 3})) == 1


def test_the_sample_questionnaire_scores_a_good_supplier_high_and_flags_a_bad_one():
    from tests.conftest import SAMPLE

    sample = parse_definition(SAMPLE.read_text())
    good = {
        "written_contracts": "all",
        "weekly_hours": 45,
        "minimum_wage": "all_paid",
        "keeps_id_or_deposit": "no",
        "emergency_exits": "yes",
    }
    bad = {
        "written_contracts": "none",
        "weekly_hours": 70,
        "minimum_wage": "some_paid_less",
        "keeps_id_or_deposit": "yes",
        "emergency_exits": "no",
    }
    assert score_answers(sample, good).overall > score_answers(sample, bad).overall
    assert red_flags(sample, good) == []
    assert {f.question for f in red_flags(sample, bad)} >= {
        "keeps_id_or_deposit",
        "emergency_exits",
        "weekly_hours",
        "minimum_wage",
    }
