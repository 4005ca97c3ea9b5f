"""The supplier's feedback report: what it says, in whose language, and to whom."""

from __future__ import annotations

import os
from pathlib import Path

from tests.reports.conftest import pdf_fonts, pdf_pages, pdf_text

KEEP = os.environ.get("KEEP_REPORTS")  # a folder: write the PDFs there to look at them


def keep(name: str, data: bytes) -> None:
    if KEEP:
        Path(KEEP).mkdir(parents=True, exist_ok=True)
        (Path(KEEP) / name).write_bytes(data)


def test_english_report_has_scores_findings_and_plan(client, reviewed, peers, sign_in_supplier):
    peers(5)
    ids = reviewed("en")
    sign_in_supplier(ids["contact"])
    response = client.get(f"/s/assessments/{ids['assessment']}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    keep("feedback-en.pdf", response.data)
    text = pdf_text(response.data)
    assert "Tejidos Andinos" in text
    assert "overall score" in text.casefold()
    assert "Red flags and findings" in text
    assert "Your action plan" in text
    assert "Unlock exit door 1" in text
    assert "How you compare with similar suppliers" in text
    assert pdf_pages(response.data) >= 2
    print(pdf_fonts(response.data))
