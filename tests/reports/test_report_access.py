"""Who may open which report, and the "your feedback is ready" mail that links to it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from tests.reports.conftest import pdf_text


def test_another_supplier_gets_404_for_the_report(
    client, reviewed, make_supplier, sign_in_supplier
):
    ids = reviewed("en")
    _other_supplier, other_contact = make_supplier(name="Someone Else")
    sign_in_supplier(other_contact)
    response = client.get(f"/s/assessments/{ids['assessment']}/report.pdf")
    assert response.status_code == 404
    assert b"Tejidos" not in response.data
    assert client.get("/s/assessments/999999/report.pdf").status_code == 404


def test_no_report_before_the_review_is_done(
    client, make_supplier, answer_and_submit, sign_in_supplier, sign_in_buyer, buyer
):
    supplier_id, contact_id = make_supplier()
    assessment_id = answer_and_submit(supplier_id, contact_id)  # submitted, not accepted
    sign_in_supplier(contact_id)
    assert client.get(f"/s/assessments/{assessment_id}/report.pdf").status_code == 404
    client.post("/sign-out")
    sign_in_buyer(buyer)
    assert client.get(f"/b/assessments/{assessment_id}/report.pdf").status_code == 404


def test_anonymous_visitors_and_suppliers_are_kept_out_of_buyer_reports(
    client, reviewed, sign_in_supplier
):
    ids = reviewed("en")
    url = f"/b/assessments/{ids['assessment']}/report.pdf"
    assert client.get(url).status_code == 302  # to sign-in
    assert client.get(f"/s/assessments/{ids['assessment']}/report.pdf").status_code == 302
    sign_in_supplier(ids["contact"])
    assert client.get(url).status_code == 403
    assert client.get(f"/b/suppliers/{ids['supplier']}/summary.pdf").status_code == 403


def test_buyer_reads_it_in_the_supplier_language_or_another(client, reviewed, sign_in_buyer, buyer):
    ids = reviewed("fr")
    sign_in_buyer(buyer)
    url = f"/b/assessments/{ids['assessment']}/report.pdf"
    assert "Votre plan d’action" in pdf_text(client.get(url).data)
    assert "Your action plan" in pdf_text(client.get(url + "?lang=en").data)
    assert "Su plan de acción" in pdf_text(client.get(url + "?lang=es").data)
    assert "Votre plan d’action" in pdf_text(client.get(url + "?lang=xx").data)
    page = client.get(f"/b/assessments/{ids['assessment']}").text
    assert f'href="/b/assessments/{ids["assessment"]}/report.pdf"' in page


def test_sending_the_report_mails_each_contact_a_link_to_it(
    app, client, reviewed, sign_in_buyer, buyer, mailbox
):
    from portal.assessments.models import Assessment
    from portal.audit.models import AuditEntry
    from portal.extensions import db

    ids = reviewed("es")
    mailbox.clear()  # the buyer was told of the submission
    sign_in_buyer(buyer)
    response = client.post(f"/b/assessments/{ids['assessment']}/send-report")
    assert response.status_code == 302
    assert len(mailbox) == 1
    _recipient, subject, body = mailbox[0]
    assert subject == "Su informe de resultados está listo"
    link = urlsplit(re.search(r"http://\S+/link/\S+", body).group(0))
    path = f"{link.path}?{link.query}"
    with app.app_context():
        assert db.session.get(Assessment, ids["assessment"]).feedback_sent_at is not None
        assert db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "feedback_sent")
        ).detail == {"recipients": "1"}
    page = client.get(f"/b/assessments/{ids['assessment']}").text
    assert "Send it again" in page

    # The contact opens the mail on the phone: the link lands on the assessment's page,
    # which offers the report.
    client.post("/sign-out")
    assert client.get(path).status_code == 200
    landed = client.post(path)
    assert landed.status_code == 302
    assert landed.headers["Location"] == f"/s/assessments/{ids['assessment']}/submitted"
    page = client.get(landed.headers["Location"]).text
    assert f'href="/s/assessments/{ids["assessment"]}/report.pdf"' in page
    assert client.get(f"/s/assessments/{ids['assessment']}/report.pdf").status_code == 200


def test_a_link_cannot_send_the_contact_off_site(client, reviewed, issue_link):
    ids = reviewed("en")
    token = issue_link(ids["contact"])
    landed = client.post(f"/link/{token}?next=https://evil.example/phish")
    assert landed.headers["Location"] == "/s/"


def test_nothing_is_sent_before_acceptance(
    client, make_supplier, answer_and_submit, sign_in_buyer, buyer, mailbox
):
    supplier_id, contact_id = make_supplier()
    assessment_id = answer_and_submit(supplier_id, contact_id)
    mailbox.clear()  # the buyer was told of the submission
    sign_in_buyer(buyer)
    response = client.post(f"/b/assessments/{assessment_id}/send-report", follow_redirects=True)
    assert "The feedback report is ready once the assessment is accepted." in response.text
    assert mailbox == []
