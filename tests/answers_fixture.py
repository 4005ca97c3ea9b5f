"""A complete set of valid answers to the sample questionnaire, section by section."""

SAMPLE_ANSWERS = {
    1: {
        "q-total_workers": "12",
        "q-written_contracts": "all",
        "q-weekly_hours": "45",
        "q-minimum_wage": "all_paid",
        "q-keeps_id_or_deposit": "no",
        "q-employs_minors": "no",
    },
    2: {
        "q-hs_responsible": "Ana López",
        "q-protective_equipment": "yes_all",
        "q-emergency_exits": "yes",
        "q-last_fire_drill": "2026-03-14",
        "q-uses_chemicals": "no",
    },
    3: {
        "q-env_permits": "have_all",
        "q-waste_handling": ["sorted_recycled", "collected"],
        "q-waste_water": "public_sewer",
    },
    4: {"q-anti_bribery_rule": "yes", "q-bribe_requested": "no", "q-uses_subcontractors": "no"},
    5: {
        "q-certifications": ["none"],
        "q-grievance_channel": "trusted_person",
        "q-written_rules": "yes",
    },
}
