"""Atomic file writes: a reader sees the old file or the new one, never half of one.

The new content goes to a temporary file in the target's folder (same file
system, so the final `os.replace` is atomic), is flushed to disk, and only
then renamed over the target. On any error the temporary file is removed and
the old file, if there was one, is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, BinaryIO, Literal, overload

_NEW_FILE_MODE = 0o644  # mkstemp creates 0600; a written graph is meant to be shared


@overload
def atomic_write(
    path: str | Path, mode: Literal["w"] = ..., encoding: str = ...
) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def atomic_write(
    path: str | Path, mode: Literal["wb"], encoding: str = ...
) -> contextlib.AbstractContextManager[IO[bytes]]: ...


def atomic_write(
    path: str | Path, mode: str = "w", encoding: str = "utf-8"
) -> contextlib.AbstractContextManager[IO]:
    """Open `path` for writing ("w": text, "wb": bytes); the file appears on success only.

    >>> with atomic_write(tmp / "graph.ttl") as handle:  # doctest: +SKIP
    ...     handle.write(text)
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_write mode must be 'w' or 'wb', not {mode!r}")
    return _atomic(Path(path), mode, encoding)


@contextlib.contextmanager
def _atomic(path: Path, mode: str, encoding: str) -> Iterator[IO]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # newline="" keeps "\n" as written: output must not depend on the platform.
        text_options = {} if mode == "wb" else {"encoding": encoding, "newline": ""}
        with os.fdopen(fd, mode, **text_options) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` atomically and return the path."""
    with atomic_write(path, "wb") as handle:
        handle.write(data)
    return Path(path)


def _mode_for(path: Path) -> int:
    """Keep the permissions of the file being replaced; 0644 for a new one."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return _NEW_FILE_MODE


class StagedFiles:
    """Several files that appear together: each is written to a temporary file beside
    its target first, and only when all are written are they renamed, one after the
    other. A failure while writing (a full disk) removes the temporary files and
    leaves every old file as it was: the whole set of one build or of the other.

    >>> with staged_files() as files:  # doctest: +SKIP
    ...     files.write(out / "graph.trig", trig)
    ...     files.write(out / "graph.ttl", ttl)
    """

    def __init__(self) -> None:
        self._staged: list[tuple[Path, Path]] = []  # (temporary, target)

    def write(self, path: str | Path, data: bytes) -> Path:
        """Write `data` to a temporary file for `path`; it replaces `path` on commit."""
        with self.open(path) as handle:
            handle.write(data)
        return Path(path)

    @contextlib.contextmanager
    def open(self, path: str | Path) -> Iterator[BinaryIO]:
        """A temporary file for `path`, to write in steps; it replaces `path` on commit."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        temporary = Path(name)
        self._staged.append((temporary, path))
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, _mode_for(path))
        except OSError as error:
            error.filename = str(path)  # the file meant, not its temporary name
            raise

    def commit(self) -> None:
        """Rename every temporary file over its target."""
        while self._staged:
            temporary, path = self._staged[0]
            os.replace(temporary, path)
            self._staged.pop(0)

    def discard(self) -> None:
        """Remove the temporary files not renamed yet."""
        for temporary, _path in self._staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        self._staged.clear()


@contextlib.contextmanager
def staged_files() -> Iterator[StagedFiles]:
    """A `StagedFiles` committed when the block ends without error, discarded otherwise."""
    files = StagedFiles()
    try:
        yield files
        files.commit()
    finally:
        files.discard()
