"""Minting IRIs: the one function that turns a name into a graph identifier.

IRIs are built from the normalised name (see `names.normalise`), so every
spelling of a name that normalises the same gets the same IRI, and the result
is always a valid IRI: only ASCII letters, digits and "-" in the last segment,
with a short hash where the name has characters outside ASCII or nothing left.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import URIRef

from sco_graph.names import normalise

BASE = "https://w3id.org/sco-graph/"
"""Namespace of everything the pipeline mints (entities, articles, facts)."""

_SLUG_SEPARATOR = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 80


def slug(name: str) -> str:
    """An ASCII slug of a name, stable across runs and machines.

    >>> slug("Kassym-Jomart Tokayev")
    'kassym-jomart-tokayev'
    >>> slug("Türkiye")
    'turkiye'
    """
    key = normalise(name)
    ascii_key = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii")
    text = _SLUG_SEPARATOR.sub("-", ascii_key).strip("-")
    lossy = ascii_key != key and not _transliterates_cleanly(key)
    if len(text) > _MAX_SLUG:
        text = text[:_MAX_SLUG].rstrip("-")
        lossy = True
    if not text or lossy:
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
        text = f"{text}-{digest}" if text else digest
    return text


def _transliterates_cleanly(key: str) -> bool:
    """True when dropping accents is all that ASCII folding did (é -> e)."""
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFKD", key) if not unicodedata.combining(ch)
    )
    return stripped.isascii()


def mint(kind: str, name: str) -> URIRef:
    """The IRI of a thing of `kind` ("person", "article", "fact", …) called `name`.

    >>> str(mint("country", "Kazakhstan"))
    'https://w3id.org/sco-graph/country/kazakhstan'
    """
    kind_slug = _SLUG_SEPARATOR.sub("-", kind.lower()).strip("-")
    if not kind_slug:
        raise ValueError(f"IRI kind {kind!r} has no letters or digits")
    return URIRef(f"{BASE}{kind_slug}/{slug(name)}")
