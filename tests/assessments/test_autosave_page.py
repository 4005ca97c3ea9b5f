"""The autosave endpoint, the stamps a page carries on with, and what the page's script
needs from the server: its texts, URLs and the service worker."""

from __future__ import annotations

import re

import pytest

from portal.assessments.logic import current_answers
from portal.assessments.models import Assessment
from portal.assessments.stamps import answer_stamp, section_stamps, stamps_after_save
from portal.extensions import db
from portal.questionnaires.definition import parse_definition
from tests.answers_fixture import SAMPLE_ANSWERS
from tests.conftest import SAMPLE

SECTION = parse_definition(SAMPLE.read_text("utf-8")).sections[0]


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def _answers(app, assessment_id):
    with app.app_context():
        return current_answers(db.session.get(Assessment, assessment_id))


@pytest.fixture
def two_devices(app, make_supplier, make_assessment, issue_link):
    supplier_id, contact_id = make_supplier()
    assessment_id = make_assessment(supplier_id)
    phone, laptop = app.test_client(), app.test_client()
    for device in (phone, laptop):
        device.post(f"/link/{issue_link(contact_id)}")
    return assessment_id, phone, laptop


# --- stamps after a save ----------------------------------------------------------------------


def test_after_a_save_a_question_the_page_shows_as_stored_takes_the_stored_stamp():
    stored = {"total_workers": 20, "written_contracts": "all"}
    seen = section_stamps(SECTION, {})

    after = stamps_after_save(
        SECTION, seen, stored, {"total_workers": 20, "written_contracts": "all"}
    )

    assert after == section_stamps(SECTION, stored)


def test_after_a_save_a_question_saved_elsewhere_keeps_the_stamp_the_page_had():
    seen = section_stamps(SECTION, {})
    stored = {"total_workers": 20, "written_contracts": "all"}  # all: from another device

    after = stamps_after_save(SECTION, seen, stored, {"total_workers": 20})
    after = dict(item.split(":") for item in after.split(","))

    assert after["total_workers"] == answer_stamp(20)
    assert after["written_contracts"] == answer_stamp(None)  # still what this page saw


def test_a_later_autosave_of_one_device_does_not_undo_what_the_other_saved_meanwhile(
    app, two_devices
):
    assessment_id, phone, laptop = two_devices
    url = f"/s/assessments/{assessment_id}/sections/1"
    stamps = _hidden(phone.get(url).text, "stamps")
    assert phone.post(f"{url}/autosave", data={**SAMPLE_ANSWERS[1], "stamps": stamps}).json
    phone_page, laptop_page = phone.get(url).text, laptop.get(url).text
    laptop.post(
        f"{url}/autosave",
        data={
            **SAMPLE_ANSWERS[1],
            "q-total_workers": "20",
            "stamps": _hidden(laptop_page, "stamps"),
        },
    )
    # the phone still shows 12 workers; it changes another question
    first = phone.post(
        f"{url}/autosave",
        data={**SAMPLE_ANSWERS[1], "q-weekly_hours": "40", "stamps": _hidden(phone_page, "stamps")},
    )
    assert first.json["status"] == "saved"
    second = phone.post(
        f"{url}/autosave",
        data={**SAMPLE_ANSWERS[1], "q-weekly_hours": "41", "stamps": first.json["stamps"]},
    )

    assert second.json["status"] == "saved"
    assert _answers(app, assessment_id)["total_workers"] == 20
    assert _answers(app, assessment_id)["weekly_hours"] == 41
    # and when the phone does change the workers, it learns of the laptop's answer
    third = phone.post(
        f"{url}/autosave",
        data={**SAMPLE_ANSWERS[1], "q-total_workers": "13", "stamps": second.json["stamps"]},
    )
    assert third.status_code == 409
    assert third.json["status"] == "conflict"
    assert third.json["conflicts"] == {
        "total_workers": "Saved on another device meanwhile: 20 workers"
    }


# --- the endpoint -----------------------------------------------------------------------------


def test_an_autosave_answers_json_and_a_resend_is_stored_once(app, two_devices):
    assessment_id, phone, _laptop = two_devices
    url = f"/s/assessments/{assessment_id}/sections/1"
    stamps = _hidden(phone.get(url).text, "stamps")
    data = {**SAMPLE_ANSWERS[1], "stamps": stamps, "save_id": "phone-save-0001"}

    first = phone.post(f"{url}/autosave", data=data)
    again = phone.post(f"{url}/autosave", data=data)
    other = phone.post(f"{url}/autosave", data={**data, "q-total_workers": "99"})

    assert first.status_code == again.status_code == 200
    assert first.json == again.json
    assert other.status_code == 409
    assert other.json["status"] == "refused"
    assert _answers(app, assessment_id)["total_workers"] == 12


def test_an_invalid_autosave_names_the_question_and_stores_nothing(app, two_devices):
    assessment_id, phone, _laptop = two_devices
    url = f"/s/assessments/{assessment_id}/sections/1"
    stamps = _hidden(phone.get(url).text, "stamps")

    reply = phone.post(
        f"{url}/autosave", data={**SAMPLE_ANSWERS[1], "q-total_workers": "many", "stamps": stamps}
    )

    assert reply.status_code == 422
    assert reply.json["status"] == "invalid"
    assert list(reply.json["errors"]) == ["total_workers"]
    assert _answers(app, assessment_id).get("total_workers") is None


def test_another_suppliers_assessment_cannot_be_autosaved(
    app, two_devices, make_supplier, make_assessment
):
    _assessment_id, phone, _laptop = two_devices
    theirs = make_assessment(make_supplier()[0])

    reply = phone.post(f"/s/assessments/{theirs}/sections/1/autosave", data=SAMPLE_ANSWERS[1])

    assert reply.status_code == 404
    assert _answers(app, theirs).get("total_workers") is None


# --- what the script reads from the page ------------------------------------------------------


def test_the_section_page_hands_the_script_its_urls_and_translated_texts(client, two_devices):
    assessment_id, phone, _laptop = two_devices
    page = phone.get(f"/s/assessments/{assessment_id}/sections/1").text
    form = re.search(r'<form method="post"[^>]*class="section-form"[^>]*>', page).group(0)

    assert f'data-autosave="/s/assessments/{assessment_id}/sections/1/autosave"' in form
    assert 'data-worker="/s/sw.js"' in form
    assert " data-stored" in form  # the fields show the stored answers
    for name in ("saving", "saved", "offline", "failed", "unsent", "sign-in"):
        assert re.search(rf'data-text-{name}="[^"]+"', form), name
    assert 'data-sign-in="/link/new"' in form
    assert '<p class="save-status" aria-live="polite"></p>' in page
    assert '<p class="save-banner" hidden></p>' in page


def test_the_script_texts_come_in_the_pages_language(client, two_devices):
    assessment_id, phone, _laptop = two_devices
    phone.get("/lang/fr")
    page = phone.get(f"/s/assessments/{assessment_id}/sections/1").text

    assert 'data-text-sign-in="Demander un nouveau lien de connexion"' in page


def test_a_section_sent_back_with_typed_answers_is_not_marked_as_stored(two_devices):
    assessment_id, phone, _laptop = two_devices
    url = f"/s/assessments/{assessment_id}/sections/1"
    stamps = _hidden(phone.get(url).text, "stamps")

    refused = phone.post(
        url, data={**SAMPLE_ANSWERS[1], "q-total_workers": "many", "stamps": stamps}
    )

    assert refused.status_code == 422
    assert "data-autosave=" in refused.text
    assert " data-stored" not in refused.text


# --- the service worker -----------------------------------------------------------------------


def _get(client, url, **kwargs):
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()  # a file is sent: let it go
    return response


def test_the_service_worker_is_served_as_javascript_never_cached_with_the_supplier_scope(client):
    response = _get(client, "/s/sw.js")

    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.cache_control.no_cache
    assert not response.cache_control.max_age
    assert "Service-Worker-Allowed" not in response.headers  # /s/sw.js covers /s/ as it is
    assert b'addEventListener("fetch"' in response.data
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_service_worker_answers_a_revalidation_with_not_modified(client):
    etag = _get(client, "/s/sw.js").headers["ETag"]

    assert _get(client, "/s/sw.js", headers={"If-None-Match": etag}).status_code == 304


def test_the_service_worker_needs_no_sign_in(client):
    # an update check after the sign-in ended must not be turned into a redirect
    assert _get(client, "/s/sw.js").status_code == 200


def test_the_service_worker_comes_gzipped_and_still_revalidated(client):
    import gzip

    response = _get(client, "/s/sw.js", headers={"Accept-Encoding": "gzip"})
    again = _get(
        client,
        "/s/sw.js",
        headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]},
    )

    assert response.headers["Content-Encoding"] == "gzip"
    assert b'addEventListener("fetch"' in gzip.decompress(response.data)
    assert response.cache_control.no_cache
    assert response.mimetype == "text/javascript"
    assert again.status_code == 304
