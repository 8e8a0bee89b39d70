"""Name normalisation: the one definition of "the same name".

`normalise` is the rule of ../shared/gold/FORMAT.md (NFKC, case folded,
leading "the " dropped, runs of characters that are not letters or digits
made one space, trimmed). Matching, merging, IRI minting and scoring all use
it, so two names are equal in one place exactly when they are equal in all.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def normalise(name: str) -> str:
    """Return the comparison key of a name.

    >>> normalise("  The SCO’s Anti-Drug Strategy for 2024–2029 ")
    'sco s anti drug strategy for 2024 2029'
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    key = _NOT_LETTER_OR_DIGIT.sub(" ", folded).strip()
    if key.startswith("the "):
        key = key[4:]
    return key
