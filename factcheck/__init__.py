"""Shared code for the fact-check report: data loading and validation, analysis, charts and report assembly."""
