"""Reproducible German NER training for Lagebild: GermEval 2014 -> spaCy pipeline `de_lagebild_ner`."""
