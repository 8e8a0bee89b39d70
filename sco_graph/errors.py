"""The errors sco-graph raises, in one place.

Every message is one line that names the file or thing, and what was wrong
with it. Each class has a stable `code` (E0xx: findable in the README and in
tests) and an `exit_code`; the CLI (`cli._friendly_errors`, the one place)
turns them into `Error: …` on stderr and that exit code. A library caller
catches `ScoGraphError`. Every error pickles (a Dask worker's reaches the driver
as itself).
"""

from __future__ import annotations

PARTIAL_EXIT_CODE = 9
"""Exit code of a build that finished but skipped some inputs (named on stderr)."""


class ScoGraphError(Exception):
    """Base class of every error sco-graph raises on purpose."""

    code = "E000"
    exit_code = 1


class InputError(ScoGraphError):
    """An input file cannot be read as text (empty, binary, undecodable, missing).

    Raised by the build for a PATH that does not exist, before anything is
    written; files of a folder that cannot be read are skipped instead (their
    problems listed, exit `PARTIAL_EXIT_CODE`).
    """

    code = "E001"
    exit_code = 8

    def __init__(self, path: str, cause: str) -> None:
        self.path = path
        self.cause = cause
        super().__init__(f"{path}: {cause}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:  # pickled from its arguments
        return type(self), (self.path, self.cause)


class NothingReadError(InputError):
    """The inputs exist but give no story at all: nothing is written."""

    code = "E007"


class TextsFolderError(InputError):
    """A gold file's texts folder: the one given with --texts is not a folder, or none
    was given and none is found. A usage error (exit 2): the fix is the option."""

    code = "E009"
    exit_code = 2


class ModelNotFoundError(ScoGraphError):
    """No spaCy pipeline of the requested name is installed."""

    code = "E002"
    exit_code = 3


class DataError(ScoGraphError):
    """A reference data file under sco_graph/data/ (gazetteer, patterns, rules) is malformed."""

    code = "E003"
    exit_code = 4

    def __init__(self, path: str, cause: str) -> None:
        self.path = path
        self.cause = cause
        super().__init__(f"{path}: {cause}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:  # pickled from its arguments
        return type(self), (self.path, self.cause)


class EntityError(ScoGraphError):
    """A name that names no entity of the graph, or several (`sco-graph show`)."""

    code = "E008"
    exit_code = 1

    def __init__(self, name: str, cause: str) -> None:
        self.name = name
        self.cause = cause
        super().__init__(f"{name!r}: {cause}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:  # pickled from its arguments
        return type(self), (self.name, self.cause)


class GraphFormatError(ScoGraphError):
    """A graph file or folder cannot be read, or an export format is unknown."""

    code = "E004"
    exit_code = 5


class QueryError(ScoGraphError):
    """A SPARQL query is malformed or cannot be run."""

    code = "E005"
    exit_code = 6


class GoldFormatError(ScoGraphError):
    """A gold annotation file does not follow ../shared/gold/FORMAT.md."""

    code = "E006"
    exit_code = 7


class OutputError(ScoGraphError):
    """An output cannot be written (a full disk, no permission): the earlier files stay."""

    code = "E019"
    exit_code = 1


class UnwritableTermError(OutputError):
    """A term of the graph no writer can write (an invalid IRI, a control character);
    the message names the term and its story. Nothing is written."""

    code = "E020"


class EngineError(ScoGraphError):
    """The engine a build runs on cannot be used: a Dask scheduler that cannot be
    reached, or the Dask engine without its packages (`sco-graph[dask]`)."""

    code = "E022"
    exit_code = 11


# -- queries: each maps to one HTTP status at the endpoint (query/endpoint.py) --


class QuerySyntaxError(QueryError):
    """The text is not a SPARQL query (and not an update either)."""

    code = "E011"


class QueryRefusedError(QueryError):
    """The query is valid but would reach outside the graph (SERVICE, a remote FROM)."""

    code = "E012"


class UpdateRefusedError(QueryRefusedError):
    """The text is a SPARQL Update, and the endpoint is read-only."""

    code = "E013"


class QueryLimitError(QueryError):
    """The query ran into one of the endpoint's limits."""

    code = "E014"


class QueryTimeoutError(QueryLimitError):
    """The query ran longer than the time limit and was stopped."""

    code = "E015"


class TooManyResultsError(QueryLimitError):
    """The query has more rows or triples than the result-size limit."""

    code = "E016"


class EndpointBusyError(QueryLimitError):
    """Every query slot stayed taken for as long as the time limit."""

    code = "E017"


class NotAcceptableError(QueryError):
    """The client accepts no format the endpoint can give for this query form."""

    code = "E018"


class PushError(ScoGraphError):
    """`sco-graph push`: the store cannot be reached, refuses a graph, or its URL is not an
    http(s) URL; the message names the URL, the cause and what to do, and how many graphs
    were written before (a second push replaces them)."""

    code = "E021"
    exit_code = 10
