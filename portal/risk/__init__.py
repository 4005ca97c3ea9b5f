"""Risk: inherent ratings, each supplier's risk score and tier, and changes flagged to buyers."""
