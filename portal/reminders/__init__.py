"""Reminders before and after due dates, sent once each by a daily command."""
