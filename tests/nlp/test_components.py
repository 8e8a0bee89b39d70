"""Our spaCy components, one at a time, the way spaCy tests its own.

Each test takes a `spacy.blank("en")` with the component added by its factory
name (the `pipeline` fixture) and runs it on a short made-up sentence. The
components read tags, lemmas, entities and sentence starts that a blank
pipeline does not assign, so those are set by hand on a `Doc` (as spaCy's
tests do). The POS and fine tags are what en_core_web_sm assigns to the same
sentence (checked by the slow test at the end); the entities are the ones the
components look at (dates, ordinals, places, people). The slow tests run the
full pipeline (the `nlp` fixture of tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

import sco_graph.nlp.components  # noqa: F401  (registers our factories)
from sco_graph.knowledge.gazetteer import default_gazetteer
from sco_graph.nlp import span_keys
from sco_graph.nlp.components.entity_selector import TOP_LEVEL_ATTR
from sco_graph.nlp.model import gazetteer_patterns

# (text, POS, fine tags, entities): en_core_web_sm's tags for these sentences; the
# model folds "in Ulaanbaatar" into an ORG, here Ulaanbaatar is a GPE of its own
PROGRAMME = (
    "The ministers signed the Programme of Cooperation in Tourism for 2026-2028 on Friday.",
    "DET NOUN VERB DET PROPN ADP PROPN ADP PROPN ADP NUM SYM NUM ADP PROPN PUNCT",
    "DT NNS VBD DT NNP IN NNP IN NNP IN CD SYM CD IN NNP .",
    [(10, 13, "DATE"), (14, 15, "DATE")],
)
MEETING = (
    "He addressed the 12th meeting of the Council of Foreign Ministers in Ulaanbaatar.",
    "PRON VERB DET ADJ NOUN ADP DET PROPN ADP PROPN PROPN ADP PROPN PUNCT",
    "PRP VBD DT JJ NN IN DT NNP IN NNP NNPS IN NNP .",
    [(3, 4, "ORDINAL"), (12, 13, "GPE")],
)
MINISTER = (
    "Minister of Foreign Affairs of Mongolia Batmunkh Battsetseg arrived in Astana.",
    "PROPN ADP PROPN PROPN ADP PROPN PROPN PROPN VERB ADP PROPN PUNCT",
    "NNP IN NNP NNPS IN NNP NNP NNP VBD IN NNP .",
    [(6, 8, "PERSON"), (10, 11, "GPE")],
)


def annotated(
    nlp: Language,
    text: str,
    pos: str,
    tags: str,
    ents: Sequence[tuple[int, int, str]] = (),
    lemmas: dict[int, str] | None = None,
) -> Doc:
    """`text` as one sentence with the given POS tags, fine tags (space-separated,
    one per token), entities (token offsets) and lemmas (lower case unless given)."""
    probe = nlp.make_doc(text)
    words = [t.text for t in probe]
    pos_list, tag_list = pos.split(), tags.split()
    assert len(pos_list) == len(tag_list) == len(words), words
    iob = ["O"] * len(words)
    for start, end, label in ents:
        iob[start:end] = [f"B-{label}"] + [f"I-{label}"] * (end - start - 1)
    lemma_list = [w.lower() for w in words]
    for i, lemma in (lemmas or {}).items():
        lemma_list[i] = lemma
    return Doc(
        nlp.vocab, words=words, spaces=[bool(t.whitespace_) for t in probe],
        pos=pos_list, tags=tag_list, lemmas=lemma_list, ents=iob,
        sent_starts=[True] + [False] * (len(words) - 1),
    )


def spans(doc: Doc, key: str) -> list[tuple[str, int, int, str, str]]:
    return [(s.text, s.start, s.end, s.label_, s.id_) for s in doc.spans[key]]


def add_gazetteer_rulers(nlp: Language) -> None:
    """The gazetteer's two span rulers, wired as nlp/model.py wires them."""
    folded, exact = gazetteer_patterns(default_gazetteer())
    for name, attribute, patterns, overwrite in (
        ("sco_gazetteer", "NORM", folded, True),
        ("sco_gazetteer_acronyms", "ORTH", exact, False),
    ):
        ruler = nlp.add_pipe("span_ruler", name=name, config={
            "spans_key": span_keys.GAZETTEER, "phrase_matcher_attr": attribute,
            "overwrite": overwrite, "validate": False,
        })
        ruler.add_patterns(patterns)


def run_pipeline(nlp: Language, doc: Doc) -> Doc:
    """Every component of `nlp` on a hand-annotated doc (nlp(text) would re-tokenize)."""
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


Pipeline = Callable[..., Language]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    """`pipeline("sco_titles", ...)`: a blank English pipeline with these components
    ("gazetteer" for the gazetteer's two span rulers), built once per module (a
    blank pipeline takes most of a second to build; the components keep no state)."""

    @cache
    def build(*names: str) -> Language:
        nlp = spacy.blank("en")
        for name in names:
            if name == "gazetteer":
                add_gazetteer_rulers(nlp)
            else:
                nlp.add_pipe(name)
        return nlp

    return build


# -- sco_line_breaks --------------------------------------------------------------


def test_line_breaks_paragraph_break_starts_a_sentence(pipeline: Pipeline) -> None:
    nlp = pipeline("sco_line_breaks")
    doc = nlp("SCO envoys gather in Ulaanbaatar\n\nThe talks began on Monday. They ended late.")
    assert [t.text for t in doc][4:7] == ["Ulaanbaatar", "\n\n", "The"]
    # only the token after the break is set; the rest is left to the parser
    assert [t.is_sent_start for t in doc] == [True, *[None] * 5, True, *[None] * 9]
    assert [s.text for s in doc.sents] == [
        "SCO envoys gather in Ulaanbaatar\n\n",
        "The talks began on Monday. They ended late.",
    ]


def test_line_breaks_single_newline_and_padded_newline(pipeline: Pipeline) -> None:
    nlp = pipeline("sco_line_breaks")
    doc = nlp("Headline without a stop\nFirst line of text  \n  second line")
    assert [(s.start, s.end, s.text) for s in doc.sents] == [
        (0, 5, "Headline without a stop\n"),
        (5, 10, "First line of text  \n  "),
        (10, 12, "second line"),
    ]


def test_line_breaks_no_break_sets_nothing(pipeline: Pipeline) -> None:
    nlp = pipeline("sco_line_breaks")
    doc = nlp("One line only. Still the same paragraph.")
    assert not doc.has_annotation("SENT_START")
    assert [t.is_sent_start for t in doc] == [True] + [None] * (len(doc) - 1)
    trailing = nlp("A trailing break\n")  # the last token has no token after it
    assert [t.is_sent_start for t in trailing] == [True, None, None, None]


@pytest.mark.slow
def test_line_breaks_survive_the_parser(nlp: Language) -> None:
    doc = nlp("Mongolian delegation visits Darkhan\nThe delegates met local officials on Monday.")
    assert [s.text for s in doc.sents] == [
        "Mongolian delegation visits Darkhan\n",
        "The delegates met local officials on Monday.",
    ]


# -- sco_name_chunker -------------------------------------------------------------


def test_name_chunker_document_with_its_head_and_extent(pipeline: Pipeline) -> None:
    nlp = pipeline("sco_name_chunker")
    chunker = nlp.get_pipe("sco_name_chunker")
    text, pos, tags, ents = PROGRAMME
    doc = chunker(annotated(nlp, text, pos, tags, ents))
    # "the" is left out, "for 2026-2028" belongs to the name, "on Friday" does not
    assert spans(doc, span_keys.NAMES) == [(
        "Programme of Cooperation in Tourism for 2026-2028", 4, 13, "Document", "names:document",
    )]
    name = doc.spans[span_keys.NAMES][0]
    assert (name.start_char, name.end_char) == (25, 74)


def test_name_chunker_document_with_modifier_before_the_head(pipeline: Pipeline) -> None:
    nlp = pipeline("sco_name_chunker")
    chunker = nlp.get_pipe("sco_name_chunker")
    doc = chunker(annotated(
        nlp,
        "The Ulaanbaatar Declaration on Regional Connectivity, the minister said, was adopted.",
        "DET PROPN PROPN ADP PROPN PROPN PUNCT DET NOUN VERB PUNCT AUX VERB PUNCT",
        "DT NNP NNP IN NNP NNP , DT NN VBD , VBD VBN .",
    ))
    # the comma ends the name: no list goes on after it
    assert spans(doc, span_keys.NAMES) == [(
        "Ulaanbaatar Declaration on Regional Connectivity", 1, 6, "Document", "names:document",
    )]


def test_name_chunker_event_and_the_body_it_names(pipeline: Pipeline) -> None:
    nlp = pipeline("sco_name_chunker")
    chunker = nlp.get_pipe("sco_name_chunker")
    text, pos, tags, ents = MEETING
    doc = chunker(annotated(nlp, text, pos, tags, ents))
    # events keep their place ("the SCO Summit in Astana"); the ordinal is part of the name
    assert spans(doc, span_keys.NAMES) == [
        ("12th meeting of the Council of Foreign Ministers in Ulaanbaatar", 3, 13, "Event",
         "names:event"),
        ("Council of Foreign Ministers", 7, 11, "Organization", "names:organization"),
    ]
    event = doc.spans[span_keys.NAMES][0]
    assert (event.start_char, event.end_char) == (17, 80)


def test_name_chunker_quoted_project_title(pipeline: Pipeline) -> None:
    nlp = pipeline("sco_name_chunker")
    chunker = nlp.get_pipe("sco_name_chunker")
    doc = chunker(annotated(
        nlp, 'They backed the project "Green Steppe Caravan" last year.',
        "PRON VERB DET NOUN PUNCT PROPN PROPN PROPN PUNCT ADJ NOUN PUNCT",
        "PRP VBD DT NN `` NNP NNP NNP '' JJ NN .",
        [(9, 11, "DATE")],
    ))
    # the quotes are not part of the name; "last year" is no "Year of ..." initiative
    assert spans(doc, span_keys.NAMES) == [
        ("Green Steppe Caravan", 5, 8, "Initiative", "names:quoted"),
    ]


@pytest.mark.parametrize(
    ("text", "pos", "tags", "ents", "lemmas"),
    [
        # a generic head word, with or without modifiers, names nothing
        ("The meeting was held on Friday.", "DET NOUN AUX VERB ADP PROPN PUNCT",
         "DT NN VBD VBN IN NNP .", [(5, 6, "DATE")], {}),
        ("The ministers discussed the new plan.", "DET NOUN VERB DET ADJ NOUN PUNCT",
         "DT NNS VBD DT JJ NN .", [], {1: "minister"}),
        # a lower-case plural document head with a topic is not a name
        ("They signed agreements on trade.", "PRON VERB NOUN ADP NOUN PUNCT",
         "PRP VBD NNS IN NN .", [], {2: "agreement"}),
    ],
    ids=["meeting", "new-plan", "agreements-on-trade"],
)
def test_name_chunker_finds_no_name(
    pipeline: Pipeline, text: str, pos: str, tags: str,
    ents: list[tuple[int, int, str]], lemmas: dict[int, str],
) -> None:
    nlp = pipeline("sco_name_chunker")
    chunker = nlp.get_pipe("sco_name_chunker")
    doc = chunker(annotated(nlp, text, pos, tags, ents, lemmas))
    assert spans(doc, span_keys.NAMES) == []


# -- sco_titles -------------------------------------------------------------------


def test_title_reader_title_and_person_with_gazetteer(pipeline: Pipeline) -> None:
    nlp = pipeline("gazetteer", "sco_titles")
    text, pos, tags, _ = MINISTER
    doc = run_pipeline(nlp, annotated(nlp, text, pos, tags))  # no model entities at all
    # the known country stops the name; its title takes it in
    assert spans(doc, span_keys.GAZETTEER) == [
        ("Mongolia", 5, 6, "Country", "mongolia"), ("Astana", 10, 11, "Place", "astana"),
    ]
    assert spans(doc, span_keys.TITLES) == [
        ("Minister of Foreign Affairs of Mongolia", 0, 6, "", ""),
    ]
    assert spans(doc, span_keys.TITLED_PEOPLE) == [
        ("Batmunkh Battsetseg", 6, 8, "Person", "names:titled-person"),
    ]
    person = doc.spans[span_keys.TITLED_PEOPLE][0]
    assert (person.start_char, person.end_char) == (40, 59)


def test_title_reader_uses_model_places_without_gazetteer(pipeline: Pipeline) -> None:
    nlp = pipeline("sco_titles")
    titles = nlp.get_pipe("sco_titles")
    text, pos, tags, ents = MINISTER
    doc = titles(annotated(nlp, text, pos, tags, [(5, 6, "GPE"), *ents]))
    assert spans(doc, span_keys.TITLES) == [
        ("Minister of Foreign Affairs of Mongolia", 0, 6, "", ""),
    ]
    assert spans(doc, span_keys.TITLED_PEOPLE) == [
        ("Batmunkh Battsetseg", 6, 8, "Person", "names:titled-person"),
    ]


def test_title_reader_two_titled_people_in_one_sentence(pipeline: Pipeline) -> None:
    nlp = pipeline("sco_titles")
    titles = nlp.get_pipe("sco_titles")
    doc = titles(annotated(
        nlp,
        "Hungarian Foreign Minister Ildiko Varga-Horvath met SCO Deputy Secretary General "
        "Arman Tulegenov.",
        "ADJ PROPN PROPN PROPN PROPN PUNCT PROPN VERB PROPN PROPN PROPN PROPN PROPN PROPN PUNCT",
        "JJ NNP NNP NNP NNP HYPH NNP VBD NNP NNP NNP NNP NNP NNP .",
    ))
    # the adjective before the title is part of it, the hyphenated name stays whole,
    # and an acronym before a title belongs to the title
    assert spans(doc, span_keys.TITLES) == [
        ("Hungarian Foreign Minister", 0, 3, "", ""),
        ("SCO Deputy Secretary General", 8, 12, "", ""),
    ]
    assert spans(doc, span_keys.TITLED_PEOPLE) == [
        ("Ildiko Varga-Horvath", 3, 7, "Person", "names:titled-person"),
        ("Arman Tulegenov", 12, 14, "Person", "names:titled-person"),
    ]


def test_title_reader_run_on_list_with_initials(pipeline: Pipeline) -> None:
    nlp = pipeline("gazetteer", "sco_titles")
    doc = run_pipeline(nlp, annotated(
        nlp,
        "Vice President of Laos X.Y. Somsavat Prime Minister of Nepal K. P. Oli "
        "Premier of the State Council of China Li Qiang arrived.",
        "PROPN PROPN ADP PROPN PROPN PROPN PROPN PROPN ADP PROPN PROPN PROPN PROPN PROPN ADP "
        "DET PROPN PROPN ADP PROPN PROPN PROPN VERB PUNCT",
        "NNP NNP IN NNP NNP NNP NNP NNP IN NNP NNP NNP NNP NNP IN DT NNP NNP IN NNP NNP NNP "
        "VBD .",
        # the model's reading: it runs the country into the name
        [(3, 4, "GPE"), (9, 13, "PERSON"), (15, 20, "ORG"), (20, 22, "PERSON")],
    ))
    # no commas: a title word after a name starts the next item, with the ordinary
    # word that leads into it ("Prime"); initials belong to the name
    assert spans(doc, span_keys.TITLES) == [
        ("Vice President of Laos", 0, 4, "", ""),
        ("Prime Minister of Nepal", 6, 10, "", ""),
        ("Premier of the State Council of China", 13, 20, "", ""),
    ]
    assert spans(doc, span_keys.TITLED_PEOPLE) == [
        ("X.Y. Somsavat", 4, 6, "Person", "names:titled-person"),
        ("K. P. Oli", 10, 13, "Person", "names:titled-person"),
        ("Li Qiang", 20, 22, "Person", "names:titled-person"),
    ]


def test_title_reader_title_word_inside_a_title_without_a_name(pipeline: Pipeline) -> None:
    nlp = pipeline("gazetteer", "sco_titles")
    doc = run_pipeline(nlp, annotated(
        nlp,
        "Director of the Executive Committee of the SCO RATS Chairman of the SCO Business "
        "Council A.B. Tursunov arrived.",
        "PROPN ADP DET PROPN PROPN ADP DET PROPN PROPN PROPN ADP DET PROPN PROPN PROPN PROPN "
        "PROPN VERB PUNCT",
        "NNP IN DT NNP NNP IN DT NNP NNP NNP IN DT NNP NNP NNP NNP NNP VBD .",
        [(2, 5, "ORG"), (11, 17, "ORG")],
    ))
    # the first title has no name; the title word inside it starts afresh, and the
    # name is not taken for an acronym
    assert spans(doc, span_keys.TITLES) == [
        ("Chairman of the SCO Business Council", 9, 15, "", ""),
    ]
    assert spans(doc, span_keys.TITLED_PEOPLE) == [
        ("A.B. Tursunov", 15, 17, "Person", "names:titled-person"),
    ]


@pytest.mark.parametrize(
    ("text", "pos", "tags", "ents"),
    [
        # a lower-case title word is no title
        ("The minister arrived in Astana.", "DET NOUN VERB ADP PROPN PUNCT",
         "DT NN VBD IN NNP .", [(4, 5, "GPE")]),
        # a title with no name after it: the country is not a person
        ("Minister of Foreign Affairs of Mongolia arrived in Astana.",
         "PROPN ADP PROPN PROPN ADP PROPN VERB ADP PROPN PUNCT",
         "NNP IN NNP NNPS IN NNP VBD IN NNP .", [(5, 6, "GPE"), (8, 9, "GPE")]),
    ],
    ids=["lower-case-title", "title-without-name"],
)
def test_title_reader_finds_no_titled_person(
    pipeline: Pipeline, text: str, pos: str, tags: str, ents: list[tuple[int, int, str]],
) -> None:
    nlp = pipeline("sco_titles")
    titles = nlp.get_pipe("sco_titles")
    doc = titles(annotated(nlp, text, pos, tags, ents))
    assert spans(doc, span_keys.TITLES) == []
    assert spans(doc, span_keys.TITLED_PEOPLE) == []


# -- the gazetteer's span rulers ---------------------------------------------------


def test_gazetteer_rulers_fold_case_and_apostrophes_not_acronyms(
    pipeline: Pipeline,
) -> None:
    doc = pipeline("gazetteer")(
        "The Shanghai Cooperation Organisation and the People’s Republic of China met in "
        "ulaanbaatar; SCO and Sco are not the same."
    )
    # lower case and a curly apostrophe still match a name on NORM; the acronym
    # matches only as written; overlapping names are all kept (sco_entities chooses)
    assert spans(doc, span_keys.GAZETTEER) == [
        ("Shanghai", 1, 2, "Place", "shanghai"),
        ("Shanghai Cooperation Organisation", 1, 4, "Organization", "sco"),
        ("People’s Republic of China", 6, 11, "Country", "china"),
        ("China", 10, 11, "Country", "china"),
        ("ulaanbaatar", 13, 14, "Place", "ulaanbaatar"),
        ("SCO", 15, 16, "Organization", "sco"),
    ]


@pytest.mark.slow
def test_gazetteer_rulers_fold_spelling_on_the_model_vocab(nlp: Language) -> None:
    # the gazetteer spells this body only "Organisation"; the American spelling
    # matches through the model's lexeme_norm table (a blank vocab has none)
    doc = nlp("Delegates of the Shanghai Cooperation Organization Business Council met.")
    assert spans(doc, span_keys.GAZETTEER) == [
        ("Shanghai", 3, 4, "Place", "shanghai"),
        ("Shanghai Cooperation Organization", 3, 6, "Organization", "sco"),
        ("Shanghai Cooperation Organization Business Council", 3, 8, "Organization",
         "sco_business_council"),
    ]


# -- sco_entities -----------------------------------------------------------------


def test_entity_selector_event_holds_the_body_and_place(pipeline: Pipeline) -> None:
    nlp = pipeline("gazetteer", "sco_name_chunker", "sco_entities")
    text, pos, tags, ents = MEETING
    doc = run_pipeline(nlp, annotated(nlp, text, pos, tags, ents))
    assert [(e.text, e.start, e.end, e.label_, e.id_, e.kb_id_) for e in doc.ents] == [
        ("12th meeting of the Council of Foreign Ministers in Ulaanbaatar", 3, 13, "Event",
         "names:event", ""),
    ]
    # the chunker's "Council of Foreign Ministers" gives way to the gazetteer's
    group = doc.spans[span_keys.ENTITIES]
    assert [(s.text, s.start, s.end, s.label_, s.id_, s.kb_id_) for s in group] == [
        ("12th meeting of the Council of Foreign Ministers in Ulaanbaatar", 3, 13, "Event",
         "names:event", ""),
        ("Council of Foreign Ministers", 7, 11, "Organization", "gazetteer", "sco_cfm"),
        ("Ulaanbaatar", 12, 13, "Place", "gazetteer", "ulaanbaatar"),
    ]
    assert group.attrs[TOP_LEVEL_ATTR] == [(3, 13)]


def test_entity_selector_model_fills_the_gaps(pipeline: Pipeline) -> None:
    nlp = pipeline("sco_titles", "sco_entities")
    doc = annotated(
        nlp,
        "Mongolian President Batmunkh Battsetseg met Erdenet Holdings in Darkhan and Mongolia.",
        "ADJ PROPN PROPN PROPN VERB PROPN PROPN ADP PROPN CCONJ PROPN PUNCT",
        "JJ NNP NNP NNP VBD NNP NNPS IN NNP CC NNP .",
        # the model's PERSON overlaps the titled person and gives way to it
        [(0, 1, "NORP"), (1, 4, "PERSON"), (5, 7, "ORG"), (8, 9, "GPE"), (10, 11, "GPE")],
    )
    doc = run_pipeline(nlp, doc)
    assert [(e.text, e.start, e.end, e.label_, e.id_, e.kb_id_) for e in doc.ents] == [
        ("Mongolian", 0, 1, "Country", "gazetteer:demonym-in-title", "mongolia"),
        ("Batmunkh Battsetseg", 2, 4, "Person", "names:titled-person", ""),
        ("Erdenet Holdings", 5, 7, "Organization", "model:ORG", ""),
        ("Darkhan", 8, 9, "Place", "model:GPE", ""),
        ("Mongolia", 10, 11, "Country", "model:GPE", ""),
    ]
    assert doc.spans[span_keys.ENTITIES].attrs[TOP_LEVEL_ATTR] == [
        (0, 1), (2, 4), (5, 7), (8, 9), (10, 11),
    ]


def test_entity_selector_equal_spans_gazetteer_then_names_then_model(pipeline: Pipeline) -> None:
    nlp = pipeline("sco_entities")
    selector = nlp.get_pipe("sco_entities")
    doc = annotated(
        nlp, "Officials of Mongolia and the Gobi Water Fund met.",
        "NOUN ADP PROPN CCONJ DET PROPN PROPN PROPN VERB PUNCT",
        "NNS IN NNP CC DT NNP NNP NNP VBD .",
        [(2, 3, "PERSON"), (5, 8, "ORG")],
    )
    doc.spans[span_keys.GAZETTEER] = [Span(doc, 2, 3, label="Country", span_id="mongolia")]
    doc.spans[span_keys.NAMES] = [
        Span(doc, 2, 3, label="Organization", span_id="names:organization"),
        Span(doc, 5, 8, label="Initiative", span_id="names:initiative"),
    ]
    doc = selector(doc)
    assert [(e.text, e.start, e.end, e.label_, e.id_, e.kb_id_) for e in doc.ents] == [
        ("Mongolia", 2, 3, "Country", "gazetteer", "mongolia"),
        ("Gobi Water Fund", 5, 8, "Initiative", "names:initiative", ""),
    ]


def test_entity_selector_with_nothing_proposed(pipeline: Pipeline) -> None:
    nlp = pipeline("sco_entities")
    selector = nlp.get_pipe("sco_entities")
    doc = selector(annotated(
        nlp, "The talks went well on Monday.", "DET NOUN VERB ADV ADP PROPN PUNCT",
        "DT NNS VBD RB IN NNP .", [(5, 6, "DATE")],
    ))
    assert list(doc.ents) == []
    assert list(doc.spans[span_keys.ENTITIES]) == []
    assert doc.spans[span_keys.ENTITIES].attrs[TOP_LEVEL_ATTR] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (PROGRAMME, [("Programme of Cooperation in Tourism for 2026-2028", 4, 13, "Document", "")]),
        (MEETING, [("12th meeting of the Council of Foreign Ministers in Ulaanbaatar", 3, 13,
                    "Event", "")]),
        (MINISTER, [("Mongolia", 5, 6, "Country", "mongolia"),
                    ("Batmunkh Battsetseg", 6, 8, "Person", ""),
                    ("Astana", 10, 11, "Place", "astana")]),
    ],
    ids=["programme", "meeting", "minister"],
)
def test_full_pipeline_agrees_with_the_hand_annotated_docs(
    nlp: Language, sentence: tuple, expected: list[tuple[str, int, int, str, str]],
) -> None:
    """The same sentences through the statistical model: the hand-set tags above
    are what it assigns, and the domain layer ends at the same entities."""
    text, pos, tags, _ = sentence
    doc = nlp(text)
    assert " ".join(t.pos_ for t in doc) == pos
    assert " ".join(t.tag_ for t in doc) == tags
    assert [(e.text, e.start, e.end, e.label_, e.kb_id_) for e in doc.ents] == expected
