"""Interoperability: the standard covoiturage, published (api) and consumed (operators)."""
