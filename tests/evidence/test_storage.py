"""Evidence storage (names we generate, private files) and the download response."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.exceptions import NotFound

from portal.evidence.serving import evidence_response
from portal.evidence.storage import (
    InvalidName,
    LocalStorage,
    Storage,
    new_name,
    storage_for,
    thumbnail_name,
)


@pytest.fixture
def storage(tmp_path) -> LocalStorage:
    return LocalStorage(tmp_path / "evidence")


def test_round_trip(storage):
    name = new_name("jpg")
    assert not storage.exists(name)
    storage.save(name, b"\xff\xd8 photo")
    assert storage.exists(name)
    assert storage.read(name) == b"\xff\xd8 photo"
    storage.save(name, b"replaced")
    assert storage.read(name) == b"replaced"
    storage.delete(name)
    assert not storage.exists(name)
    storage.delete(name)  # already gone: no error
    with pytest.raises(FileNotFoundError):
        storage.read(name)


def test_files_are_private_and_nothing_else_is_left(storage):
    name = new_name("pdf")
    storage.save(name, b"%PDF-1.4 ...")
    path = storage.root / name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(storage.root.stat().st_mode) == 0o700
    assert [p.name for p in storage.root.iterdir()] == [name]


def test_local_storage_is_a_storage(storage):
    assert isinstance(storage, Storage)


def test_new_names_are_random_and_valid():
    first, second = new_name("jpg"), new_name("jpg")
    assert first != second
    assert len(first) == 36
    assert first.endswith(".jpg")
    assert new_name("pdf").endswith(".pdf")
    with pytest.raises(ValueError, match="extension"):
        new_name("exe")


def test_thumbnail_name():
    name = new_name("jpg")
    assert thumbnail_name(name) == name[:32] + "_thumb.jpg"
    with pytest.raises(InvalidName):
        thumbnail_name(thumbnail_name(name))


@pytest.mark.parametrize(
    "name",
    [
        "../" + "a" * 32 + ".jpg",
        "..",
        "../../etc/passwd",
        "/etc/passwd",
        "a" * 32 + ".jpg/../x",
        "A" * 32 + ".jpg",
        "a" * 31 + ".jpg",
        "a" * 33 + ".jpg",
        "g" * 32 + ".jpg",
        "a" * 32 + ".exe",
        "a" * 32 + ".jpg\n",
        "a" * 32 + ".jpg\x00",
        "a" * 32 + "_THUMB.jpg",
        "a" * 32 + ".JPG",
        "a" * 32,
        "",
        "sub/" + "a" * 32 + ".jpg",
        "a" * 32 + "\\..\\.jpg",
    ],
)
def test_unsafe_names_are_refused_by_every_operation(storage, name):
    with pytest.raises(InvalidName):
        storage.save(name, b"x")
    for operation in (storage.read, storage.delete, storage.exists):
        with pytest.raises(InvalidName):
            operation(name)
    assert not storage.root.exists() or not any(storage.root.iterdir())


def test_symlink_is_not_followed(storage, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    storage.root.mkdir()
    name = new_name("jpg")
    (storage.root / name).symlink_to(secret)
    with pytest.raises(OSError, match="symbolic links|Too many levels"):
        storage.read(name)


def test_storage_for_defaults_to_the_instance_folder(tmp_path):
    app = Flask(__name__, instance_path=str(tmp_path / "instance"))
    chosen = storage_for(app)
    assert isinstance(chosen, LocalStorage)
    assert chosen.root == (tmp_path / "instance" / "evidence").resolve()

    app.config["EVIDENCE_DIR"] = str(tmp_path / "elsewhere")
    assert storage_for(app).root == (tmp_path / "elsewhere").resolve()


def test_storage_for_refuses_the_static_folder(tmp_path):
    app = Flask(__name__, static_folder=str(tmp_path / "static"))
    app.config["EVIDENCE_DIR"] = tmp_path / "static" / "evidence"
    with pytest.raises(RuntimeError, match="static"):
        storage_for(app)


def test_real_app_keeps_evidence_outside_static():
    from portal import PROJECT_ROOT

    app = Flask(
        __name__,
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    root = storage_for(app).root
    assert Path(app.static_folder).resolve() not in root.parents


# --- serving ---------------------------------------------------------------------------


@pytest.fixture
def request_ctx():
    app = Flask(__name__)
    with app.test_request_context("/evidence/1"):
        yield app


def test_inline_photo_response(storage, request_ctx):
    name = new_name("jpg")
    storage.save(name, b"\xff\xd8\xff photo")
    response = evidence_response(storage, name, "image/jpeg", "photo.jpg", inline=True)

    assert response.status_code == 200
    assert response.get_data() == b"\xff\xd8\xff photo"
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["Content-Length"] == str(len(b"\xff\xd8\xff photo"))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'"
    assert response.headers["Content-Disposition"] == (
        "inline; filename=photo.jpg; filename*=UTF-8''photo.jpg"
    )


def test_pdf_attachment_response_with_unicode_name(storage, request_ctx):
    name = new_name("pdf")
    storage.save(name, b"%PDF-1.7 ... %%EOF")
    response = evidence_response(
        storage, name, "application/pdf", 'Rapport d’audit "été".pdf', inline=False
    )
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="Rapport daudit ete.pdf"' in disposition
    assert "filename*=UTF-8''Rapport%20d%E2%80%99audit%20%22%C3%A9t%C3%A9%22.pdf" in disposition


def test_header_injection_in_download_name_is_neutralised(storage, request_ctx):
    name = new_name("jpg")
    storage.save(name, b"x")
    response = evidence_response(
        storage, name, "image/jpeg", "a\r\nSet-Cookie: x=1\r\n/../b.jpg", inline=True
    )
    disposition = response.headers["Content-Disposition"]
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert "/" not in disposition.split("filename*=")[1]
    assert "Set-Cookie" not in response.headers


def test_missing_file_is_404(storage, request_ctx):
    with pytest.raises(NotFound):
        evidence_response(storage, new_name("jpg"), "image/jpeg", "a.jpg", inline=True)


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "image/png", ""])
def test_only_stored_types_are_served(storage, request_ctx, content_type):
    name = new_name("jpg")
    storage.save(name, b"x")
    with pytest.raises(ValueError, match="type"):
        evidence_response(storage, name, content_type, "a.jpg", inline=True)


def test_bad_name_never_reaches_the_disk(storage, request_ctx):
    with pytest.raises(InvalidName):
        evidence_response(storage, "../secret.jpg", "image/jpeg", "a.jpg", inline=True)
