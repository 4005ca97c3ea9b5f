"""Outgoing mail: who is told what (contacts.py, buyers.py, digest.py), queued in the outbox
and delivered by SMTP, or printed or logged without a mail server (logic.py)."""
