"""Reading input files into clean text: decoding, newlines, invisible characters.

The first stage of the pipeline. It turns bytes (a file, a folder of files or
stdin) into `SourceText`: decoded, with every newline a single LF and without
the control and zero-width characters that scraped pages are full of, so the
later stages can trust that a "\\n" is a line break and a letter is a letter.

A file that cannot be read as text raises `InputError` from `read_source`;
`iter_sources` turns that into a `Problem` so one bad file does not stop a run.
A file read anyway, but not exactly as its bytes say (another encoding than
UTF-8, a stray byte, a truncated last character), carries a warning in
`SourceText.warnings`. File names are shown escaped (`shown`), so any name the
operating system gives (undecodable bytes, a newline) prints on one line.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
import unicodedata
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
# Also every character that is not text at all: noncharacters (U+FDD0-U+FDEF and
# the last two code points of each plane, U+FFFE, U+FFFF, ...) and surrogates
# (a lone one cannot be written as UTF-8), which XML and RDF writers refuse.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2060-\u2064\ufeff\ufff9-\ufffb"
    "\ud800-\udfff" + _NONCHARACTERS + "]"
)
_NO_BREAK_SPACES = re.compile("[\u00a0\u2007\u202f]")


def shown(path: str | os.PathLike[str]) -> str:
    """A path as one printable line: bytes of the name that are not UTF-8 (kept by
    Python as surrogates) as \\xNN, control and other invisible characters as \\uNNNN.

    >>> shown(os.fsdecode(b"caf\\xff\\n.txt"))
    'caf\\\\xff\\\\u000a.txt'
    """
    out = []
    for char in os.fspath(path):
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's "surrogateescape" of one byte
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(char) in ("Cc", "Cs", "Cn", "Zl", "Zp"):
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def read_source(path: Path | str, *, cwd: Path | None = None) -> SourceText:
    """Read one text file, or raise InputError naming the file and the cause.

    A relative `path` is looked up in `cwd` when one is given (a Dask worker
    reads the files the driver listed, from another working folder), and
    named as given.
    """
    path = Path(path)
    where = cwd / path if cwd is not None else path
    if not where.exists():
        raise InputError(shown(path), "no such file")
    if where.is_dir():
        raise InputError(shown(path), "is a folder, not a file")
    try:
        data = where.read_bytes()
    except OSError as error:
        raise InputError(shown(path), f"cannot be read ({error.strerror or error})") from None
    text, warnings = decode_text(data, shown(path))
    return SourceText(name=shown(path.name), path=shown(path), text=text, warnings=warnings)


def read_stream(stream: BinaryIO, name: str = STDIN_NAME) -> SourceText:
    """Read a binary stream (stdin) to its end, decoded like a file."""
    text, warnings = decode_text(stream.read(), name)
    return SourceText(name=name, path=name, text=text, warnings=warnings)


def check_inputs(paths: Sequence[str | Path]) -> None:
    """Raise InputError for the first PATH that does not exist (before anything is read
    or written: a mistyped path must not turn into an empty graph)."""
    for given in paths:
        if str(given) != STDIN and not Path(given).exists():
            raise InputError(shown(given), "no such file or folder")


def iter_sources(
    paths: Sequence[str | Path], glob: str = "*.txt", *, follow_symlinks: bool = False,
) -> Iterator[SourceText | Problem]:
    """Yield the text of every input, or a Problem for each one that cannot be read.

    The inputs are those `list_inputs` lists, read one by one in that order
    (`read_input`).
    """
    for item in list_inputs(paths, glob, follow_symlinks=follow_symlinks):
        yield item if isinstance(item, Problem) else read_input(item)


def list_inputs(
    paths: Sequence[str | Path], glob: str = "*.txt", *, follow_symlinks: bool = False,
) -> Iterator[Path | str | Problem]:
    """Every input to read, in order, without reading it: a file's Path, `STDIN` for
    "-", or a Problem for a PATH that gives nothing to read.

    A PATH is a file, a folder (searched recursively for `glob`, in sorted
    order so runs are repeatable; hidden files and folders are skipped) or
    "-" for stdin. A file reached twice is listed once. A symbolic link in a
    folder that leads out of it is skipped with a warning (a non-fatal
    Problem) unless `follow_symlinks`; a PATH named as such is always listed.
    """
    seen: set[Path] = set()
    for given in paths:
        if str(given) == STDIN:
            yield STDIN
            continue
        path = Path(given)
        files: list[Path] = []
        if path.is_dir():
            for found in _files_in(path, glob, follow_symlinks):
                if isinstance(found, Problem):
                    yield found
                else:
                    files.append(found)
            if not files:
                yield Problem(shown(path), f"no files matching {glob!r} in this folder")
        elif path.exists():
            files = [path]
        else:
            yield Problem(shown(path), "no such file or folder")
            continue
        for file in files:
            identity = file.resolve()
            if identity in seen:
                continue
            seen.add(identity)
            yield file


def read_input(item: Path | str, *, cwd: Path | None = None) -> SourceText | Problem:
    """One input `list_inputs` listed, read (`STDIN` from this process's stdin; a
    relative path in `cwd`, see `read_source`), or the Problem that stops it."""
    if item == STDIN:  # a Path is never equal to a str
        return _attempt(lambda: read_stream(sys.stdin.buffer), STDIN_NAME)
    return _attempt(lambda: read_source(item, cwd=cwd), shown(item))


def decode(data: bytes, name: str) -> str:
    """Bytes of a text file to clean text (see `clean`); InputError if not text."""
    return decode_text(data, name)[0]


def decode_text(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    """Like `decode`, with the warnings about how the bytes were read."""
    raw, warnings = _decode(data, name)
    text = clean(raw)
    if not text.strip():
        raise InputError(name, "file is empty")
    mixed = mixed_script_words(text)
    if mixed:
        shown_words = ", ".join(repr(w) for w in mixed[:3])
        warnings = (*warnings, f"{len(mixed)} word(s) mix Latin with Cyrillic or Greek letters "
                               f"that look alike ({shown_words}): a name spelled so is "
                               "another name")
    return text, warnings


_WORD = re.compile(r"\w+")


def mixed_script_words(text: str) -> list[str]:
    """Words that mix Latin letters with Cyrillic or Greek ones ("Аstana" with a Cyrillic
    А), each once, in text order: look-alikes a reader cannot see."""
    found: dict[str, None] = {}
    for match in _WORD.finditer(text):
        scripts = {_script(c) for c in match.group() if c.isalpha()}
        if "LATIN" in scripts and scripts & {"CYRILLIC", "GREEK"}:
            found.setdefault(match.group(), None)
    return list(found)


def _script(letter: str) -> str:
    try:
        return unicodedata.name(letter).split()[0]
    except ValueError:
        return ""


def clean(text: str) -> str:
    """Normalise decoded text: LF newlines, no control or zero-width characters.

    >>> clean("A\\r\\nB\\rC\\u00a0D\\u200b\\x00E")
    'A\\nB\\nC DE'
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    return _NO_BREAK_SPACES.sub(" ", text)


def _decode(data: bytes, name: str) -> tuple[str, tuple[str, ...]]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), ()
            except UnicodeDecodeError as error:
                raise InputError(
                    name, f"starts with a {encoding.upper()} byte order mark but is not "
                    f"valid {encoding.upper()} (byte {error.start + len(bom)})"
                ) from None
    if b"\x00" in data:
        raise InputError(name, "looks like a binary file (it contains NUL bytes)")
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError:
        pass
    repaired = _mostly_utf8(data)
    if repaired is not None:
        return repaired
    detected = _detect(data)
    if detected is None:
        raise InputError(name, "cannot detect the text encoding (it is not UTF-8)")
    text, encoding = detected
    return text, (f"not UTF-8: read as {encoding}",)


_MAX_BAD_BYTES = 64  # more bytes that are not UTF-8 than this: the file is not UTF-8
_SHOWN_OFFSETS = 5


def _mostly_utf8(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    """UTF-8 with a few bad bytes: the text with U+FFFD at each (a character cut off at
    the very end is dropped), and a warning; None when the bytes are not UTF-8 at all.

    UTF-8 it is when the file has characters UTF-8 encodes in several bytes, and
    at most one bad byte sequence for every four of them: a legacy 8-bit text
    almost never makes a valid multi-byte sequence by chance.
    """
    pieces: list[str] = []
    bad: list[tuple[int, int, str]] = []  # start, end, reason
    position = 0
    while True:
        try:
            pieces.append(data[position:].decode("utf-8"))
            break
        except UnicodeDecodeError as error:
            pieces.append(data[position:position + error.start].decode("utf-8"))
            bad.append((position + error.start, position + error.end, error.reason))
            pieces.append("\ufffd")
            position += error.end
            if len(bad) > _MAX_BAD_BYTES:
                return None
    text = "".join(pieces)
    multibyte = sum(1 for char in text if ord(char) > 0x7F) - len(bad)
    if multibyte <= 0 or len(bad) > max(1, multibyte // 4):
        return None
    last_start, last_end, reason = bad[-1]
    if last_end == len(data) and reason == "unexpected end of data":
        text = text[:-1]
        warnings = [f"truncated in the middle of a UTF-8 character (the last "
                    f"{last_end - last_start} bytes, from byte {last_start}, dropped)"]
        bad = bad[:-1]
    else:
        warnings = []
    if bad:
        offsets = ", ".join(str(start) for start, _, _ in bad[:_SHOWN_OFFSETS])
        more = ", ..." if len(bad) > _SHOWN_OFFSETS else ""
        first = data[bad[0][0]]
        what = (f"byte {offsets} (0x{first:02x}) is" if len(bad) == 1
                else f"{len(bad)} bytes (at {offsets}{more}) are")
        warnings.insert(0, f"{what} not valid UTF-8: read as UTF-8 with U+FFFD there")
    return text, tuple(warnings)


# Bytes 0x80-0x9F: letters and punctuation in the Windows code pages, C1 controls
# (not text) in ISO 8859; curly quotes and dashes in real press texts.
_WINDOWS_PUNCTUATION = re.compile(b"[\x80-\x9f]")
_WINDOWS_CODE_PAGES = ("cp1252", "cp1251", "cp1250")


def _detect(data: bytes) -> tuple[str, str] | None:
    """Decode non-UTF-8 bytes with the most plausible encoding: (text, encoding) or None."""
    found = _detect_encoding(data)
    if found is None:
        return None
    text, encoding = found
    if encoding not in _WINDOWS_CODE_PAGES and _WINDOWS_PUNCTUATION.search(data):
        # Bytes 0x80-0x9F say a Windows code page; Mac Roman or ISO 8859 would make
        # them accented capitals or invisible controls.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return text, encoding


def _detect_encoding(data: bytes) -> tuple[str, str] | None:
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
                return data.decode(encoding), encoding
    best = from_bytes(data).best()
    return None if best is None else (str(best), best.encoding)


def _files_in(folder: Path, glob: str, follow_symlinks: bool) -> list[Path | Problem]:
    """The files of `folder` matching `glob`, in order, and a warning for each symbolic
    link that leads out of the folder (skipped unless `follow_symlinks`)."""
    found: list[tuple[tuple[str, ...], Path | Problem]] = []
    root = folder.resolve()
    for file in folder.rglob(glob):
        relative = file.relative_to(folder)
        if not file.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        target = file.resolve()
        if not follow_symlinks and not target.is_relative_to(root):
            found.append((relative.parts, Problem(
                shown(file), f"symbolic link to {shown(target)}, outside {shown(folder)}: "
                "skipped (--follow-symlinks reads it)", fatal=False)))
        else:
            found.append((relative.parts, file))
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _attempt(read: Callable[[], SourceText], where: str) -> SourceText | Problem:
    try:
        return read()
    except InputError as error:
        return Problem(error.path or where, error.cause)
