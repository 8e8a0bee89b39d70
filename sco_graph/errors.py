"""The errors sco-graph raises, in one place.

Every message is one line that names the file or thing, and what was wrong
with it. The CLI turns these into `Error: …` and a non-zero exit code; a
library caller catches `ScoGraphError`.
"""

from __future__ import annotations


class ScoGraphError(Exception):
    """Base class of every error sco-graph raises on purpose."""

    exit_code = 1


class InputError(ScoGraphError):
    """An input file cannot be read as text (empty, binary, undecodable, missing)."""

    exit_code = 2

    def __init__(self, path: str, cause: str) -> None:
        self.path = path
        self.cause = cause
        super().__init__(f"{path}: {cause}")


class ModelNotFoundError(ScoGraphError):
    """No spaCy pipeline of the requested name is installed."""

    exit_code = 3


class DataError(ScoGraphError):
    """A reference data file under data/ (gazetteer, patterns, rules) is malformed."""

    exit_code = 4

    def __init__(self, path: str, cause: str) -> None:
        self.path = path
        self.cause = cause
        super().__init__(f"{path}: {cause}")


class GraphFormatError(ScoGraphError):
    """A graph file or folder cannot be read, or an export format is unknown."""

    exit_code = 5


class QueryError(ScoGraphError):
    """A SPARQL query is malformed or cannot be run."""

    exit_code = 6


class GoldFormatError(ScoGraphError):
    """A gold annotation file does not follow ../shared/gold/FORMAT.md."""

    exit_code = 7
