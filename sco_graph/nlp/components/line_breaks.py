"""Paragraph breaks are sentence breaks.

Press texts put headlines, captions and list items on lines of their own,
without a full stop; left alone, the parser glues them to the next sentence.
This component runs before the parser and marks the token after every line
break as a sentence start (the parser keeps boundaries set before it).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class LineBreakSentencizer:
    def __call__(self, doc: Doc) -> Doc:
        for token in doc[:-1]:
            if "\n" in token.text or token.whitespace_.count("\n"):
                doc[token.i + 1].is_sent_start = True
        return doc


@Language.factory("sco_line_breaks", assigns=["token.is_sent_start"])
def make_line_breaks(nlp: Language, name: str) -> LineBreakSentencizer:
    return LineBreakSentencizer()
