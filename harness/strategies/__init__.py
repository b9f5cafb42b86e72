"""Hypothesis strategies for the data products receive (applicants, loans, amounts …)."""
