"""Two devices editing one section: nothing saved on one is silently overwritten by the other."""

from __future__ import annotations

import re

from portal.assessments.logic import current_answers
from portal.assessments.models import Assessment
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS


def _stamps(html: str) -> str:
    return re.search(r'name="stamps" value="([^"]*)"', html).group(1)


def _answers(app, assessment_id):
    with app.app_context():
        return current_answers(db.session.get(Assessment, assessment_id))


def _two_devices(app, make_supplier, make_assessment, issue_link):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    phone, laptop = app.test_client(), app.test_client()
    for device in (phone, laptop):
        device.post(f"/link/{issue_link(contact_id)}")
    return assessment_id, phone, laptop


def test_a_save_over_answers_changed_on_another_device_is_refused_and_shows_both(
    app, make_supplier, make_assessment, issue_link
):
    assessment_id, phone, laptop = _two_devices(app, make_supplier, make_assessment, issue_link)
    url = f"/s/assessments/{assessment_id}/sections/1"
    phone_stamps = _stamps(phone.get(url).text)
    laptop_stamps = _stamps(laptop.get(url).text)

    saved = laptop.post(
        url, data={**SAMPLE_ANSWERS[1], "q-total_workers": "20", "stamps": laptop_stamps}
    )
    assert saved.status_code == 302
    refused = phone.post(
        url, data={**SAMPLE_ANSWERS[1], "q-total_workers": "12", "stamps": phone_stamps}
    )

    assert refused.status_code == 409
    assert "changed on another device while this page was open" in refused.text
    assert "Saved on another device meanwhile: 20 workers" in refused.text
    assert 'value="12"' in refused.text  # what the phone typed is still there
    assert _answers(app, assessment_id)["total_workers"] == 20

    again = phone.post(
        url, data={**SAMPLE_ANSWERS[1], "q-total_workers": "12", "stamps": _stamps(refused.text)}
    )
    assert again.status_code == 302
    assert _answers(app, assessment_id)["total_workers"] == 12


def test_a_stale_form_leaves_an_answer_given_on_another_device_as_it_is(
    app, make_supplier, make_assessment, issue_link
):
    assessment_id, phone, laptop = _two_devices(app, make_supplier, make_assessment, issue_link)
    url = f"/s/assessments/{assessment_id}/sections/2"
    phone_stamps = _stamps(phone.get(url).text)
    laptop.post(url, data={**SAMPLE_ANSWERS[2], "stamps": _stamps(laptop.get(url).text)})

    # the phone's form still has the old, empty field for the person responsible
    # it did not change that field, so it does not undo what the laptop saved
    stale = {**SAMPLE_ANSWERS[2], "q-hs_responsible": "", "stamps": phone_stamps}
    saved = phone.post(url, data=stale)

    assert saved.status_code == 302
    assert _answers(app, assessment_id)["hs_responsible"] == "Ana López"


def test_the_same_answer_from_two_devices_is_no_conflict(
    app, make_supplier, make_assessment, issue_link
):
    assessment_id, phone, laptop = _two_devices(app, make_supplier, make_assessment, issue_link)
    url = f"/s/assessments/{assessment_id}/sections/4"
    phone_stamps = _stamps(phone.get(url).text)
    laptop.post(url, data={**SAMPLE_ANSWERS[4], "stamps": _stamps(laptop.get(url).text)})

    response = phone.post(url, data={**SAMPLE_ANSWERS[4], "stamps": phone_stamps})

    assert response.status_code == 302


def test_a_change_to_one_question_conflicts_only_with_a_change_to_that_question(
    app, make_supplier, make_assessment, issue_link
):
    assessment_id, phone, laptop = _two_devices(app, make_supplier, make_assessment, issue_link)
    url = f"/s/assessments/{assessment_id}/sections/2"
    laptop.post(url, data={**SAMPLE_ANSWERS[2], "stamps": _stamps(laptop.get(url).text)})
    phone_stamps = _stamps(phone.get(url).text)
    laptop_stamps = _stamps(laptop.get(url).text)

    # the phone changes a text question, the laptop (opened before) only a choice
    phone.post(url, data={**SAMPLE_ANSWERS[2], "q-hs_responsible": "Bea", "stamps": phone_stamps})
    saved = laptop.post(
        url, data={**SAMPLE_ANSWERS[2], "q-emergency_exits": "no", "stamps": laptop_stamps}
    )

    assert saved.status_code == 302, saved.text
    answers = _answers(app, assessment_id)
    assert answers["hs_responsible"] == "Bea"  # the phone's change stays
    assert answers["emergency_exits"] == "no"  # and the laptop's is stored


def test_a_save_without_stamps_may_not_overwrite_an_answer_but_fills_blanks(
    app, make_supplier, make_assessment, issue_link
):
    assessment_id, phone, laptop = _two_devices(app, make_supplier, make_assessment, issue_link)
    url = f"/s/assessments/{assessment_id}/sections/1"
    first = laptop.post(url, data={**SAMPLE_ANSWERS[1], "q-weekly_hours": ""})
    assert first.status_code == 302  # nothing was there: no check needed to fill it

    stampless = phone.post(url, data={**SAMPLE_ANSWERS[1], "q-total_workers": "99"})

    assert stampless.status_code == 409
    assert "Saved on another device meanwhile: 12" in stampless.text
    assert _answers(app, assessment_id)["total_workers"] == 12
    assert _answers(app, assessment_id)["weekly_hours"] is None
    # the page it was shown carries the stamps: a second Save is a knowing overwrite
    again = phone.post(
        url, data={**SAMPLE_ANSWERS[1], "q-total_workers": "99", "stamps": _stamps(stampless.text)}
    )
    assert again.status_code == 302
    assert _answers(app, assessment_id)["total_workers"] == 99
    assert _answers(app, assessment_id)["weekly_hours"] == 45
