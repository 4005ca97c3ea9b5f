"""Demo assessments answered, submitted and accepted through the app's own functions.

Each demo supplier with answers below fills the sample questionnaire section by section,
submits as its contact and is accepted by the demo buyer, so scores, red flags and risk
come out exactly as in real use. Enough suppliers are accepted for every feedback report
to show the anonymised peer comparison. Atelier Cuir Atlas also gets findings and a
corrective action plan, in French for its contact.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from portal.actions.logic import create_action, post_update
from portal.actions.models import ActionStatus
from portal.actions.status import change_action_status
from portal.assessments.logic import save_section, submit
from portal.assessments.models import Assessment
from portal.assessments.review import accept
from portal.auth.models import User
from portal.findings.logic import record_finding, red_flag_on
from portal.questionnaires.answers import field_name
from portal.questionnaires.definition import Section

REVIEWED_EMAIL = "karim@demo.closeloop.example"


def _days_ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


# A well-run small business; each demo supplier below changes what differs for it.
BASE: dict[str, Any] = {
    "total_workers": 12,
    "written_contracts": "all",
    "weekly_hours": 45,
    "minimum_wage": "all_paid",
    "keeps_id_or_deposit": "no",
    "employs_minors": "no",
    "protective_equipment": "yes_all",
    "emergency_exits": "yes",
    "uses_chemicals": "no",
    "env_permits": "have_all",
    "waste_handling": ["sorted_recycled", "collected"],
    "waste_water": "public_sewer",
    "anti_bribery_rule": "yes",
    "bribe_requested": "no",
    "uses_subcontractors": "no",
    "certifications": ["none"],
    "grievance_channel": "trusted_person",
    "written_rules": "yes",
}

# By contact email: how each demo supplier answers, on top of BASE.
ANSWERS: dict[str, dict[str, Any]] = {
    REVIEWED_EMAIL: {
        "total_workers": 18,
        "written_contracts": "some",
        "weekly_hours": 62,
        "hs_responsible": "Youssef Amrani",
        "protective_equipment": "partly",
        "emergency_exits": "no",
        "uses_chemicals": "yes",
        "chemical_storage": "labelled_only",
        "waste_handling": ["collected"],
        "anti_bribery_rule": "no",
        "uses_subcontractors": "yes",
        "grievance_channel": "owner_only",
        "written_rules": "no",
        "final_comments": "En haute saison, nous avons du mal à trouver des couturiers qualifiés.",
    },
    "linh@demo.closeloop.example": {
        "total_workers": 85,
        "weekly_hours": 52,
        "hs_responsible": "Tran Thi Mai",
        "last_fire_drill": _days_ago(75),
        "uses_chemicals": "yes",
        "chemical_storage": "separate_labelled",
        "waste_handling": ["sorted_recycled", "collected", "hazardous_approved"],
        "waste_water": "treated_on_site",
        "uses_subcontractors": "yes",
        "certifications": ["iso9001", "sa8000"],
        "grievance_channel": "anonymous",
    },
    "rosa@demo.closeloop.example": {
        "total_workers": 40,
        "written_contracts": "some",
        "weekly_hours": 50,
        "minimum_wage": "dont_know",
        "employs_minors": "yes",
        "workers_under_18": 3,
        "minors_work": "Ayudan en la cosecha los sábados, unas 4 horas. Todos van a la escuela.",
        "protective_equipment": "partly",
        "uses_chemicals": "yes",
        "chemical_storage": "labelled_only",
        "env_permits": "dont_know",
        "waste_handling": ["collected", "burned"],
        "waste_water": "no_dirty_water",
        "anti_bribery_rule": "no",
        "certifications": ["fairtrade", "organic"],
        "written_rules": "no",
    },
    "aminata@demo.closeloop.example": {
        "total_workers": 60,
        "written_contracts": "none",
        "weekly_hours": 40,
        "protective_equipment": "partly",
        "env_permits": "not_required",
        "waste_handling": ["sorted_recycled"],
        "waste_water": "untreated",
        "anti_bribery_rule": "no",
        "bribe_requested": "yes",
        "bribe_details": "Un agent a demandé un cadeau pour un permis. Nous avons refusé.",
        "uses_subcontractors": "yes",
        "certifications": ["fairtrade", "organic"],
    },
    "rahim@demo.closeloop.example": {
        "total_workers": 140,
        "weekly_hours": 56,
        "hs_responsible": "Nasrin Akter",
        "last_fire_drill": _days_ago(120),
        "uses_chemicals": "yes",
        "chemical_storage": "separate_labelled",
        "waste_handling": ["collected", "hazardous_approved"],
        "certifications": ["iso9001", "iso14001"],
        "grievance_channel": "anonymous",
    },
    "jose@demo.closeloop.example": {
        "total_workers": 9,
        "written_contracts": "none",
        "weekly_hours": 64,
        "minimum_wage": "some_paid_less",
        "protective_equipment": "no_equipment",
        "uses_chemicals": "yes",
        "chemical_storage": "some_unlabelled",
        "env_permits": "missing",
        "waste_handling": ["burned"],
        "waste_water": "dont_know",
        "anti_bribery_rule": "no",
        "grievance_channel": "no_way",
        "written_rules": "no",
    },
    "salma@demo.closeloop.example": {
        "total_workers": 22,
        "weekly_hours": 48,
        "hs_responsible": "Salma Trabelsi",
        "last_fire_drill": _days_ago(200),
        "uses_chemicals": "yes",
        "chemical_storage": "labelled_only",
        "certifications": ["other"],
        "certifications_other": "FSC (bois)",
        "grievance_channel": "owner_only",
    },
}


def review_demo(assessments: dict[str, Assessment], buyer: User) -> None:
    """Answer, submit and accept the assessments of the suppliers in ANSWERS (keyed by
    contact email), then give Atelier Cuir Atlas its findings and actions."""
    for email, overrides in ANSWERS.items():
        assessment = assessments[email]
        _answer_and_submit(assessment, {**BASE, **overrides})
        comment = ""
        if email == REVIEWED_EMAIL:
            comment = (
                "Merci pour vos réponses. Deux points sont à corriger : voir le plan d'actions."
            )
        accept(assessment, by=buyer, comment=comment)
    _plan_actions(assessments[REVIEWED_EMAIL], buyer)


def _form(section: Section, answers: dict[str, Any]) -> dict[str, list[str]]:
    """One section's answers as the phone's form posts them (`q-<key>`, a list each)."""
    form = {}
    for question in section.questions:
        value = answers.get(question.key)
        if value is not None:
            values = value if isinstance(value, list) else [value]
            form[field_name(question)] = [str(v) for v in values]
    return form


def _answer_and_submit(assessment: Assessment, answers: dict[str, Any]) -> None:
    contact = assessment.supplier.contact
    for section in assessment.questionnaire.definition.sections:
        errors = save_section(assessment, section, _form(section, answers), by=contact)
        if errors:
            raise ValueError(f"Demo answers refused for {contact.email}: {errors}")
    submit(assessment, by=contact)


def _finding(assessment: Assessment, buyer: User, key: str, title: str):
    revision = assessment.revisions[-1]
    flag = red_flag_on(revision, key)
    definition = assessment.questionnaire.definition
    rule = definition.question(key).critical[flag["rule"]]
    return record_finding(
        assessment,
        by=buyer,
        title=title,
        severity=flag["severity"],
        description=definition.text(rule.finding, "fr"),
        question_key=key,
        critical_rule=flag["rule"],
    )


def _plan_actions(assessment: Assessment, buyer: User) -> None:
    """Findings on the red flags and three actions: one closed, one in progress, one open."""
    contact = assessment.supplier.contact
    today = date.today()
    exits = _finding(assessment, buyer, "emergency_exits", "Sorties de secours verrouillées")
    hours = _finding(
        assessment, buyer, "weekly_hours", "Semaines de plus de 60 heures en haute saison"
    )
    unlocked = create_action(
        exits,
        by=buyer,
        title="Déverrouiller les sorties de secours",
        what_must_change="Laisser les deux portes de secours de l'atelier déverrouillées et "
        "dégagées pendant toutes les heures de travail ; retirer les cartons stockés devant "
        "la porte arrière.",
        responsible_name="Youssef Amrani",
        responsible_role="Chef d'atelier",
        due_date=today + timedelta(days=14),
    )
    post_update(
        unlocked,
        by=contact,
        note="Les cadenas ont été retirés et les cartons déplacés. Les deux portes restent "
        "ouvertes pendant le travail.",
        percent=100,
    )
    change_action_status(unlocked, ActionStatus.READY_FOR_VERIFICATION, by=contact)
    change_action_status(
        unlocked,
        ActionStatus.CLOSED,
        by=buyer,
        comment="Vérifié sur les photos : les deux sorties sont ouvertes et dégagées.",
    )
    shorter = create_action(
        hours,
        by=buyer,
        title="Ramener la semaine de travail à 60 heures au maximum",
        what_must_change="Planifier la production de haute saison et embaucher des couturiers "
        "saisonniers pour qu'aucun travailleur ne dépasse 60 heures par semaine, heures "
        "supplémentaires comprises.",
        responsible_name="Karim Benali",
        responsible_role="Gérant",
        due_date=today + timedelta(days=60),
    )
    post_update(
        shorter,
        by=contact,
        note="Deux couturières saisonnières sont embauchées et le nouveau planning est affiché.",
        percent=40,
    )
    create_action(
        exits,
        by=buyer,
        title="Signaliser les sorties et faire un exercice d'évacuation",
        what_must_change="Poser un panneau « Sortie de secours » au-dessus de chaque porte de "
        "secours et organiser un premier exercice d'évacuation avec tout le personnel.",
        responsible_name="Youssef Amrani",
        responsible_role="Chef d'atelier",
        due_date=today + timedelta(days=45),
    )
