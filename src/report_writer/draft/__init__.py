"""Drafting: load → validate → plan → realize → render."""
