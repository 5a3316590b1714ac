"""Pure enrichment: articles in, frozen Enrichment records out.

    res = load_resources(overlay_path, model)   # reads registry, lexicon, overlay
    results = enrich(articles, res)              # pure; builds the spaCy pipeline once per process
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["Resources", "enrich", "load_resources"]

if TYPE_CHECKING:
    from lagebild.enrich.core import enrich
    from lagebild.enrich.resources import Resources, load_resources


def __getattr__(name: str) -> Any:
    """Import lazily so that `import lagebild.enrich.model` stays light."""
    if name == "enrich":
        from lagebild.enrich.core import enrich
        return enrich
    if name in ("Resources", "load_resources"):
        from lagebild.enrich import resources
        return getattr(resources, name)
    raise AttributeError(name)
