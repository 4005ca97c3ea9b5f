"""A signed-in session slides a day at a time: its cookie is sent again once a day, not on
every page."""

from __future__ import annotations

from datetime import date

from portal.auth import renewal


def _sets_cookie(response) -> bool:
    return any(h.startswith("session=") for h in response.headers.getlist("Set-Cookie"))


def test_the_session_cookie_is_renewed_once_a_day(client, make_supplier, sign_in_supplier):
    _supplier_id, contact_id = make_supplier()
    sign_in_supplier(contact_id)

    first = client.get("/s/")
    again = client.get("/s/")

    assert _sets_cookie(first)  # the day's renewal
    assert not _sets_cookie(again)
    assert again.status_code == 200


def test_a_visit_the_next_day_renews_it_again(client, make_supplier, sign_in_supplier, monkeypatch):
    _supplier_id, contact_id = make_supplier()
    sign_in_supplier(contact_id)
    client.get("/s/")

    class Tomorrow(date):
        @classmethod
        def today(cls):
            return date.fromordinal(date.today().toordinal() + 1)

    monkeypatch.setattr(renewal, "date", Tomorrow)
    response = client.get("/s/")

    assert _sets_cookie(response)
    assert response.status_code == 200
