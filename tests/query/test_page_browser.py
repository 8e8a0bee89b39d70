"""The query page of `sco-graph serve` in a real browser: headless Chromium, driven by
Playwright, against a running server (query/page.py, query/assets/).

Debian's chromium (`apt-get install -y chromium`) is used as it is; the tests
skip when it is absent. Every page is watched: a request to anything but the
server, a script error (a Content-Security-Policy violation is one) and a
dialog fail the test.

Run as a script to remake the README's screenshot from a built graph:

    PYTHONPATH=tests .venv/bin/python tests/query/test_page_browser.py build docs/query-page.png

(by default the saved query `meetings` for person:kassym-jomart-tokayev; name
another saved query and its NAME=VALUE parameters after the file to change that).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browsers import NEEDS_CHROMIUM, chromium
from builders import EVIL, MET, small_graph

from sco_graph.query.endpoint import SparqlServer
from sco_graph.query.saved_queries import load_query

VIEWPORT = {"width": 1400, "height": 900}

pytestmark = NEEDS_CHROMIUM
sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright's Python package")

_ANSWERED_WITH_ERROR = "Failed to load resource: the server responded with a status of 400 "
TOKAYEV = "https://w3id.org/sco-graph/person/kassym-jomart-tokayev"


@dataclass
class Watched:
    """The query page in a browser, and everything it did that it must not do."""

    page: sync_api.Page
    origin: str
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def pick(self, name: str) -> None:
        self.page.select_option("#saved", name)

    def run(self) -> None:
        self.page.click("#run")
        self.wait_answered()

    def wait_answered(self) -> None:
        self.page.wait_for_selector('body:is([data-state="done"], [data-state="error"])',
                                    state="attached")  # fmt: skip

    def headers(self) -> list[str]:
        return self.page.locator("#table thead th").all_text_contents()

    def column(self, name: str) -> list[str]:
        """The cells of one column, as shown."""
        index = self.headers().index(name) + 1
        return self.page.locator(f"#table tbody td:nth-child({index})").all_text_contents()

    def error(self) -> str:
        return self.page.inner_text("#error") if self.page.is_visible("#error") else ""


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    with SparqlServer(small_graph().dataset(), port=0) as running:
        yield running


@pytest.fixture
def watched(browser: sync_api.Browser, server: SparqlServer) -> Iterator[Watched]:
    with open_page(browser, server, VIEWPORT) as result:
        yield result
    assert result.foreign == []
    assert result.errors == []
    assert result.dialogs == []


@contextmanager
def open_page(
    browser: sync_api.Browser, server: SparqlServer, viewport: dict, path: str = "/"
) -> Iterator[Watched]:
    """A fresh page on the server's `path`, watched, with the saved queries loaded."""
    context = browser.new_context(viewport=viewport)
    watched = Watched(context.new_page(), server.url.removesuffix("/sparql"))
    page = watched.page
    page.set_default_timeout(20_000)

    def route(request_route: sync_api.Route) -> None:
        url = request_route.request.url
        if url == watched.origin or url.startswith(f"{watched.origin}/"):
            request_route.continue_()
        else:
            watched.foreign.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: watched.errors.append(str(error)))

    def console(message: sync_api.ConsoleMessage) -> None:
        # A 400 the page shows as an error is also logged; everything else counts.
        if message.type == "error" and not message.text.startswith(_ANSWERED_WITH_ERROR):
            watched.errors.append(message.text)

    page.on("console", console)
    page.on("dialog", lambda dialog: (watched.dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{watched.origin}{path}")
        page.wait_for_selector('body[data-ready="true"]', state="attached")
        yield watched
    finally:
        context.close()


# -- the tests ------------------------------------------------------------------


def test_picking_a_saved_query_and_running_it_shows_its_rows(
    watched: Watched, tmp_path: Path
) -> None:
    page = watched.page
    watched.pick("posts")
    posts = load_query("posts")
    assert page.input_value("#query") == posts.sparql
    assert page.inner_text("#description") == posts.description
    assert page.locator(".param .name").all_text_contents() == ["person", "organization"]
    watched.run()
    assert watched.error() == ""
    assert watched.headers() == ["#", "?person", "?personLabel", "?role", "?organization",
                                 "?organizationLabel", "?start", "?end", "?sentence",
                                 "?article", "?date"]  # fmt: skip
    assert watched.column("?person") == ["person:kassym-jomart-tokayev"]
    assert watched.column("?personLabel") == ["Kassym-Jomart Tokayev"]
    assert watched.column("?role") == ["President"]
    assert watched.column("?sentence") == [MET]
    assert watched.column("?date") == ["2024-07-04"]
    assert page.inner_text("#status").startswith("1 row · ")
    # The IRI is shown short, keeps its whole self in the title and links to what is said of it.
    link = page.locator("#table tbody a").first
    assert link.get_attribute("title") == TOKAYEV
    assert link.get_attribute("href").startswith("/?query=")
    shot = tmp_path / "query-page.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_parameters_are_sent_to_the_server_to_bind(watched: Watched) -> None:
    page = watched.page
    watched.pick("meetings")
    watched.run()
    assert len(watched.column("?sentence")) == 4
    page.fill("#param-person", "person:nobody")
    watched.run()
    assert page.locator("#table tbody tr").count() == 0
    assert page.inner_text("#status").startswith("0 rows · ")
    # What would change the query were it pasted into it is refused as a value.
    page.fill("#param-person", "person:xi } UNION { ?a ?b ?c")
    watched.run()
    assert watched.error().startswith(
        "400 Bad Request: saved query 'meetings', parameter 'person': "
        "'person:xi } UNION { ?a ?b ?c' is not an IRI"
    )
    assert page.locator("#table tbody tr").count() == 0
    # The page's URL says what ran, so a reload runs it again.
    assert page.url.endswith("/?saved=meetings&person=person%3Axi+%7D+UNION+%7B+%3Fa+%3Fb+%3Fc")


def test_a_changed_saved_query_runs_as_written(watched: Watched) -> None:
    page = watched.page
    watched.pick("posts")
    page.fill("#param-person", "person:nobody")
    page.fill("#query", load_query("posts").sparql.replace("?end\n", "?end\n       (1 AS ?one)"))
    assert page.is_visible("#edited")
    assert page.is_disabled("#param-person")
    watched.run()
    assert watched.column("?one") == ["1"]  # run at /sparql, without the parameter
    page.click("#restore")
    assert not page.is_visible("#edited")
    assert page.is_enabled("#param-person")


def test_a_query_of_ones_own_and_its_downloads(watched: Watched) -> None:
    page = watched.page
    page.fill("#query", "SELECT ?name WHERE { ?o a sco:Organization ; rdfs:label ?name }")
    page.press("#query", "Control+Enter")
    watched.wait_answered()
    # Text from the articles is shown as text, never run.
    assert watched.column("?name") == [EVIL]
    assert page.locator("#table script, #table b").count() == 0
    csv = page.get_attribute("#downloads a[download='query.csv']", "href")
    answer = page.request.get(f"{watched.origin}{csv}")
    assert (answer.status, answer.text()) == (200, f"name\r\n{EVIL}\r\n")
    assert page.get_attribute("#downloads a[download='query.json']", "href").endswith(
        "&format=json"
    )


def test_an_error_is_one_line(watched: Watched) -> None:
    page = watched.page
    page.fill("#query", "SELECT ?x WHERE {\n  ?x a\n}")
    watched.run()
    message = watched.error()
    assert message.startswith("400 Bad Request: ")
    assert "\n" not in message
    assert page.locator("#table tr").count() == 0
    assert page.get_attribute("body", "data-state") == "error"


def test_following_an_iri_shows_what_the_graph_says_of_it(watched: Watched) -> None:
    page = watched.page
    watched.pick("posts")
    watched.run()
    page.click("#table tbody a >> text=person:kassym-jomart-tokayev")
    page.wait_for_selector('body[data-ready="true"]', state="attached")
    watched.wait_answered()
    assert page.input_value("#query").startswith(
        "# Everything the graph says about person:kassym-jomart-tokayev\n"
    )
    assert set(watched.column("?subject")) >= {"person:kassym-jomart-tokayev"}
    assert "rdfs:label" in watched.column("?property")
    assert "Kassym-Jomart Tokayev" in watched.column("?object")


def test_a_construct_query_shows_triples(watched: Watched) -> None:
    page = watched.page
    page.fill("#query", "CONSTRUCT { ?p rdfs:label ?name } WHERE { ?p a sco:Person ; "
                        "rdfs:label ?name }")  # fmt: skip
    watched.run()
    assert watched.headers() == ["#", "subject", "predicate", "object"]
    assert sorted(watched.column("object")) == ["Kassym-Jomart Tokayev", "Xi Jinping"]
    assert page.inner_text("#status").startswith("2 triples · ")


# -- the README's screenshot -------------------------------------------------------


def readme_screenshot(graph: str, output: Path, saved: str = "meetings", *params: str) -> Path:
    """The query page over a built graph, one saved query run with `params` (NAME=VALUE)
    filled in, as docs/query-page.png shows it."""
    from sco_graph.graph.store import load_graph

    values = dict(param.split("=", 1) for param in params)
    if saved == "meetings" and not params:
        values = {"person": "person:kassym-jomart-tokayev"}
    with (
        SparqlServer(load_graph(graph).dataset(), port=0) as server,
        chromium() as browser,
        open_page(browser, server, {"width": 1600, "height": 1000}) as watched,
    ):
        watched.pick(saved)
        for name, value in values.items():
            watched.page.fill(f"#param-{name}", value)
        watched.run()
        if watched.error():
            raise RuntimeError(f"the query failed: {watched.error()}")
        watched.page.screenshot(path=str(output))
        if watched.foreign or watched.errors or watched.dialogs:
            raise RuntimeError(f"the page misbehaved: {watched}")
    return output


if __name__ == "__main__":
    print(readme_screenshot(sys.argv[1], Path(sys.argv[2]), *sys.argv[3:]))
