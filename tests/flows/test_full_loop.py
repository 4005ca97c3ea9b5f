"""The whole loop through the test client: invite → answer → submit → buyer reads it."""

from sqlalchemy import func, select

from portal.assessments.models import Assessment, AssessmentStatus, Revision
from portal.audit.models import AuditEntry
from portal.extensions import db
from tests.answers_fixture import SAMPLE_ANSWERS


def test_buyer_invites_supplier_answers_and_buyer_reads_submission(
    app, client, make_buyer, sign_in_buyer, questionnaire
):
    buyer = make_buyer()
    sign_in_buyer(buyer)
    response = client.post(
        "/b/suppliers/new",
        data={
            "name": "Taller Sol",
            "country": "MX",
            "category": "Textiles",
            "contact_name": "Lucía",
            "contact_email": "lucia@sol.example",
            "contact_locale": "es",
        },
    )
    assert response.status_code == 302
    supplier_url = response.headers["Location"]
    supplier_id = int(supplier_url.rstrip("/").rsplit("/", 1)[1])

    response = client.post(
        f"/b/suppliers/{supplier_id}/assign",
        data={"questionnaire": questionnaire, "due_date": "2099-01-31"},
    )
    assert response.status_code == 302
    with app.app_context():
        contact_id = db.session.scalar(
            select(Assessment.id).where(Assessment.supplier_id == supplier_id)
        )
        assessment_id = contact_id
        from portal.suppliers.models import Supplier

        contact = db.session.get(Supplier, supplier_id).contacts[0].id

    page = client.post(f"/b/suppliers/contacts/{contact}/link", data={"send": "copy"}).text
    link = page.split('class="link-box"', 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
    assert "/link/" in link
    client.post("/sign-out")

    token_path = link.removeprefix("http://localhost")
    assert "Continuar" in client.get(token_path, headers={"Accept-Language": "es"}).text
    response = client.post(token_path)
    assert response.headers["Location"].endswith("/s/")
    home = client.get("/s/").text
    assert "31 de enero de 2099" in home  # the contact's language, Spanish dates

    for number, answers in SAMPLE_ANSWERS.items():
        response = client.post(
            f"/s/assessments/{assessment_id}/sections/{number}", data={**answers, "action": "next"}
        )
        assert response.status_code == 302, response.text
    review = client.get(f"/s/assessments/{assessment_id}/review")
    assert "disabled" not in review.text.split("Enviar")[0].rsplit("<button", 1)[-1]
    response = client.post(f"/s/assessments/{assessment_id}/submit")
    assert response.headers["Location"].endswith(f"/s/assessments/{assessment_id}/submitted")
    assert client.get(response.headers["Location"]).status_code == 200
    client.post("/sign-out")

    sign_in_buyer(buyer)
    page = client.get(f"/b/assessments/{assessment_id}").text
    assert "Ana López" in page
    assert "Lucía" in page
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.status == AssessmentStatus.SUBMITTED
        assert db.session.scalar(select(func.count(Revision.id))) == 1
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.object_type == "assessment")
        ).all()
        assert actions.count("assessment_status") == 2
