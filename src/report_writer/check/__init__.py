"""Checking a draft: read → map → extract → judge → report."""
