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


def post_section(client, url: str, data: dict):
    """Post a section as a browser does: with the stamps and save id of the page it opened.

    A save without stamps may overwrite nothing already answered, so a test that changes
    an answer opens the page first, like a supplier.
    """
    import re

    page = client.get(url).text
    hidden = dict(re.findall(r'<input type="hidden" name="(stamps|save_id)" value="([^"]*)"', page))
    return client.post(url, data={**hidden, **data})
