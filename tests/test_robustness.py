"""Bad inputs and everyday mistakes (issue 13): nothing lost, nothing let in.

Each test is one item of the issue, run through the command line on files made
here. "Intact" means every earlier output file is byte-identical.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Dataset

from sco_graph.cli import main
from sco_graph.graph.store import STORE_FOLDER, KnowledgeGraph
from sco_graph.read.reader import read_source

pytestmark = pytest.mark.slow

STORY = (
    " date 2024-07-04 Kazakh President Kassym-Jomart Tokayev met Chinese President "
    "Xi Jinping in Astana.\n\nThe leaders discussed the SCO Anti-Drug Strategy for 2024-2029.\n"
)
OTHER = (" date 2024-07-05\nSummit ends\n\n"
         "President Tokayev said the SCO summit in Astana ended on Friday.\n")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a build folder, and the store's content (its files are RocksDB's)."""
    return {path.name: (KnowledgeGraph.load(folder).serialize("nq") if path.is_dir()
                        else path.read_bytes())
            for path in sorted(folder.iterdir())}


@pytest.fixture
def existing(tmp_path: Path, nlp) -> Path:
    """A build folder with a graph of two stories."""
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(STORY, encoding="utf-8")
    (texts / "b.txt").write_text(OTHER, encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", str(texts), "--out", str(out), "-q")
    assert result.exit_code == 0, result.output
    return out


# -- 1, 2: a mistyped path never empties a graph --------------------------------------------


def test_a_missing_input_path_is_an_error_and_the_graph_is_intact(existing, tmp_path):
    before = snapshot(existing)
    result = run("build", str(tmp_path / "TYPO"), "--out", str(existing))
    assert result.exit_code == 8
    assert result.output == f"Error: {tmp_path / 'TYPO'}: no such file or folder\n"
    assert snapshot(existing) == before


def test_a_missing_path_among_good_ones_writes_nothing_either(existing, tmp_path):
    before = snapshot(existing)
    result = run("build", str(tmp_path / "texts"), str(tmp_path / "TYPO"), "--out", str(existing))
    assert result.exit_code == 8
    assert snapshot(existing) == before


def test_inputs_without_a_story_write_nothing(existing, tmp_path):
    before = snapshot(existing)
    (tmp_path / "empty.txt").write_text(" \n", encoding="utf-8")
    (tmp_path / "nothing").mkdir()
    for given in (tmp_path / "empty.txt", tmp_path / "nothing"):
        result = run("build", str(given), "--out", str(existing))
        assert result.exit_code == 8, result.output
        assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
        assert "nothing written" in result.output
        assert snapshot(existing) == before


def test_update_prune_with_a_missing_path_touches_nothing(existing, tmp_path):
    before = snapshot(existing)
    result = run("build", "--update", str(existing), str(tmp_path / "TYPO"), "--prune")
    assert result.exit_code == 8
    assert "TYPO: no such file or folder" in result.output
    assert snapshot(existing) == before


def test_update_prune_with_only_unreadable_inputs_touches_nothing(existing, tmp_path):
    before = snapshot(existing)
    (tmp_path / "texts" / "a.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "texts" / "b.txt").write_bytes(b"")
    result = run("build", "--update", str(existing), str(tmp_path / "texts"), "--prune")
    assert result.exit_code == 8, result.output
    assert snapshot(existing) == before
    assert KnowledgeGraph.load(existing).article_keys() == ["a.txt#0", "b.txt#0"]


# -- 3: exit codes --------------------------------------------------------------------------


def test_skipped_inputs_have_their_own_exit_code_documented_in_help(tmp_path, nlp):
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x00")
    result = run("build", str(tmp_path), "--out", str(tmp_path / "o"), "-q")
    assert result.exit_code == 9
    assert result.output == f"Warning: {tmp_path / 'bad.txt'}: looks like a binary file " \
                            "(it contains NUL bytes)\n"
    for args in (["--help"], ["build", "--help"]):
        text = run(*args).output
        assert "Exit codes:" in text
        for code in range(10):
            assert f"\n    {code}  " in text
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert "| 9 |" in readme and "exit code" in readme.lower()


# -- 4-7: reading -----------------------------------------------------------------------------


def _labels(out: Path) -> set[str]:
    from rdflib import RDFS

    graph = Dataset(default_union=True)
    graph.parse(out / "graph.trig", format="trig")
    return {str(o) for o in graph.objects(None, RDFS.label)}


def test_cp1252_is_read_as_cp1252_with_a_warning(tmp_path, nlp):
    text = ("\u201cKazakh President Kassym-Jomart Tokayev met Zolt\u00e1n T\u00f6m\u00f6sv\u00e1ry "
            "in Astana,\u201d the ministry\u2019s statement said.\n")
    (tmp_path / "w.txt").write_bytes(text.encode("cp1252"))
    result = run("build", str(tmp_path / "w.txt"), "--out", str(tmp_path / "o"), "-q")
    assert result.exit_code == 0, result.output
    assert result.output == f"Warning: {tmp_path / 'w.txt'}: not UTF-8: read as cp1252\n"
    trig = (tmp_path / "o" / "graph.trig").read_text(encoding="utf-8")
    assert "ministry\u2019s" in trig and "\u00e2\u20ac" not in trig
    assert "Kassym-Jomart Tokayev" in _labels(tmp_path / "o")


def test_utf8_with_a_stray_byte_stays_utf8(tmp_path, nlp):
    data = ("Kazakhstan\u2019s President Kassym-Jomart Tokayev met Xi Jinping in Astana. "
            "The leaders\u2019 talks went well.").encode() + b" It\x92s over.\n"
    (tmp_path / "s.txt").write_bytes(data)
    result = run("build", str(tmp_path / "s.txt"), "--out", str(tmp_path / "o"), "-q")
    assert result.exit_code == 0, result.output
    offset = data.index(b"\x92")
    assert result.output == (f"Warning: {tmp_path / 's.txt'}: byte {offset} (0x92) is not valid "
                             "UTF-8: read as UTF-8 with U+FFFD there\n")
    text = read_source(tmp_path / "s.txt").text
    assert "Kazakhstan\u2019s" in text and "leaders\u2019 talks" in text
    assert "It\ufffds over" in text
    assert "Kassym-Jomart Tokayev" in _labels(tmp_path / "o")


def test_utf8_truncated_mid_character_is_read_as_utf8(tmp_path, nlp):
    data = "Kassym-Jomart Tokayev met Xi Jinping in Astana \u2014 \u201cfriends\u201d".encode()
    (tmp_path / "t.txt").write_bytes(data[:-1])
    result = run("build", str(tmp_path / "t.txt"), "--out", str(tmp_path / "o"), "-q")
    assert result.exit_code == 0, result.output
    assert "truncated" in result.output and result.output.count("\n") == 1
    assert read_source(tmp_path / "t.txt").text.endswith("Astana \u2014 \u201cfriends")


NOT_TEXT = "\ufffe\uffff\ufdd0\U0001fffe\U0010ffff\x01\x1f\x7f\x80\x9f"


def test_characters_that_are_not_text_never_reach_an_export(tmp_path, nlp):
    story = (f" date 2024-07-04 Kazakh President Kassym-Jomart{NOT_TEXT[:3]} Tokayev met "
             f"Chinese President Xi{NOT_TEXT[3:6]} Jinping in Astana{NOT_TEXT[6:]}.\n")
    (tmp_path / "x.txt").write_text(story, encoding="utf-8")
    out = tmp_path / "o"
    result = run("build", str(tmp_path / "x.txt"), "--out", str(out), "-q",
                 "--format", "nt", "--format", "jsonld", "--format", "gexf")
    assert result.exit_code == 0, result.output
    formats = {"trig": "trig", "ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}
    for suffix, fmt in formats.items():
        data = (out / f"graph.{suffix}").read_text(encoding="utf-8")
        assert not any(char in data for char in NOT_TEXT), suffix
        Dataset().parse(data=data, format=fmt)
    for suffix, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        graph = reader(out / f"graph.{suffix}")
        assert graph.number_of_nodes() > 0
    assert "Kassym-Jomart Tokayev" in _labels(out)


# -- 10, 11: file names and links -------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path, nlp):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/\xff.txt"
    with open(raw, "wb") as handle:
        handle.write(STORY.encode())
    with open(os.fsencode(folder) + b"/\xfe bad.txt", "wb") as handle:
        handle.write(b"\x00\x00")
    out = tmp_path / "o"
    result = run("build", str(folder), "--out", str(out), "--format", "nt", "--format", "jsonld")
    assert result.exit_code == 9, result.output
    assert f"Warning: {folder}/\\xfe bad.txt: looks like a binary file" in result.output
    assert "Read 1 articles from 1 files (1 skipped)" in result.output
    nt = (out / "graph.nt").read_text(encoding="utf-8")
    assert "\\\\xff.txt" in nt or "\\xff.txt" in nt
    Dataset().parse(out / "graph.nt", format="nt")
    assert KnowledgeGraph.load(out).article_keys() == ["\\xff.txt#0"]


def test_a_link_out_of_the_folder_is_skipped_unless_followed(tmp_path, nlp):
    outside = tmp_path / "secret.txt"
    outside.write_text(OTHER, encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY, encoding="utf-8")
    (folder / "inside.txt").symlink_to(folder / "a.txt")  # inside: read (once)
    (folder / "link.txt").symlink_to(outside)
    result = run("build", str(folder), "--out", str(tmp_path / "o"), "-q")
    assert result.exit_code == 0, result.output
    assert result.output == (f"Warning: {folder / 'link.txt'}: symbolic link to {outside}, "
                             f"outside {folder}: skipped (--follow-symlinks reads it)\n")
    assert KnowledgeGraph.load(tmp_path / "o").article_keys() == ["a.txt#0"]
    result = run("build", str(folder), "--out", str(tmp_path / "f"), "-q", "--follow-symlinks")
    assert result.exit_code == 0, result.output
    assert KnowledgeGraph.load(tmp_path / "f").article_keys() == ["a.txt#0", "link.txt#0"]


# -- 8: zero-width characters inside a name --------------------------------------------------

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u00ad", "\u2060"]


@pytest.mark.parametrize("char", ZERO_WIDTH)
def test_a_zero_width_character_in_a_name_gives_the_plain_iri(char):
    from sco_graph.graph.iri import mint
    from sco_graph.names import normalise

    assert normalise(f"Kassym-Jomart Tok{char}ayev") == "kassym jomart tokayev"
    assert mint("person", f"Tok{char}ayev") == mint("person", "Tokayev")


def test_the_graph_has_one_node_and_the_evidence_keeps_the_text(tmp_path):
    import datetime as dt

    from rdflib import Literal

    from sco_graph.graph.iri import mint
    from sco_graph.graph.vocab import RDF, SCO
    from sco_graph.pipeline import grow, new_graph
    from sco_graph.types import (
        Article,
        ArticleExtraction,
        Entity,
        EntityType,
        Evidence,
        Fact,
        Mention,
        Predicate,
    )

    hidden = "Xi\u200bJin\u00adping"
    sentence = f"Tokayev met {hidden} in Astana."
    start = sentence.index(hidden)

    def person(name: str, at: int) -> Entity:
        return Entity(f"person:{name}", EntityType.PERSON, name,
                      mentions=(Mention(name, at, at + len(name), 0, "test"),))

    evidence = Evidence("a.txt#0", sentence, 0, len(sentence), "test", 0.8)
    extraction = ArticleExtraction(
        Article("a.txt", 0, sentence, date=dt.date(2024, 7, 4)),
        entities=(person("Tokayev", 0), person(hidden, start)),
        facts=(Fact("person:Tokayev", Predicate.MET, f"person:{hidden}", evidence),),
    )
    graph = new_graph()
    grow(graph, [extraction])
    union = graph.union_graph()
    assert set(union.subjects(RDF.type, SCO.Person)) == {
        mint("person", "Tokayev"), mint("person", "XiJinping")}
    (fact,) = union.subjects(RDF.predicate, SCO.met)
    assert union.value(fact, SCO.sentence) == Literal(sentence)
    assert union.value(fact, SCO.sentenceEnd).toPython() == len(sentence)


# -- 13, 14: writing ---------------------------------------------------------------------------


def _hand_edited(out: Path, old: str, new: str) -> None:
    """A saved graph.trig edited by hand: `old` (a term as the file spells it) -> `new`, in
    a folder written before the store existed (the file is the graph)."""
    shutil.rmtree(out / STORE_FOLDER)
    trig = out / "graph.trig"
    text = trig.read_text(encoding="utf-8")
    assert old in text
    trig.write_text(text.replace(old, new), encoding="utf-8")


def test_a_term_no_writer_can_write_is_one_line_and_nothing_is_replaced(existing, tmp_path):
    _hand_edited(existing, '"Astana"', '"Ast\\u0001ana"')
    before = snapshot(existing)
    target = tmp_path / "old.graphml"
    target.write_bytes(b"old")
    result = run("export", str(existing), "--format", "graphml", "-o", str(target))
    assert result.exit_code == 1
    assert result.output.startswith("Error: story a.txt#0: control character in the literal"), (
        result.output)
    assert result.output.count("\n") == 1 and "nothing written" in result.output
    assert target.read_bytes() == b"old"
    assert snapshot(existing) == before


def test_an_iri_that_is_not_one_makes_the_graph_file_unreadable(existing, tmp_path):
    _hand_edited(existing, "country:kazakhstan",
                 "<https://w3id.org/sco-graph/country/kazakh\\u0020stan>")
    before = snapshot(existing)
    target = tmp_path / "old.graphml"
    target.write_bytes(b"old")
    result = run("export", str(existing), "--format", "graphml", "-o", str(target))
    assert result.exit_code == 5
    assert result.output.startswith(f"Error: {existing / 'graph.trig'}: not valid trig ("), (
        result.output)
    assert result.output.count("\n") == 1
    assert target.read_bytes() == b"old"
    assert snapshot(existing) == before


def test_a_control_character_in_a_saved_graph_fails_an_update_before_any_write(
        existing, tmp_path):
    _hand_edited(existing, '"Astana"', '"Ast\\u0001ana"')
    before = snapshot(existing)
    (tmp_path / "c.txt").write_text(OTHER.replace("Friday", "Monday"), encoding="utf-8")
    result = run("build", "--update", str(existing), str(tmp_path / "c.txt"), "-q")
    assert result.exit_code == 1, result.output
    assert result.output == ("Error: story a.txt#0: control character in the literal "
                             '"Ast\\x01ana": no writer can write it; nothing written\n')
    assert snapshot(existing) == before


def test_a_full_disk_leaves_the_whole_earlier_set_and_no_temporary_file(
        existing, tmp_path, monkeypatch):
    import errno

    import sco_graph.atomic as atomic

    before = snapshot(existing)
    written = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:  # graph.graphml, written after graph.trig and graph.ttl,
        name = Path(os.readlink(f"/proc/self/fd/{fd}")).name  # finds the disk full
        written.append(name.split(".tmp")[0].lstrip(".").rsplit(".", 1)[0])
        if name.startswith(".graph.graphml."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    (tmp_path / "c.txt").write_text(OTHER.replace("Friday", "Monday"), encoding="utf-8")
    result = run("build", "--update", str(existing), str(tmp_path / "c.txt"), "-q",
                 "--format", "nt")
    exports = [name for name in written if name.startswith("graph.")]
    assert sorted(exports[:-1]) == ["graph.trig", "graph.ttl"]
    assert exports[-1] == "graph.graphml"
    assert result.exit_code == 1, result.output
    assert result.output == (f"Error: {existing / 'graph.graphml'}: cannot write (No space "
                             "left on device); the earlier files are left as they were\n")
    assert snapshot(existing) == before  # graph.trig and graph.ttl of the old build too
    monkeypatch.undo()
    result = run("build", "--update", str(existing), str(tmp_path / "c.txt"), "-q",
                 "--format", "nt")
    assert result.exit_code == 0, result.output
    assert sorted(snapshot(existing)) == ["graph.graphml", "graph.nt", "graph.oxigraph",
                                          "graph.trig", "graph.ttl", "sources.json"]


# -- 15: the same bytes whatever the hash seed and the input order ----------------------------


def test_every_export_is_byte_identical_across_hash_seeds_and_input_order(tmp_path, nlp):
    import subprocess
    import sys

    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(STORY, encoding="utf-8")
    (texts / "b.txt").write_text(OTHER + "\n\n" + STORY.replace("Astana", "Bishkek"),
                                 encoding="utf-8")
    orders = {"ab": ["a.txt", "b.txt"], "ba": ["b.txt", "a.txt"]}
    formats = ["--format", "nt", "--format", "nq", "--format", "jsonld", "--format", "gexf",
               "--format", "csv"]
    outputs = {}
    # (1, ab) and (2, ab) differ in the seed only, (2, ab) and (2, ba) in the order only
    for seed, name in (("1", "ab"), ("2", "ab"), ("2", "ba")):
        out = tmp_path / f"out-{seed}-{name}"
        subprocess.run(
            [str(Path(sys.executable).parent / "sco-graph"), "build",
             *(str(texts / f) for f in orders[name]), "--out", str(out), "-q", *formats],
            check=True, env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs[seed, name] = {
            str(path.relative_to(out)): path.read_bytes()
            for path in sorted(out.rglob("*"))
            if path.is_file() and STORE_FOLDER not in path.parts  # RocksDB's own files
        }
    first = outputs["1", "ab"]
    assert sorted(first) == ["csv/edges.csv", "csv/nodes.csv", "graph.gexf", "graph.graphml",
                             "graph.jsonld", "graph.nq", "graph.nt", "graph.trig", "graph.ttl",
                             "sources.json"]
    for key, files in outputs.items():
        for file, data in files.items():
            assert data == first[file], (key, file)


# -- 12: a long story is read in parts, with offsets into the whole story ----------------------


def _long_story(rounds: int = 300) -> str:
    people = ["Xi Jinping", "Vladimir Putin", "Narendra Modi", "Shavkat Mirziyoyev",
              "Sadyr Japarov", "Emomali Rahmon"]
    return "\n\n".join(
        f"In round {n} of the talks in Astana, Kazakh President Kassym-Jomart Tokayev met "
        f"{people[n % len(people)]}. Delegations discussed trade, transport and security "
        "at length, and agreed to meet again in the coming months."
        for n in range(rounds)
    )


def test_progress_is_reported_part_by_part_within_a_long_story(nlp):
    from sco_graph.extract import article as article_module
    from sco_graph.extract.article import extract
    from sco_graph.types import Article

    text = _long_story()
    seen: list[str] = []
    (result,) = extract([Article("long.txt", 0, text)], nlp, on_read=seen.append)
    assert len(seen) >= 3 and max(map(len, seen)) <= article_module.PART_LENGTH
    assert "".join(seen) == text  # every part once, in order, before the story is done
    assert result.facts


def test_the_build_bar_moves_while_a_long_story_is_read(tmp_path):
    """On a terminal, `sco-graph build` of one long story shows the bar advancing
    (several percentages below 100) before the story is done."""
    import pty
    import subprocess
    import sys

    (tmp_path / "long.txt").write_text(_long_story(), encoding="utf-8")
    primary, secondary = pty.openpty()
    command = [str(Path(sys.executable).parent / "sco-graph"), "build",
               str(tmp_path / "long.txt"), "--out", str(tmp_path / "out")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=secondary,
                               stdin=subprocess.DEVNULL)
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the terminal closed: the build is over
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    assert process.wait(timeout=600) == 0, shown.decode(errors="replace")
    percents = {int(p) for p in re.findall(rb"Reading .*?(\d+)%", shown)}
    assert len({p for p in percents if p < 100}) >= 2, shown.decode(errors="replace")
    assert b"1 stories" in shown


def test_a_long_story_is_read_in_bounded_parts_with_correct_offsets(nlp, monkeypatch):
    from sco_graph.extract import article as article_module
    from sco_graph.extract.article import extract
    from sco_graph.types import Article

    people = ["Xi Jinping", "Vladimir Putin", "Narendra Modi", "Shavkat Mirziyoyev",
              "Sadyr Japarov", "Emomali Rahmon"]
    paragraphs = [
        f"In round {n} of the talks in Astana, Kazakh President Kassym-Jomart Tokayev met "
        f"{people[n % len(people)]}. Delegations discussed trade, transport and security "
        "at length, and agreed to meet again in the coming months."
        for n in range(300)
    ]
    text = "\n\n".join(paragraphs)
    assert len(text) > 2 * article_module.PART_LENGTH
    read: list[int] = []
    batches: list[int] = []
    pipe = nlp.pipe

    def spy(texts, *args, **kwargs):
        texts = list(texts)
        lengths = [len(item[0] if kwargs.get("as_tuples") else item) for item in texts]
        read.extend(lengths)
        batches.append(sum(lengths))
        return pipe(texts, *args, **kwargs)

    monkeypatch.setattr(nlp, "pipe", spy)
    story = Article("long.txt", 0, text)
    (result,) = extract([story], nlp)
    assert len(read) > 1 and max(read) <= article_module.PART_LENGTH  # never the whole story
    assert max(batches) <= article_module.BATCH_CHARACTERS  # nor too many parts at once
    assert result.facts and len(result.sentences) >= 2 * len(paragraphs)
    for fact in result.facts:
        evidence = fact.evidence
        assert text[evidence.start:evidence.end] == evidence.sentence
    for entity in result.entities:
        for mention in entity.mentions:
            assert text[mention.start:mention.end] == mention.text
    met = {e.name for e in result.entities}
    assert {"Kassym-Jomart Tokayev", *people} <= met
    last = text.rindex("Emomali Rahmon")
    assert any(m.start == last for e in result.entities for m in e.mentions)


def test_parts_are_cut_at_paragraphs_then_sentences():
    from sco_graph.extract.article import _parts

    text = "One two three. Four five six. " * 5 + "\n\n" + "Seven eight nine. " * 30
    parts = list(_parts(text, 200))
    assert "".join(part for _offset, part in parts) == text
    assert all(text[offset:offset + len(part)] == part for offset, part in parts)
    assert all(len(part) <= 200 for _offset, part in parts)
    assert parts[0][1].endswith("\n\n")  # the paragraph break, in the second half
    assert all(part.endswith(". ") for _offset, part in parts[1:-1])  # else a sentence end
