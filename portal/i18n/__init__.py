"""Language choice and locale-aware formatting."""
