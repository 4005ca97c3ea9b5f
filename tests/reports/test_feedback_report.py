"""The supplier's feedback report: what it says, in whose language, on which paper."""

from __future__ import annotations

import io
import os
from pathlib import Path

from babel.numbers import format_percent

from tests.reports.conftest import pdf_fonts, pdf_pages, pdf_text

KEEP = os.environ.get("KEEP_REPORTS")  # a folder: write the PDFs there to look at them


def keep(name: str, data: bytes) -> None:
    if KEEP:
        Path(KEEP).mkdir(parents=True, exist_ok=True)
        (Path(KEEP) / name).write_bytes(data)


def _scores(app, assessment_id: int) -> dict:
    from portal.assessments.models import Assessment
    from portal.extensions import db

    with app.app_context():
        return dict(db.session.get(Assessment, assessment_id).revisions[-1].score)


def _percent(value: float, locale: str) -> str:
    """As the report prints it; spaces as `pdf_text` gives them (collapsed)."""
    text = format_percent(round(value / 100, 3), locale=locale, decimal_quantization=False)
    return " ".join(text.split())


def test_english_report_has_scores_findings_and_action_plan(
    app, client, reviewed, peers, sign_in_supplier
):
    peers(5)
    ids = reviewed("en")
    sign_in_supplier(ids["contact"])
    response = client.get(f"/s/assessments/{ids['assessment']}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline;")
    keep("feedback-en.pdf", response.data)
    text = pdf_text(response.data)
    folded = text.casefold()
    scores = _scores(app, ids["assessment"])
    # Who it is for and which assessment.
    assert "Tejidos Andinos" in text
    assert "Supplier self-assessment (version 1)" in text
    # The overall score, what it means, and every section's score.
    assert "overall score" in folded
    assert _percent(scores["overall"], "en") in text
    assert "Whatever the score, the red flags below must be corrected first." in text
    for title, key in (("Workers and wages", "workers"), ("Health and safety", "health_safety")):
        assert title in text
        assert _percent(scores["sections"][key], "en") in text
    # Strengths and good practices, by name.
    assert "What you do well" in text
    assert "Is every worker paid at least the legal minimum wage? Yes, every worker" in text
    # The red flag, the buyer's finding and its actions with owner, due date and status.
    assert "Emergency exits are locked or not clearly marked while people work." in text
    assert "Two exits were locked during the visit." in text
    assert "Corrective action: Unlock exit door 1" in text
    assert "Ana Pérez (Foreman)" in text
    assert "Due: January 5, 2026" in text
    assert "open · overdue" in text
    assert "Your action plan" in text
    assert "Unlock exit door 2" in text
    # Peers, next steps and the next assessment date from the tier.
    assert "How you compare with similar suppliers" in text
    assert "Compared with 5 other suppliers" in text
    assert "Work on the 2 open actions in your plan" in text
    assert "Your next assessment is due by" in text
    assert "Page 1 of" in text
    assert pdf_fonts(response.data) == {"NotoSans", "NotoSansBold"}  # no fallback font needed
    assert pdf_pages(response.data) >= 2


def test_french_contact_gets_the_report_in_french(app, client, reviewed, peers, sign_in_supplier):
    peers(5)
    ids = reviewed("fr", name="Maroquinerie Dupont")
    sign_in_supplier(ids["contact"])
    response = client.get(f"/s/assessments/{ids['assessment']}/report.pdf")
    assert response.status_code == 200
    keep("feedback-fr.pdf", response.data)
    text = pdf_text(response.data)
    scores = _scores(app, ids["assessment"])
    assert "Maroquinerie Dupont" in text
    assert "Auto-évaluation fournisseur (version 1)" in text
    assert _percent(scores["overall"], "fr") in text  # "80,4 %"
    assert "Travailleurs et salaires" in text
    assert "Ce que vous faites bien" in text
    assert "Les sorties de secours sont fermées à clé ou mal signalées pendant le travail." in text
    assert "Votre plan d’action" in text
    assert "Unlock exit door 1" in text  # the buyer's own words stay as written
    assert "Action corrective : Unlock exit door 1" in text
    assert "Comment vous vous situez par rapport à des fournisseurs similaires" in text
    assert "Page 1 sur" in text
    for english in ("Your action plan", "What you do well", "Overall score", "Next steps"):
        assert english not in text


def test_comparison_needs_five_peers(client, reviewed, peers, sign_in_supplier):
    peers(4)
    ids = reviewed("en")
    sign_in_supplier(ids["contact"])
    text = pdf_text(client.get(f"/s/assessments/{ids['assessment']}/report.pdf").data)
    assert "Your action plan" in text
    assert "How you compare" not in text
    assert "similar suppliers" not in text


def test_acceptance_comment_reaches_the_supplier(
    app, client, make_supplier, answer_and_submit, buyer, sign_in_supplier
):
    from portal.assessments.models import Assessment
    from portal.assessments.review import accept
    from portal.auth.models import User
    from portal.extensions import db

    supplier_id, contact_id = make_supplier(name="Clean Farm")
    assessment_id = answer_and_submit(supplier_id, contact_id)
    with app.test_request_context():
        accept(
            db.session.get(Assessment, assessment_id),
            by=db.session.get(User, buyer),
            comment="Thank you for the clear answers.",
        )
        db.session.commit()
    sign_in_supplier(contact_id)
    text = pdf_text(client.get(f"/s/assessments/{assessment_id}/report.pdf").data)
    assert "Message from your customer" in text
    assert "Thank you for the clear answers." in text
    assert "No red flags and no findings: nothing needs correcting." in text
    assert "Keep your good practices in place" in text


def test_paper_is_a4_unless_letter_is_asked_for(client, reviewed, sign_in_supplier):
    from pypdf import PdfReader

    ids = reviewed("en")
    sign_in_supplier(ids["contact"])
    url = f"/s/assessments/{ids['assessment']}/report.pdf"

    def size(response) -> tuple[int, int]:
        box = PdfReader(io.BytesIO(response.data)).pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    assert size(client.get(url)) == (595, 842)  # A4 in points
    assert size(client.get(url + "?paper=letter")) == (612, 792)
    assert size(client.get(url + "?paper=tabloid")) == (595, 842)  # unknown: A4
