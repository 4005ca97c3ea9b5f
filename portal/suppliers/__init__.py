"""Supplier companies and their contacts (buyer side)."""
