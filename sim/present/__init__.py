"""Presenting results: publication figures, reports and the dashboard."""
