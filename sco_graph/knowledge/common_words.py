"""Ordinary English words, from the statistical pipeline's own lemmatizer tables.

A capitalised word that is also an ordinary word ("Economic", "Extraordinary")
is weak evidence of a name; the title reader and the entity selector use this
to tell "Economic Diplomacy Mahdi Safari" apart and to drop one-word "names"
the model invents.
"""

from __future__ import annotations

from spacy.language import Language


def common_words(nlp: Language) -> frozenset[str]:
    """The words of the lemmatizer's index (empty when the pipeline has none)."""
    words: set[str] = set()
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups
        if lookups.has_table("lemma_index"):
            for entries in lookups.get_table("lemma_index").values():
                words.update(entries)
    return frozenset(words)
