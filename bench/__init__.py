"""Benchmarks: synthetic spreadsheets and scripts that print figures (see BENCHMARKS.md)."""
