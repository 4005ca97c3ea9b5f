"""Buyer and admin accounts, managed by admins: invitations, deactivation, password links."""
