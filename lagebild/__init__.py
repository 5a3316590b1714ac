"""Lagebild core: the article model, parser, inbox, settings and the pure enrichment.

Imports none of flows/, warehouse/, dashboard/ or cli/ (checked by tests/test_layers.py).
"""
