"""Sign-in: passwords for buyers and admins, one-time links for supplier contacts."""
