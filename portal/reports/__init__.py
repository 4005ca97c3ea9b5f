"""Feedback reports and supplier summaries as PDFs: content, HTML, WeasyPrint, cache."""
