"""The buyer's dashboard: every supplier at a glance, filtered, sorted and counted."""
