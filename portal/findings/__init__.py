"""Findings: what a buyer records from a submission; the input of corrective actions."""
