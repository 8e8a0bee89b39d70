"""The `Doc.spans` keys our components write, in one place.

The spans never leave the nlp and extract stages: `extract/` reads them and
hands on plain dataclasses (`types.py`). Who writes which key:

- `GAZETTEER`: the gazetteer's span rulers (nlp/model.py), known names;
- `NAMES`: the name chunker, names of documents, events, initiatives, bodies;
- `TITLED_PEOPLE` and `TITLES`: the title reader, a person and the title
  before the name ("Minister of Foreign Affairs of Russia" / "Sergey Lavrov"),
  pairwise in the same order;
- `ENTITIES`: the entity selector, the entities of the story (its `attrs`
  hold which spans are top-level, as `doc.ents`).
"""

GAZETTEER = "sco_gazetteer"
NAMES = "sco_names"
TITLED_PEOPLE = "sco_titled_people"
TITLES = "sco_titles"
ENTITIES = "sco_entities"
