"""A name spelled with look-alike letters of another script is never silent."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sco_graph.read.reader import decode_text, mixed_script_words


def test_words_mixing_latin_with_cyrillic_or_greek_are_found() -> None:
    text = "Leaders met in \u0410stana and \u039cinsk; Москва and Astana are fine."
    assert mixed_script_words(text) == ["\u0410stana", "\u039cinsk"]


def test_reading_such_a_file_warns_naming_the_words() -> None:
    text, warnings = decode_text("Leaders met in \u0410stana.\n".encode(), "a.txt")
    assert text.startswith("Leaders met in \u0410stana.")
    assert warnings == (
        "1 word(s) mix Latin with Cyrillic or Greek letters that look alike "
        "('\u0410stana'): a name spelled so is another name",
    )


@pytest.mark.slow
def test_the_build_warns_on_stderr_naming_the_file(tmp_path) -> None:
    from sco_graph.cli import main

    story = tmp_path / "story.txt"
    story.write_text("Leaders met in \u0410stana on Monday.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(story), "--out", str(tmp_path / "out"),
                                       "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"Warning: {story}: 1 word(s) mix Latin with Cyrillic or Greek letters that look "
        "alike ('\u0410stana'): a name spelled so is another name"
    ]
