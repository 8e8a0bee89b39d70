"""Reading files, folders and stdin into clean text (sco_graph.read.reader)."""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import pytest
from conftest import CORPUS
from hypothesis import given
from hypothesis import strategies as st

from sco_graph.errors import InputError
from sco_graph.read.reader import (
    STDIN,
    clean,
    decode,
    iter_sources,
    list_inputs,
    read_input,
    read_source,
    read_stream,
)
from sco_graph.types import Problem, SourceText

RUSSIAN = "Президент Казахстана встретился с министрами иностранных дел ШОС в Астане.\n"
FRENCH = "Président Tokaïev a rencontré les ministres à Astana. Réunion élargie.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def read_bytes(tmp_path: Path, data: bytes) -> str:
    return read_source(write(tmp_path, "input.txt", data)).text


# --- decoding -------------------------------------------------------------


def test_utf8_file_gives_its_text_name_and_path(tmp_path: Path) -> None:
    path = write(tmp_path, "story.txt", "Astana hosts the SCO summit – 2024\n".encode())
    source = read_source(path)
    assert source == SourceText(
        name="story.txt", path=str(path), text="Astana hosts the SCO summit – 2024\n"
    )


def test_read_source_accepts_a_string_path(tmp_path: Path) -> None:
    path = write(tmp_path, "story.txt", b"SCO\n")
    assert read_source(str(path)).name == "story.txt"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    assert read_bytes(tmp_path, b"\xef\xbb\xbfSCO summit\n") == "SCO summit\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_bom(tmp_path: Path, encoding: str) -> None:
    # "utf-16"/"utf-32" write a little-endian BOM; the "-be" codecs write none.
    data = "SCO саммит\n".encode(encoding)
    if encoding.endswith("-be"):
        data = "\ufeff".encode(encoding) + data
    assert read_bytes(tmp_path, data) == "SCO саммит\n"


def test_bom_with_invalid_body_names_the_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "odd.txt", b"\xff\xfeS\x00C")  # UTF-16 LE, odd byte count
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert str(caught.value) == (
        f"{path}: starts with a UTF-16-LE byte order mark but is not valid UTF-16-LE (byte 4)"
    )


def test_latin1_is_detected(tmp_path: Path) -> None:
    assert read_bytes(tmp_path, FRENCH.encode("latin-1")) == FRENCH


def test_cp1252_smart_quotes_are_detected(tmp_path: Path) -> None:
    text = "Kazakhstan\u2019s chairmanship: \u201cwe will\u201d \u2013 Tokayev\n"
    assert read_bytes(tmp_path, text.encode("cp1252")) == text


def test_cp1251_is_detected(tmp_path: Path) -> None:
    assert read_bytes(tmp_path, RUSSIAN.encode("cp1251")) == RUSSIAN


def test_undetectable_encoding_is_an_input_error(tmp_path: Path) -> None:
    noise = random.Random(0).randbytes(400).replace(b"\x00", b"\x01")
    path = write(tmp_path, "noise.txt", noise)
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert caught.value.cause == "cannot detect the text encoding (it is not UTF-8)"


# --- cleaning ---------------------------------------------------------------


def test_crlf_and_lone_cr_become_lf(tmp_path: Path) -> None:
    assert read_bytes(tmp_path, b"one\r\ntwo\rthree\n") == "one\ntwo\nthree\n"


def test_control_characters_are_removed_but_tab_and_newline_kept(tmp_path: Path) -> None:
    data = "S\x01C\x07O\x1b\t2024\x7f\u0085\n".encode()
    assert read_bytes(tmp_path, data) == "SCO\t2024\n\n"


def test_zero_width_characters_and_soft_hyphens_are_dropped() -> None:
    assert clean("Sh\u200banghai Co\u00adoperation\u2060 Org\u200d\ufeff") == (
        "Shanghai Cooperation Org"
    )


def test_no_break_spaces_become_spaces() -> None:
    assert clean("Xi\u00a0Jinping\u202fsaid\u2007so") == "Xi Jinping said so"


def test_page_and_line_separators_break_lines() -> None:
    assert clean("one\x0ctwo\u2028three\u2029four\x0bfive") == "one\ntwo\nthree\nfour\nfive"


# --- files that are not text ------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_source(tmp_path / "nowhere.txt")
    assert str(caught.value) == f"{tmp_path / 'nowhere.txt'}: no such file"


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_source(tmp_path)
    assert str(caught.value) == f"{tmp_path}: is a folder, not a file"


@pytest.mark.parametrize(
    "data", [b"", b"  \n\t\r\n ", "\u200b\ufeff \u00a0\n".encode(), b"\xef\xbb\xbf\n"]
)
def test_empty_or_blank_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "empty.txt", data)
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert str(caught.value) == f"{path}: file is empty"


def test_file_with_nul_bytes_is_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert str(caught.value) == f"{path}: looks like a binary file (it contains NUL bytes)"


def test_nul_bytes_in_utf16_with_bom_are_text(tmp_path: Path) -> None:
    assert read_bytes(tmp_path, "SCO".encode("utf-16")) == "SCO"


# --- streams and many inputs ------------------------------------------------


def test_read_stream_uses_the_given_name() -> None:
    source = read_stream(io.BytesIO(b"\xef\xbb\xbfSCO\r\n"))
    assert source == SourceText(name="<stdin>", path="<stdin>", text="SCO\n")
    assert read_stream(io.BytesIO(b"x"), name="pipe").name == "pipe"


def test_read_stream_rejects_empty_input() -> None:
    with pytest.raises(InputError) as caught:
        read_stream(io.BytesIO(b"\n"))
    assert str(caught.value) == "<stdin>: file is empty"


def test_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"SCO summit\n")))
    assert list(iter_sources(["-"])) == [
        SourceText(name="<stdin>", path="<stdin>", text="SCO summit\n")
    ]


def test_empty_stdin_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert list(iter_sources(["-"])) == [Problem("<stdin>", "file is empty")]


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.txt", "a/b/c.txt", "c.md", ".hidden.txt", ".cache/d.txt"]:
        write(tmp_path, name, name.encode())
    sources = list(iter_sources([tmp_path]))
    assert [source.text for source in sources] == ["a/b/c.txt", "a/z.txt", "b.txt"]
    assert [source.name for source in sources] == ["c.txt", "z.txt", "b.txt"]


def test_folder_glob_selects_other_files(tmp_path: Path) -> None:
    write(tmp_path, "x/notes.md", b"# SCO")
    write(tmp_path, "story.txt", b"SCO")
    assert [source.name for source in iter_sources([tmp_path], glob="*.md")] == ["notes.md"]


def test_folder_without_matching_files_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "notes.md", b"SCO")
    assert list(iter_sources([tmp_path])) == [
        Problem(str(tmp_path), "no files matching '*.txt' in this folder")
    ]


def test_unreadable_inputs_are_problems_and_the_run_goes_on(tmp_path: Path) -> None:
    write(tmp_path, "in/1_empty.txt", b"")
    write(tmp_path, "in/2_binary.txt", b"\x00\x01\x02")
    good = write(tmp_path, "in/3_good.txt", b"SCO summit")
    results = list(iter_sources([tmp_path / "in", tmp_path / "missing.txt"]))
    assert results == [
        Problem(str(tmp_path / "in" / "1_empty.txt"), "file is empty"),
        Problem(
            str(tmp_path / "in" / "2_binary.txt"),
            "looks like a binary file (it contains NUL bytes)",
        ),
        SourceText(name="3_good.txt", path=str(good), text="SCO summit"),
        Problem(str(tmp_path / "missing.txt"), "no such file or folder"),
    ]


def test_a_named_file_is_read_whatever_its_suffix_and_only_once(tmp_path: Path) -> None:
    path = write(tmp_path, "story.html", b"SCO")
    results = list(iter_sources([path, tmp_path, str(path)], glob="*.html"))
    assert [source.name for source in results] == ["story.html"]


def test_listing_names_the_inputs_without_reading_them(tmp_path: Path) -> None:
    write(tmp_path, "in/b.txt", b"\x00")  # unreadable: listed all the same
    write(tmp_path, "in/a.txt", b"SCO")
    listed = list(list_inputs([tmp_path / "in", "-", tmp_path / "in" / "a.txt",
                               tmp_path / "none"]))
    assert listed == [tmp_path / "in" / "a.txt", tmp_path / "in" / "b.txt", STDIN,
                      Problem(str(tmp_path / "none"), "no such file or folder")]


def test_a_relative_path_is_read_in_the_folder_given_and_named_as_given(tmp_path: Path) -> None:
    write(tmp_path, "texts/story.txt", b"SCO summit")
    assert read_input(Path("texts/story.txt"), cwd=tmp_path) == SourceText(
        name="story.txt", path="texts/story.txt", text="SCO summit")
    assert read_input(Path("texts/none.txt"), cwd=tmp_path) == Problem(
        "texts/none.txt", "no such file")


def test_the_corpus_reads_cleanly() -> None:
    sources = list(iter_sources([CORPUS]))
    assert [source.name for source in sources] == [
        "000_36e8ee55338207d0.txt",
        "001_379da171dd1113d9.txt",
        "002_087525200bfdace2.txt",
        "003_40421d8e319eeb75.txt",
        "004_9f71f0bf7ef8b156.txt",
    ]
    for source in sources:
        assert isinstance(source, SourceText)
        assert source.text.startswith((" date 20", "Culture, ", "Kazakh President"))
        assert "\r" not in source.text


# --- properties -------------------------------------------------------------

_ALLOWED_CONTROLS = {"\n", "\t"}


def _has_control(text: str) -> bool:
    return any(
        (ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F) and char not in _ALLOWED_CONTROLS
        for char in text
    )


@given(st.text())
def test_any_utf8_text_reads_without_control_characters(text: str) -> None:
    try:
        result = decode(text.encode("utf-8"), "t.txt")
    except InputError as error:
        assert error.cause in {"file is empty", "looks like a binary file (it contains NUL bytes)"}
        return
    assert not _has_control(result)
    assert "\r" not in result and "\ufeff" not in result and "\u00a0" not in result
    assert result.strip()


@given(st.binary(max_size=300))
def test_any_bytes_read_as_clean_text_or_an_input_error(data: bytes) -> None:
    try:
        result = decode(data, "b.bin")
    except InputError as error:
        assert error.path == "b.bin"
        return
    assert not _has_control(result)
