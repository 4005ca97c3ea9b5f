"""Evidence on corrective-action updates: upload from the phone, refusals, serving, access."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from portal.actions import supplier_views
from portal.actions.models import ActionStatus, ActionUpdate
from portal.evidence.models import EvidenceFile
from portal.evidence.storage import LocalStorage
from portal.extensions import db
from tests.actions.conftest import load
from tests.conftest import without_csrf_token

S = ActionStatus
GPS_IFD = 0x8825
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def evidence_dir(app, tmp_path, monkeypatch):
    folder = tmp_path / "evidence"
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(folder))
    return folder


def _stored(folder) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(EvidenceFile.id)))


def photo_with_gps(size=(2400, 1200)) -> bytes:
    image = Image.new("RGB", size, (200, 60, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the input has a position
    return data


@pytest.fixture
def supplier_action(make_finding, make_action, sign_in_supplier):
    """An open action of a supplier signed in on the client: (action_id, contact_id)."""
    finding_id, _supplier_id, contact_id = make_finding()
    action_id = make_action(finding_id)
    sign_in_supplier(contact_id)
    return action_id, contact_id


def _post(client, action_id, files, note="Fitted new locks."):
    return client.post(
        f"/s/actions/{action_id}/updates",
        data={"note": note, "percent": "", "evidence": files},
        content_type="multipart/form-data",
    )


def _files(app, action_id) -> list[EvidenceFile]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(EvidenceFile)
                .join(ActionUpdate, ActionUpdate.id == EvidenceFile.update_id)
                .where(ActionUpdate.action_id == action_id)
                .order_by(EvidenceFile.id)
            )
        )


def test_a_photo_is_stored_re_encoded_without_gps_and_shown_with_a_thumbnail(
    app, client, supplier_action, evidence_dir
):
    action_id, _contact = supplier_action
    response = _post(client, action_id, [(io.BytesIO(photo_with_gps()), "IMG_0001.JPG")])
    assert response.status_code == 302

    [row] = _files(app, action_id)
    assert (row.content_type, row.original_name, row.width, row.height) == (
        "image/jpeg",
        "IMG_0001.jpg",
        1600,
        800,
    )
    assert _stored(evidence_dir) == {row.stored_name, row.thumbnail_name}
    assert load(app, action_id).status == S.IN_PROGRESS

    full = client.get(f"/s/actions/{action_id}/evidence/{row.id}")
    assert full.status_code == 200
    assert full.headers["Content-Type"] == "image/jpeg"
    assert full.headers["Content-Disposition"].startswith("inline")
    assert full.headers["X-Content-Type-Options"] == "nosniff"
    served = Image.open(io.BytesIO(full.data))
    assert served.size == (1600, 800)
    assert not served.getexif().get_ifd(GPS_IFD)
    assert not served.getexif()

    thumb = client.get(f"/s/actions/{action_id}/evidence/{row.id}/thumb")
    assert thumb.status_code == 200
    assert Image.open(io.BytesIO(thumb.data)).size == (320, 160)

    page = client.get(f"/s/actions/{action_id}").text
    assert f'src="/s/actions/{action_id}/evidence/{row.id}/thumb"' in page
    assert f'href="/s/actions/{action_id}/evidence/{row.id}"' in page
    assert 'alt="IMG_0001.jpg" loading="lazy" width="320" height="160"' in page


def test_a_pdf_is_kept_and_downloaded_as_an_attachment(app, client, supplier_action, evidence_dir):
    action_id, _contact = supplier_action
    assert _post(client, action_id, [(io.BytesIO(PDF), "invoice locks.pdf")]).status_code == 302
    [row] = _files(app, action_id)
    assert (row.content_type, row.thumbnail_name) == ("application/pdf", None)

    response = client.get(f"/s/actions/{action_id}/evidence/{row.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "invoice locks.pdf" in response.headers["Content-Disposition"]
    assert client.get(f"/s/actions/{action_id}/evidence/{row.id}/thumb").status_code == 404


def test_a_renamed_executable_refuses_the_whole_update_and_keeps_the_note(
    app, client, supplier_action, evidence_dir
):
    action_id, _contact = supplier_action
    executable = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256)) * 8
    response = _post(
        client,
        action_id,
        [(io.BytesIO(photo_with_gps()), "good.jpg"), (io.BytesIO(executable), "holiday.jpg")],
        note="Locks ordered.",
    )
    assert response.status_code == 422
    assert "holiday.jpg: This file is not a photo or a PDF document." in response.text
    assert "Locks ordered." in response.text  # the typed note is still in the form
    assert _count(app) == 0
    assert _stored(evidence_dir) == set()
    with app.app_context():
        assert db.session.scalar(select(func.count(ActionUpdate.id))) == 0
    assert load(app, action_id).status == S.OPEN


def test_a_file_over_the_limit_is_refused(app, client, supplier_action, evidence_dir, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 20_000)
    action_id, _contact = supplier_action
    response = _post(client, action_id, [(io.BytesIO(b"%PDF-1.4\n" + b"0" * 30_000), "big.pdf")])
    assert response.status_code == 422
    assert "big.pdf: This file is larger than 19.5 KB." in response.text
    assert _count(app) == 0
    assert _stored(evidence_dir) == set()


def test_a_body_over_the_upload_limit_gets_the_friendly_413_page(
    app, client, supplier_action, evidence_dir, monkeypatch
):
    monkeypatch.setitem(app.config, "EVIDENCE_MAX_BYTES", 20_000)
    # a small total, so that the test client keeps the body in memory (no temporary file)
    monkeypatch.setattr(supplier_views, "FORM_OVERHEAD", 10_000)
    action_id, _contact = supplier_action
    response = _post(client, action_id, [(io.BytesIO(b"0" * 120_000), "huge.pdf")])
    assert response.status_code == 413
    assert "That file is too large" in response.text
    assert "/assets/supplier." in response.text
    assert _count(app) == 0


def test_other_pages_keep_the_two_megabyte_limit(app, client, supplier_action):
    action_id, _contact = supplier_action
    response = client.post(f"/s/actions/{action_id}/ready", data={"x": "0" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_more_than_five_files_are_refused(app, client, supplier_action, evidence_dir):
    action_id, _contact = supplier_action
    files = [(io.BytesIO(PDF), f"doc{i}.pdf") for i in range(6)]
    response = _post(client, action_id, files)
    assert response.status_code == 422
    assert "Attach at most 5 files to one update." in response.text
    assert _count(app) == 0
    assert _stored(evidence_dir) == set()

    files = [(io.BytesIO(PDF), f"doc{i}.pdf") for i in range(5)]
    assert _post(client, action_id, files).status_code == 302
    assert _count(app) == 5


def test_a_storage_failure_leaves_no_file_behind(
    app, client, supplier_action, evidence_dir, monkeypatch
):
    action_id, _contact = supplier_action
    save = LocalStorage.save
    calls = []

    def failing_save(self, name, data):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")
        save(self, name, data)

    monkeypatch.setattr(LocalStorage, "save", failing_save)
    files = [(io.BytesIO(photo_with_gps()), "a.jpg"), (io.BytesIO(PDF), "b.pdf")]
    assert _post(client, action_id, files).status_code == 500
    assert len(calls) == 3
    assert _stored(evidence_dir) == set()
    assert _count(app) == 0


def test_another_supplier_gets_404_for_the_files(
    app, client, supplier_action, evidence_dir, make_finding, sign_in_supplier
):
    action_id, _contact = supplier_action
    assert _post(client, action_id, [(io.BytesIO(photo_with_gps()), "a.jpg")]).status_code == 302
    [row] = _files(app, action_id)
    client.post("/sign-out")
    _finding, _other_supplier, other_contact = make_finding()
    sign_in_supplier(other_contact)

    missing_url = f"/s/actions/{action_id}/evidence/{row.id + 100}"
    missing = client.get(missing_url)
    assert missing.status_code == 404
    for suffix in ("", "/thumb"):
        url = f"/s/actions/{action_id}/evidence/{row.id}{suffix}"
        response = client.get(url)
        assert response.status_code == 404
        assert without_csrf_token(response.text).replace(url, "") == without_csrf_token(
            missing.text
        ).replace(missing_url, "")


def test_a_file_of_another_action_is_404_even_for_its_owner(
    app, client, supplier_action, evidence_dir, make_finding, make_action
):
    action_id, _contact = supplier_action
    assert _post(client, action_id, [(io.BytesIO(PDF), "a.pdf")]).status_code == 302
    [row] = _files(app, action_id)
    with app.app_context():
        finding_id = load(app, action_id).finding_id
    other_action = make_action(finding_id)
    assert client.get(f"/s/actions/{other_action}/evidence/{row.id}").status_code == 404


def test_the_buyer_sees_the_files(app, client, supplier_action, evidence_dir, buyer, sign_in_buyer):
    action_id, _contact = supplier_action
    files = [(io.BytesIO(photo_with_gps()), "site.jpg"), (io.BytesIO(PDF), "order.pdf")]
    assert _post(client, action_id, files).status_code == 302
    photo, pdf = _files(app, action_id)
    client.post("/sign-out")
    sign_in_buyer(buyer)

    page = client.get(f"/b/actions/{action_id}").text
    assert f'src="/b/actions/{action_id}/evidence/{photo.id}/thumb"' in page
    assert 'alt="site.jpg"' in page
    assert f'href="/b/actions/{action_id}/evidence/{pdf.id}"' in page
    assert client.get(f"/b/actions/{action_id}/evidence/{photo.id}").status_code == 200
    assert client.get(f"/b/actions/{action_id}/evidence/{photo.id}/thumb").status_code == 200
    download = client.get(f"/b/actions/{action_id}/evidence/{pdf.id}")
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/b/actions/{action_id + 1}/evidence/{pdf.id}").status_code == 404


def test_ready_for_verification_with_evidence_and_no_note(
    app, client, supplier_action, evidence_dir
):
    action_id, _contact = supplier_action
    response = _post(client, action_id, [(io.BytesIO(photo_with_gps()), "done.jpg")], note="")
    assert response.status_code == 302
    assert client.post(f"/s/actions/{action_id}/ready").status_code == 302
    assert load(app, action_id).status == S.READY_FOR_VERIFICATION


def test_an_update_needs_a_note_or_a_file(app, client, supplier_action, evidence_dir):
    action_id, _contact = supplier_action
    response = _post(client, action_id, [], note=" ")
    assert response.status_code == 422
    assert "Write what was done, or attach a photo or a document." in response.text
