"""Audit trail: who did what, when."""
