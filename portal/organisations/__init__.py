"""Buying organisations: one portal, several buyers, each seeing only its own rows."""
