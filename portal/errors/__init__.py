"""Friendly, translated error pages."""
