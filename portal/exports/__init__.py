"""Exports for buyers: suppliers, assessments and answers as CSV and XLSX."""
