"""The interactive picture in a real browser: headless Chromium, driven by Playwright.

Debian's chromium (`apt-get install -y chromium`) is used as it is; the tests
skip when it is absent. Every page is watched: any request that is not the
file itself, any script error and any dialog fails the test.

Run as a script to remake the README's screenshot from a built graph:

    .venv/bin/python tests/test_viz_browser.py build docs/viz.png
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browsers import NEEDS_CHROMIUM, chromium
from builders import (
    ARTICLE_A,
    ARTICLE_B,
    EVIL,
    EVIL_ORG,
    EVIL_SENTENCE,
    MET,
    MET_AGAIN,
    PICTURE_KAZAKHSTAN,
    PICTURE_TOKAYEV,
    PICTURE_XI,
    small_graph,
)

from sco_graph.export.picture import write_viz
from sco_graph.graph.store import entity_iri

VIEWPORT = {"width": 1400, "height": 900}

pytestmark = NEEDS_CHROMIUM
sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright's Python package")

TOKAYEV_ID = str(entity_iri(PICTURE_TOKAYEV))
XI_ID = str(entity_iri(PICTURE_XI))
KAZAKHSTAN_ID = str(entity_iri(PICTURE_KAZAKHSTAN))
EVIL_ID = str(entity_iri(EVIL_ORG))


@dataclass
class Watched:
    """A page and everything it did that it must not do."""

    page: sync_api.Page
    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def search(self, text: str) -> None:
        self.page.fill("#search-box", text)
        self.page.press("#search-box", "Enter")

    def wait_focused(self, node: str) -> None:
        self.page.wait_for_selector(f'body[data-focused="{node}"]', state="attached")

    def wait_ready(self) -> None:
        self.page.wait_for_selector('body[data-ready="true"]', state="attached")

    def position(self, node: str) -> tuple[float, float]:
        """Where a node is drawn, in page coordinates."""
        x, y = self.page.evaluate(
            """id => {
                const network = window.scoGraph.network;
                const at = network.canvasToDOM(network.getPositions([id])[id]);
                const box = document.getElementById("graph").getBoundingClientRect();
                return [box.left + at.x, box.top + at.y];
            }""",
            node,
        )
        return x, y

    def panel(self) -> str:
        return self.page.inner_text("#panel")

    def headings(self) -> list[str]:
        """The panel's section headings, as written (the page shows them in capitals)."""
        return self.page.locator("#panel h3").all_text_contents()

    def hidden(self, node: str) -> bool:
        return self.page.evaluate("id => window.scoGraph.nodes.get(id).hidden", node)


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_viz(small_graph(), tmp_path_factory.mktemp("viz") / "graph.html")


@pytest.fixture
def watched(browser: sync_api.Browser, page_file: Path) -> Iterator[Watched]:
    with open_page(browser, page_file, VIEWPORT) as result:
        yield result
    assert result.requests == [result.url]
    assert result.errors == []
    assert result.dialogs == []


@contextmanager
def open_page(browser: sync_api.Browser, path: Path, viewport: dict) -> Iterator[Watched]:
    """A fresh page on `path`, watched, with the picture settled."""
    context = browser.new_context(viewport=viewport)
    watched = Watched(context.new_page(), path.resolve().as_uri())
    page = watched.page
    page.set_default_timeout(20_000)

    def route(request_route: sync_api.Route) -> None:
        url = request_route.request.url
        watched.requests.append(url)
        if url == watched.url:
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    page.on(
        "console",
        lambda message: watched.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("dialog", lambda dialog: (watched.dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(watched.url)
        watched.wait_ready()
        yield watched
    finally:
        context.close()


# -- the tests ------------------------------------------------------------------


def test_search_selects_centres_and_shows_the_evidence(watched: Watched, tmp_path: Path) -> None:
    watched.search("tokayev")
    watched.wait_focused(TOKAYEV_ID)
    page = watched.page
    assert page.inner_text("#panel h2") == "Kassym-Jomart Tokayev"
    panel = watched.panel()
    for text in (
        "Person · 2 mentions",
        "President Tokayev · Tokayev",  # aliases
        MET,
        MET_AGAIN,
        "Leaders meet in Astana (2024-07-04)",  # the article the evidence is from
        "role: President · confidence 0.90",
    ):
        assert text in panel
    assert watched.headings() == ["Also called", "Facts", "Mentioned in 2 articles"]
    assert page.get_attribute("#panel a", "href") == "https://www.wikidata.org/wiki/Q200881"
    # Centred: the node is drawn in the middle of the picture.
    box = page.locator("#graph").bounding_box()
    x, y = watched.position(TOKAYEV_ID)
    assert abs(x - (box["x"] + box["width"] / 2)) < 2
    assert abs(y - (box["y"] + box["height"] / 2)) < 2
    shot = tmp_path / "viz.png"
    page.screenshot(path=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_clicking_a_node_shows_its_facts(watched: Watched) -> None:
    watched.page.mouse.click(*watched.position(XI_ID))
    assert watched.page.inner_text("#panel h2") == "Xi Jinping"
    panel = watched.panel()
    assert "Kassym-Jomart Tokayev met Xi Jinping" in panel
    assert MET in panel and MET_AGAIN in panel
    assert "From b.txt#0 · rule dep:met" in panel  # an article without title or date


def test_clicking_an_edge_shows_that_facts_evidence(watched: Watched) -> None:
    (x1, y1), (x2, y2) = watched.position(TOKAYEV_ID), watched.position(KAZAKHSTAN_ID)
    watched.page.mouse.click(x1 + (x2 - x1) * 0.4, y1 + (y2 - y1) * 0.4)
    assert watched.page.inner_text("#panel h2") == "holdsPosition (President)"
    panel = watched.panel()
    assert "Kassym-Jomart Tokayev holdsPosition Kazakhstan" in panel
    assert "role: President · confidence 0.90" in panel
    assert MET in panel
    assert "From Leaders meet in Astana (2024-07-04) · rule pattern:title" in panel
    assert MET_AGAIN not in panel  # only this fact, not the meeting's


def test_one_line_carries_every_fact_of_a_relation(watched: Watched) -> None:
    (x1, y1), (x2, y2) = watched.position(TOKAYEV_ID), watched.position(XI_ID)
    watched.page.mouse.click(x1 + (x2 - x1) * 0.4, y1 + (y2 - y1) * 0.4)
    assert watched.page.inner_text("#panel h2") == "met"
    panel = watched.panel()
    assert watched.headings() == ["Evidence (2 facts)"]
    assert "confidence 0.75" in panel and "confidence 0.60" in panel
    assert MET in panel and MET_AGAIN in panel


def test_articles_start_hidden_and_filters_switch_types(watched: Watched) -> None:
    page = watched.page
    assert not page.is_checked("#filters input[value=Article]")
    assert watched.hidden(ARTICLE_A) and watched.hidden(ARTICLE_B)
    page.check("#filters input[value=Article]")
    watched.wait_ready()
    assert not watched.hidden(ARTICLE_A) and not watched.hidden(ARTICLE_B)
    page.uncheck("#filters input[value=Person]")
    watched.wait_ready()
    assert watched.hidden(TOKAYEV_ID) and watched.hidden(XI_ID)
    assert not watched.hidden(KAZAKHSTAN_ID)
    # Searching for a hidden type's entity brings the type back.
    watched.search("Xi Jinping")
    watched.wait_focused(XI_ID)
    assert page.is_checked("#filters input[value=Person]")
    assert not watched.hidden(XI_ID)


def test_text_from_articles_is_shown_as_text_never_run(watched: Watched) -> None:
    watched.search("alert")
    watched.wait_focused(EVIL_ID)
    page = watched.page
    assert page.inner_text("#panel h2") == EVIL
    assert EVIL_SENTENCE in watched.panel()
    assert page.locator("#panel script, #panel b, #panel img").count() == 0
    # (the fixture checks that no dialog opened and nothing was fetched)


def test_an_unknown_name_is_reported(watched: Watched) -> None:
    watched.search("Nobody at all")
    assert watched.page.inner_text("#search-message") == "Nothing called “Nobody at all”"
    assert watched.page.inner_text("#panel h2") == "Explore the graph"


# -- the README's screenshot -------------------------------------------------------


def readme_screenshot(graph: str, output: Path, search: str = "Kassym-Jomart Tokayev") -> Path:
    """A picture of a built graph, one entity searched for, as docs/viz.png shows it."""
    from sco_graph.api import load_graph

    loaded = load_graph(graph)
    page_path = write_viz(loaded, output.with_suffix(".html"))
    try:
        with (
            chromium() as browser,
            open_page(browser, page_path, {"width": 1600, "height": 1000}) as watched,
        ):
            watched.search(search)
            selected = watched.page.evaluate("() => window.scoGraph.network.getSelectedNodes()")
            watched.wait_focused(selected[0])
            watched.page.screenshot(path=str(output))
            if watched.requests != [watched.url] or watched.errors:
                raise RuntimeError(f"the page misbehaved: {watched.requests} {watched.errors}")
    finally:
        page_path.unlink()
    return output


if __name__ == "__main__":
    print(readme_screenshot(sys.argv[1], Path(sys.argv[2]), *sys.argv[3:]))
