"""Outgoing mail: queued in the outbox, delivered by SMTP or written to the log."""
