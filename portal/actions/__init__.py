"""Corrective actions: raised from findings, followed by the supplier, verified by the buyer."""
