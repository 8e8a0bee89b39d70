"""Our spaCy components, registered as factories on import (and through the
`spacy_factories` entry point, so `spacy.load` finds them in a saved pipeline)."""

from sco_graph.nlp.components.entity_selector import EntitySelector, make_entity_selector
from sco_graph.nlp.components.line_breaks import LineBreakSentencizer, make_line_breaks
from sco_graph.nlp.components.name_chunker import NameChunker, make_name_chunker
from sco_graph.nlp.components.titles import TitleReader, make_title_reader

__all__ = [
    "EntitySelector",
    "LineBreakSentencizer",
    "NameChunker",
    "TitleReader",
    "make_entity_selector",
    "make_line_breaks",
    "make_name_chunker",
    "make_title_reader",
]
