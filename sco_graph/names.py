"""Name normalisation: the one definition of "the same name".

`normalise` is the rule of ../shared/gold/FORMAT.md (NFKC, case folded,
leading "the " dropped, runs of characters that are not letters or digits
made one space, trimmed), after dropping the invisible characters that may sit
inside a word without changing it (zero-width space and joiners, soft hyphen,
word joiner, BOM). Matching, merging, IRI minting and scoring all use
it, so two names are equal in one place exactly when they are equal in all.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
# Zero-width characters: "Tok\u200bayev" is "Tokayev", not "Tok ayev".
_INVISIBLE_IN_WORDS = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")


@lru_cache(maxsize=1 << 16)  # the same few thousand names come again and again
def normalise(name: str) -> str:
    """Return the comparison key of a name.

    >>> normalise("  The SCO’s Anti-Drug Strategy for 2024–2029 ")
    'sco s anti drug strategy for 2024 2029'
    """
    visible = _INVISIBLE_IN_WORDS.sub("", name)
    folded = unicodedata.normalize("NFKC", visible).casefold()
    key = _NOT_LETTER_OR_DIGIT.sub(" ", folded).strip()
    if key.startswith("the "):
        key = key[4:]
    return key
