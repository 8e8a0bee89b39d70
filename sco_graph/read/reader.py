"""Reading input files into clean text: decoding, newlines, invisible characters.

The first stage of the pipeline. It turns bytes (a file, a folder of files or
stdin) into `SourceText`: decoded, with every newline a single LF and without
the control and zero-width characters that scraped pages are full of, so the
later stages can trust that a "\\n" is a line break and a letter is a letter.

A file that cannot be read as text raises `InputError` from `read_source`;
`iter_sources` turns that into a `Problem` so one bad file does not stop a run.
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from sco_graph.errors import InputError
from sco_graph.types import Problem, SourceText

STDIN = "-"
STDIN_NAME = "<stdin>"

# Longest BOMs first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# The legacy encodings press texts in English and Russian arrive in, most
# likely first. On short texts charset-normalizer finds several decodings
# equally plausible (cp1250 for a French cp1252 text, Shift-JIS for a short
# cp1251 one); among the equally plausible ones we take the first of these.
_LEGACY_ENCODINGS = (
    "cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "cp1250",
    "iso8859_2", "iso8859_5", "cp866", "mac_roman", "mac_cyrillic",
)
_CHAOS_TOLERANCE = 0.01
_COHERENCE_TOLERANCE = 0.1

# Characters Unicode counts as line breaks (str.splitlines) besides LF and CR:
# they separate lines, so they become LF rather than vanish and glue words.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# C0/C1 controls except TAB and LF, plus invisible format characters (BOM,
# zero-width space/joiners, word joiner, soft hyphen, direction marks) that
# would split or hide words from the matchers.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2060-\u2064\ufeff\ufff9-\ufffb]"
)
_NO_BREAK_SPACES = re.compile("[\u00a0\u2007\u202f]")


def read_source(path: Path | str) -> SourceText:
    """Read one text file, or raise InputError naming the file and the cause."""
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "no such file")
    if path.is_dir():
        raise InputError(str(path), "is a folder, not a file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror or error})") from None
    return SourceText(name=path.name, path=str(path), text=decode(data, str(path)))


def read_stream(stream: BinaryIO, name: str = STDIN_NAME) -> SourceText:
    """Read a binary stream (stdin) to its end, decoded like a file."""
    return SourceText(name=name, path=name, text=decode(stream.read(), name))


def iter_sources(
    paths: Sequence[str | Path], glob: str = "*.txt"
) -> Iterator[SourceText | Problem]:
    """Yield the text of every input, or a Problem for each one that cannot be read.

    A PATH is a file, a folder (searched recursively for `glob`, in sorted
    order so runs are repeatable; hidden files and folders are skipped) or
    "-" for stdin. A file reached twice is read once.
    """
    seen: set[Path] = set()
    for given in paths:
        if str(given) == STDIN:
            yield _attempt(lambda: read_stream(sys.stdin.buffer), STDIN_NAME)
            continue
        path = Path(given)
        if path.is_dir():
            files = _files_in(path, glob)
            if not files:
                yield Problem(str(path), f"no files matching {glob!r} in this folder")
        elif path.exists():
            files = [path]
        else:
            yield Problem(str(path), "no such file or folder")
            continue
        for file in files:
            identity = file.resolve()
            if identity in seen:
                continue
            seen.add(identity)
            yield _attempt(lambda file=file: read_source(file), str(file))


def decode(data: bytes, name: str) -> str:
    """Bytes of a text file to clean text (see `clean`); InputError if not text."""
    text = clean(_decode(data, name))
    if not text.strip():
        raise InputError(name, "file is empty")
    return text


def clean(text: str) -> str:
    """Normalise decoded text: LF newlines, no control or zero-width characters.

    >>> clean("A\\r\\nB\\rC\\u00a0D\\u200b\\x00E")
    'A\\nB\\nC DE'
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    return _NO_BREAK_SPACES.sub(" ", text)


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as error:
                raise InputError(
                    name, f"starts with a {encoding.upper()} byte order mark but is not "
                    f"valid {encoding.upper()} (byte {error.start + len(bom)})"
                ) from None
    if b"\x00" in data:
        raise InputError(name, "looks like a binary file (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = _detect(data)
    if text is None:
        raise InputError(name, "cannot detect the text encoding (it is not UTF-8)")
    return text


def _detect(data: bytes) -> str | None:
    """Decode non-UTF-8 bytes with the most plausible encoding, or None."""
    matches = list(from_bytes(data, cp_isolation=list(_LEGACY_ENCODINGS)))
    if matches:
        least_chaos = min(match.chaos for match in matches)
        plausible = [m for m in matches if m.chaos <= least_chaos + _CHAOS_TOLERANCE]
        most_coherent = max(match.coherence for match in plausible)
        plausible = [m for m in plausible if m.coherence >= most_coherent - _COHERENCE_TOLERANCE]
        # A match stands for every encoding that decodes these bytes the same way.
        candidates = {enc for match in plausible for enc in match.could_be_from_charset}
        for encoding in _LEGACY_ENCODINGS:
            if encoding in candidates:
                return data.decode(encoding)
    best = from_bytes(data).best()
    return None if best is None else str(best)


def _files_in(folder: Path, glob: str) -> list[Path]:
    found = []
    for file in folder.rglob(glob):
        relative = file.relative_to(folder)
        if file.is_file() and not any(part.startswith(".") for part in relative.parts):
            found.append(file)
    return sorted(found, key=lambda file: file.relative_to(folder).parts)


def _attempt(read: Callable[[], SourceText], where: str) -> SourceText | Problem:
    try:
        return read()
    except InputError as error:
        return Problem(error.path or where, error.cause)
