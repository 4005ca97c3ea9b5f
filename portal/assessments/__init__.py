"""Assignments, answering section by section, drafts and submission."""
