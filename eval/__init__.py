"""Evaluation of enrichment: seed actor gold, GermEval 2014 NER, Wikinews quote speakers, speed."""
