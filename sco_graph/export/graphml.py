"""GraphML written element by element from the projection's records, never as one tree.

networkx's writer builds the whole document as an ElementTree before writing a
byte: at 10,000 stories (300,000 edges) that tree, the MultiDiGraph and its copy
for GraphML took 2.1 GB. Here each node and edge is made into its own small
element and written at once; the file is byte for byte what networkx's writer
(prettyprinted, plain XML) gives for the same graph, which a test checks:

- keys `d0`, `d1`, ... in the order their attribute is first met (graph, then
  nodes, then edges), listed last first;
- an attribute whose value is None or "" is left out (a typed reader cannot read
  an empty `<data/>` as an int or a double);
- node and edge ids are `graphml_id`s of the IRIs; each edge keeps its IRI in `iri`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from sco_graph.graph.projection import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, Projected
from sco_graph.graph.vocab import ALL_PREFIXES

_XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
_GRAPH = '<graph edgedefault="directed">'
# Indentation as networkx's prettyprint gives it: graphml, graph, node/edge, data.
_IN_GRAPHML, _IN_GRAPH, _IN_ELEMENT = "\n  ", "\n    ", "\n      "
_BATCH = 2000  # elements joined per write

# Longest namespace first, so that an IRI gets the most specific prefix.
_NAMESPACES = sorted(((str(ns), prefix) for prefix, ns in ALL_PREFIXES.items()),
                     key=lambda pair: (-len(pair[0]), pair[1]))

_UNSAFE = re.compile(r"[^A-Za-z0-9.\-:]")

_Element = tuple[str, str, list[tuple[str, Any]]]
"""(tag, its XML attributes written out, GraphML data as (name, value)) of one element."""


def graphml_id(iri: str) -> str:
    """The GraphML id of an IRI: an XML NMTOKEN (the type graphml.xsd gives ids), one
    to one with the IRI. A known namespace becomes its prefix (`person:xi-jinping`);
    any other character than a letter, a digit, `.`, `-` or `:` is `_` and its code
    point in hex, `_` itself included, so two IRIs never share an id.

    >>> graphml_id("https://w3id.org/sco-graph/person/xi-jinping")
    'person:xi-jinping'
    >>> graphml_id("urn:x#a_b c")
    'urn:x_23a_5fb_20c'
    """
    text = iri
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace):
            text = f"{prefix}:{iri[len(namespace):]}"
            break
    escaped = _UNSAFE.sub(lambda match: f"_{ord(match.group()):x}", text)
    if not escaped or escaped[0] in ".-:":  # ids the other way round could clash
        return f"_{escaped}"
    return escaped


def write_graphml(
    parts: Projected,
    stream: BinaryIO,
    node_attributes: Iterable[str] = NODE_ATTRIBUTES,
    edge_attributes: Iterable[str] = EDGE_ATTRIBUTES,
) -> None:
    """Write the projection's records to `stream` as GraphML, one element at a time.
    The records' values are named by `node_attributes` and `edge_attributes`, in order;
    each value is a str, an int, a float or a bool (written `true` / `false`)."""
    names = (tuple(node_attributes), tuple(edge_attributes))
    # Two passes over the records, the first for the keys, which come before the graph:
    # no element is held longer than its own write.
    keys = _keys(parts, *names)
    stream.write(f"{_HEADER}{_IN_GRAPHML}".encode())
    for (name, xml_type, scope), key in reversed(keys.items()):
        stream.write(f'<key id="{key}" for="{scope}" attr.name="{_attribute(name)}" '
                     f'attr.type="{xml_type}" />{_IN_GRAPHML}'.encode())
    last = len(parts.nodes) + len(parts.edges) - 1
    if last < 0:
        stream.write(b'<graph edgedefault="directed" />\n</graphml>\n')
        return
    stream.write(f"{_GRAPH}{_IN_GRAPH}".encode())
    batch: list[str] = []
    for index, (tag, attributes, data) in enumerate(_elements(parts, *names)):
        tail = _IN_GRAPHML if index == last else _IN_GRAPH
        if not data:
            batch.append(f"<{tag} {attributes} />{tail}")
        else:
            batch.append(f"<{tag} {attributes}>")
            for name, value in data:
                text = "true" if value is True else "false" if value is False else str(value)
                batch.append(f'{_IN_ELEMENT}<data key="{keys[_key_of(name, value, tag)]}">'
                             f"{_text(text)}</data>")
            batch.append(f"{_IN_GRAPH}</{tag}>{tail}")
        if len(batch) >= _BATCH:
            stream.write("".join(batch).encode("utf-8"))
            batch.clear()
    batch.append("</graph>\n</graphml>\n")
    stream.write("".join(batch).encode("utf-8"))


def _elements(
    parts: Projected, node_attributes: tuple[str, ...], edge_attributes: tuple[str, ...]
) -> Iterator[_Element]:
    ids: dict[str, str] = {}
    for iri, values in parts.nodes:
        ids[iri] = graphml_id(iri)
        yield ("node", f'id="{_attribute(ids[iri])}"',
               _kept(zip(node_attributes, values, strict=True)))
    for source, target, key, values in parts.edges:
        data = _kept(zip(edge_attributes, values, strict=True))
        data.append(("iri", key))
        source_id = ids.get(source) or graphml_id(source)
        target_id = ids.get(target) or graphml_id(target)
        yield ("edge", f'source="{_attribute(source_id)}" target="{_attribute(target_id)}" '
                       f'id="{_attribute(graphml_id(key))}"', data)


def _kept(data: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(name, value) for name, value in data if value is not None and value != ""]


def _keys(parts: Projected, node_attributes: tuple[str, ...],
          edge_attributes: tuple[str, ...]) -> dict[tuple[str, str, str], str]:
    """Each (attribute, XML type, node or edge) its key id, numbered as first met."""
    keys: dict[tuple[str, str, str], str] = {}
    for scope, names, records in (("node", node_attributes, (v for _, v in parts.nodes)),
                                  ("edge", edge_attributes, (v for *_, v in parts.edges))):
        for values in records:
            for name, value in _kept(zip(names, values, strict=True)):
                keys.setdefault(_key_of(name, value, scope), f"d{len(keys)}")
            if scope == "edge":
                keys.setdefault(("iri", "string", "edge"), f"d{len(keys)}")
    return keys


def _key_of(name: str, value: Any, scope: str) -> tuple[str, str, str]:
    xml_type = _XML_TYPES.get(type(value))
    if xml_type is None:
        raise TypeError(f"GraphML cannot hold a {type(value).__name__} ({name!r})")
    return name, xml_type, scope


# The escaping of ElementTree's writer (networkx's), so that the bytes are the same.
def _text(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute(text: str) -> str:
    text = _text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    for character, reference in (("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if character in text:
            text = text.replace(character, reference)
    return text
