"""`--code` file for `spacy train` / `spacy evaluate` / `spacy package` with ner/configs/gazetteer.cfg."""
from lagebild.enrich.gazetteer import register

register()
